// Requests a widget, a misconfigured backend or an attacker might send: each
// gets the documented status and a JSON error naming what was wrong, nothing
// bad is stored, and the collector keeps answering.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { describe, test } from 'node:test';

import { answer, collectorForSuite, postAnswer, storedAnswers } from './server.mjs';

const sqlText =
  'Robert\'); DROP TABLE responses;-- " OR 1=1; /* */ UNION SELECT * FROM sqlite_master';

const deepNesting = `{"id":"${randomUUID()}","score":5,"properties":${'['.repeat(10000)}${']'.repeat(10000)}}`;

const badRequests = [
  {
    name: 'malformed JSON',
    body: '{"id": "x", "score": ',
    status: 400,
    error: 'parse_error',
    field: 'payload',
    message: /^payload: malformed JSON at byte \d+/,
  },
  {
    name: 'an empty body',
    body: '',
    status: 400,
    error: 'parse_error',
    field: 'payload',
  },
  {
    name: 'malformed UTF-8 in a comment',
    body: Buffer.concat([
      Buffer.from(`{"id":"${randomUUID()}","score":7,"comment":"caf`),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from('"}'),
    ]),
    status: 400,
    error: 'parse_error',
    field: 'payload',
    message: /UTF-8/,
  },
  {
    name: 'JSON nested 10000 levels deep',
    body: deepNesting,
    status: 400,
    error: 'parse_error',
    field: 'payload',
    message: /nested 10001 levels deep/,
  },
  {
    name: 'a JSON array instead of an object',
    body: '[1,2,3]',
    status: 422,
    error: 'invalid_record',
    field: 'payload',
  },
  {
    name: 'a missing score',
    body: JSON.stringify({ id: randomUUID(), survey: 's' }),
    status: 422,
    error: 'invalid_score',
    field: 'score',
    message: /^score: missing/,
  },
  {
    name: 'a score above 10',
    body: JSON.stringify({ id: randomUUID(), score: 11 }),
    status: 422,
    error: 'invalid_score',
    field: 'score',
    message: /^score: 11 is outside 0\.\.10$/,
  },
  {
    name: 'a fractional score',
    body: JSON.stringify({ id: randomUUID(), score: 8.5 }),
    status: 422,
    error: 'invalid_score',
    field: 'score',
  },
  {
    name: 'a score sent as text',
    body: JSON.stringify({ id: randomUUID(), score: '9' }),
    status: 422,
    error: 'invalid_score',
    field: 'score',
  },
  {
    name: 'an id that is not a UUID',
    body: JSON.stringify({ id: 'abc', score: 5 }),
    status: 422,
    error: 'invalid_record',
    field: 'id',
    message: /^id: "abc" is not a UUID/,
  },
  {
    name: 'a missing id',
    body: JSON.stringify({ score: 5 }),
    status: 422,
    error: 'invalid_record',
    field: 'id',
  },
  {
    name: 'an SQL-looking id',
    body: JSON.stringify({ id: "1' OR '1'='1", score: 5 }),
    status: 422,
    error: 'invalid_record',
    field: 'id',
  },
  {
    name: 'a category that contradicts the score',
    body: JSON.stringify({ id: randomUUID(), score: 2, category: 'promoter' }),
    status: 422,
    error: 'invalid_record',
    field: 'category',
  },
  {
    name: 'an unsupported schema',
    body: JSON.stringify({ schema: 'npskit.response/9', id: randomUUID(), score: 2 }),
    status: 422,
    error: 'invalid_record',
    field: 'schema',
  },
  {
    name: 'a body over the size limit',
    body: JSON.stringify(answer({ comment: 'x'.repeat(40000) })),
    status: 413,
    error: 'payload_too_large',
    field: 'body',
    message: /limit of 32768 bytes/,
  },
  {
    name: 'a form post',
    body: 'score=9',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    status: 415,
    error: 'unsupported_media_type',
    field: 'Content-Type',
  },
];

describe('bad requests', () => {
  const server = collectorForSuite({ args: ['--max-body', '32768', '--rate', '0'] });

  for (const bad of badRequests) {
    test(`${bad.name} -> ${bad.status}`, async () => {
      const response = await postAnswer(server, bad.body, bad.headers);
      assert.equal(response.status, bad.status, response.text);
      assert.match(response.headers['content-type'], /^application\/json/);
      const error = response.json();
      assert.equal(error.error, bad.error);
      assert.equal(error.field, bad.field);
      assert.ok(error.message.startsWith(`${bad.field}: `), error.message);
      if (bad.message) assert.match(error.message, bad.message);
    });
  }

  test('an oversized chunked body is refused without a Content-Length', async () => {
    const response = await server.request({
      method: 'POST',
      path: '/api/responses',
      headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      body: JSON.stringify(answer({ comment: 'y'.repeat(50000) })),
    });
    assert.equal(response.status, 413);
  });

  test('a huge declared body is refused before it is read', async () => {
    const response = await new Promise((resolve, reject) => {
      const socket = net.connect(server.port, '127.0.0.1', () => {
        socket.write(
          'POST /api/responses HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
            'Content-Length: 10000000000\r\n\r\n{"id":',
        );
      });
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    assert.match(response, /^HTTP\/1\.1 413 /);
    assert.match(response, /Connection: close/i);
    assert.match(response, /"error":"payload_too_large"/);
  });

  test('unknown API paths and methods answer with JSON errors', async () => {
    const missing = await server.request({ path: '/api/nothing-here' });
    assert.equal(missing.status, 404);
    assert.equal(missing.json().error, 'not_found');
    const wrongMethod = await server.request({ path: '/api/responses' });
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.allow, 'POST, DELETE, OPTIONS');
    const badGrouping = await server.request({ path: '/api/summary?by=year' });
    assert.equal(badGrouping.status, 400);
    assert.equal(badGrouping.json().field, 'by');
    const badDate = await server.request({ path: '/api/responses.csv?from=22.11.2026' });
    assert.equal(badDate.status, 400);
    assert.equal(badDate.json().field, 'from');
  });

  test('SQL-looking text is stored verbatim and the table survives', async () => {
    const payload = answer({
      survey: sqlText,
      comment: sqlText,
      properties: { [sqlText]: sqlText },
    });
    const response = await postAnswer(server, payload);
    assert.equal(response.status, 201, response.text);
    const stored = await storedAnswers(server, `?survey=${encodeURIComponent(sqlText)}`);
    assert.equal(stored.length, 1);
    assert.deepEqual(stored[0], payload);
  });

  test('nothing refused was stored, and the service still answers', async () => {
    const stored = await storedAnswers(server);
    assert.equal(stored.length, 1, 'only the SQL-looking answer was valid');
    const health = await server.request({ path: '/api/health' });
    assert.equal(health.status, 200);
    assert.deepEqual(health.json(), { status: 'ok' });
    const good = await postAnswer(server, answer({ score: 0 }));
    assert.equal(good.status, 201);
    assert.match(server.log(), /^\S+ POST \/api\/responses 413 [\d.]+ms$/m);
  });
});

describe('request rate per client', () => {
  const server = collectorForSuite({ args: ['--rate', '3/min'] });

  test('the fourth answer in a minute gets 429 with Retry-After, and is not stored', async () => {
    const statuses = [];
    let refused;
    for (let i = 0; i < 4; i += 1) {
      const response = await postAnswer(server, answer({ score: i }));
      statuses.push(response.status);
      refused = response;
    }
    assert.deepEqual(statuses, [201, 201, 201, 429]);
    assert.equal(refused.json().error, 'rate_limited');
    const retryAfter = Number(refused.headers['retry-after']);
    assert.ok(retryAfter >= 1 && retryAfter <= 20, `Retry-After ${refused.headers['retry-after']}`);
    assert.equal((await storedAnswers(server)).length, 3);
    // Reading is not limited.
    assert.equal((await server.request({ path: '/api/summary' })).status, 200);
  });

  test('the default body limit is 16384 bytes', async () => {
    const response = await postAnswer(
      server,
      JSON.stringify(answer({ comment: 'z'.repeat(16400) })),
    );
    assert.equal(response.status, 413);
    assert.match(response.json().message, /limit of 16384 bytes/);
  });
});
