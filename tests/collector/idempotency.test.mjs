// The widget retries until it hears back, so one answer may arrive many
// times, even at once: it must be stored exactly once.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { answer, collectorForSuite, postAnswer, storedAnswers } from './server.mjs';

const server = collectorForSuite({ args: ['--rate', '0'] });

test('50 parallel posts of one answer store it once: one 201, the rest 200', async () => {
  const payload = answer({ score: 3, comment: 'sent fifty times' });
  const responses = await Promise.all(
    Array.from({ length: 50 }, () => postAnswer(server, payload)),
  );
  const statuses = responses.map((response) => response.status);
  assert.equal(statuses.filter((status) => status === 201).length, 1, statuses.join(','));
  assert.equal(statuses.filter((status) => status === 200).length, 49, statuses.join(','));
  for (const response of responses) assert.equal(response.json().id, payload.id);
  const stored = (await storedAnswers(server)).filter((row) => row.id === payload.id);
  assert.equal(stored.length, 1);
  assert.deepEqual(stored[0], payload);
});

test('a repeat keeps the first version, and ids match whatever their letter case', async () => {
  const first = answer({ score: 10, comment: 'first' });
  assert.equal((await postAnswer(server, first)).status, 201);
  const repeat = await postAnswer(server, {
    ...first,
    id: first.id.toUpperCase(),
    comment: 'second',
  });
  assert.equal(repeat.status, 200);
  assert.equal(repeat.json().status, 'duplicate');
  const stored = (await storedAnswers(server)).filter((row) => row.id === first.id);
  assert.deepEqual(
    stored.map((row) => row.comment),
    ['first'],
  );
});

test('parallel repeats of many answers interleaved store each once', async () => {
  const answers = Array.from({ length: 20 }, (_, i) => answer({ score: i % 11 }));
  const sends = [];
  for (let round = 0; round < 5; round += 1) {
    for (const payload of answers) sends.push(postAnswer(server, payload));
  }
  const responses = await Promise.all(sends);
  assert.ok(responses.every((response) => response.status === 200 || response.status === 201));
  assert.equal(responses.filter((response) => response.status === 201).length, answers.length);
  const ids = new Set(answers.map((payload) => payload.id));
  const stored = (await storedAnswers(server)).filter((row) => ids.has(row.id));
  assert.equal(stored.length, answers.length);
});
