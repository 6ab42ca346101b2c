// Alerts: every matching answer reaches its receiver, signed per Standard
// Webhooks, through failures, a SIGKILL of the collector and a restart; a
// 410 Gone disables its hook; Slack gets its own message format. Receivers
// run on 127.0.0.1 inside the test.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';

import { answer, postAnswer, runNpskit, startServer, temporaryFolder } from './server.mjs';
import {
  idsKeepTheirPayload,
  secretKey,
  signatureVerifies,
  startReceiver,
} from './webhook-receiver.mjs';

const workspace = temporaryFolder('npskit-webhook-');
after(() => workspace.remove());

// Retries 50 ms, 100 ms, 200 ms… instead of 5 s, 10 s, 20 s…, and attempts
// bounded to a second each, so that the claims a killed collector held on
// PostgreSQL run out after two seconds instead of thirty.
const fastRetries = ['--webhook-retry-base-ms', '50', '--webhook-timeout-ms', '1000'];

let databases = 0;
function newDatabase() {
  databases += 1;
  return path.join(workspace.folder, `answers-${databases}.db`);
}

async function postAll(server, payloads) {
  for (const payload of payloads) {
    const response = await postAnswer(server, payload);
    assert.equal(response.status, 201, response.text);
  }
}

const answerIdOf = (request) => JSON.parse(request.body).data.id;

test('a receiver that fails three times, then accepts, gets every detractor and nothing else, signed', async (t) => {
  const receiver = await startReceiver({ answer: (_, index) => (index < 3 ? 503 : 200) });
  t.after(() => receiver.close());
  const secretFile = path.join(workspace.folder, 'secret-1');
  const server = await startServer({
    db: newDatabase(),
    args: [
      '--webhook',
      receiver.url,
      '--webhook-secret-file',
      secretFile,
      '--webhook-when',
      'detractor',
      ...fastRetries,
    ],
  });
  t.after(() => server.stop());

  const payloads = [0, 6, 9, 7, 3, 10].map((score) => answer({ score, comment: `score ${score}` }));
  const detractors = payloads.filter((payload) => payload.score <= 6).map((payload) => payload.id);
  await postAll(server, payloads);
  await receiver.waitFor(
    () => new Set(receiver.accepted().map(answerIdOf)).size === detractors.length,
    'every detractor accepted',
  );

  assert.deepEqual(
    [...new Set(receiver.accepted().map(answerIdOf))].sort(),
    [...detractors].sort(),
  );
  assert.equal(receiver.requests.filter((request) => request.status === 503).length, 3);
  const key = secretKey(secretFile);
  for (const request of receiver.requests) {
    assert.ok(signatureVerifies(request, key), `signature of ${request.headers['webhook-id']}`);
    const event = JSON.parse(request.body);
    assert.equal(event.type, 'response.detractor');
    assert.ok(event.data.score <= 6);
    assert.match(event.links.inbox, new RegExp(`/admin/#/inbox/${event.data.id}$`));
  }
  idsKeepTheirPayload(receiver.requests);
  // A signature made with another secret does not verify.
  assert.ok(!signatureVerifies(receiver.requests[0], Buffer.alloc(32, 1)));
});

test('SIGKILL with undelivered alerts, then a restart: every matching answer arrives once accepted', async (t) => {
  let accepting = false;
  const receiver = await startReceiver({ answer: () => (accepting ? 200 : 503) });
  t.after(() => receiver.close());
  const db = newDatabase();
  const secretFile = path.join(workspace.folder, 'secret-2');
  const args = [
    '--webhook',
    receiver.url,
    '--webhook-secret-file',
    secretFile,
    '--webhook-when',
    'detractor',
    ...fastRetries,
  ];

  const first = await startServer({ db, args });
  const payloads = [2, 9, 5, 0, 10, 6, 1].map((score) => answer({ score }));
  const detractors = payloads.filter((payload) => payload.score <= 6).map((payload) => payload.id);
  try {
    await postAll(first, payloads);
    // Attempts are failing: the outbox holds every detractor's delivery.
    await receiver.waitFor((requests) => requests.length >= 3, 'failed attempts');
  } finally {
    first.child.kill('SIGKILL');
    await first.exited;
  }
  const failedBeforeKill = receiver.requests.length;
  assert.equal(receiver.accepted().length, 0);

  accepting = true;
  const second = await startServer({ db, args });
  t.after(() => second.stop());
  await receiver.waitFor(
    () => new Set(receiver.accepted().map(answerIdOf)).size === detractors.length,
    'every detractor accepted after the restart',
  );
  assert.ok(receiver.requests.length > failedBeforeKill);
  assert.deepEqual(
    [...new Set(receiver.accepted().map(answerIdOf))].sort(),
    [...detractors].sort(),
  );
  const key = secretKey(secretFile);
  for (const request of receiver.requests) assert.ok(signatureVerifies(request, key));
  idsKeepTheirPayload(receiver.requests);
  // One webhook-id per answer, kept across the restart.
  const idsPerAnswer = new Map();
  for (const request of receiver.requests) {
    const ids = idsPerAnswer.get(answerIdOf(request)) ?? new Set();
    ids.add(request.headers['webhook-id']);
    idsPerAnswer.set(answerIdOf(request), ids);
  }
  for (const [answerId, ids] of idsPerAnswer) assert.equal(ids.size, 1, `answer ${answerId}`);
});

test('a receiver that answers 410 Gone is disabled, and stays so after a restart', async (t) => {
  const gone = await startReceiver({ answer: () => 410 });
  const control = await startReceiver();
  t.after(() => Promise.all([gone.close(), control.close()]));
  const db = newDatabase();
  const args = ['--webhook', gone.url, '--webhook', control.url, ...fastRetries];
  const controlGot = (id) =>
    control.waitFor(() => control.accepted().some((r) => answerIdOf(r) === id), `answer ${id}`);

  const first = await startServer({ db, args });
  const [a, b, c] = [answer({ score: 3 }), answer({ score: 8 }), answer({ score: 1 })];
  try {
    await postAll(first, [a]);
    await controlGot(a.id);
    await gone.waitFor((requests) => requests.length === 1, 'the one attempt');
    // The log line follows the 410 by a moment; looked for at most 200 times.
    for (let tries = 0; tries < 200 && !first.log().includes('410 Gone: disabled'); tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.match(
      first.log(),
      /webhook 1 \(http:\/\/127\.0\.0\.1:\d+\/…\) answered 410 Gone: disabled/,
    );
    await postAll(first, [b]);
    await controlGot(b.id);
  } finally {
    await first.stop();
  }

  const second = await startServer({ db, args });
  try {
    assert.match(second.log(), /webhook 1 .* stays disabled: it answered 410 Gone at \d{4}-/);
    await postAll(second, [c]);
    await controlGot(c.id);
  } finally {
    await second.stop();
  }
  assert.equal(gone.requests.length, 1);
  assert.equal(answerIdOf(gone.requests[0]), a.id);
});

test('--slack-webhook posts a readable Slack message for each detractor', async (t) => {
  const slack = await startReceiver();
  t.after(() => slack.close());
  const server = await startServer({
    db: newDatabase(),
    args: [
      '--slack-webhook',
      slack.url,
      '--public-url',
      'https://nps.example.com/',
      ...fastRetries,
    ],
  });
  t.after(() => server.stop());

  const angry = answer({
    score: 2,
    survey: 'checkout',
    comment: '<!channel> Slow & <b>rude</b>\nNever again',
  });
  const happy = answer({ score: 10, comment: 'Great' });
  const calm = answer({ score: 4 });
  await postAll(server, [angry, happy, calm]);
  await slack.waitFor((requests) => requests.length >= 2, 'two messages');

  const messages = slack.requests.map((request) => JSON.parse(request.body));
  assert.equal(messages.length, 2);
  const angryMessage = messages.find((message) => message.text.startsWith('Detractor (2/10)'));
  assert.ok(angryMessage, JSON.stringify(messages));
  assert.match(
    angryMessage.text,
    /^Detractor \(2\/10\) in checkout: &lt;!channel&gt; Slow &amp; &lt;b&gt;rude&lt;\/b&gt;/,
  );
  const [section, context] = angryMessage.blocks;
  assert.equal(section.type, 'section');
  assert.equal(section.text.type, 'mrkdwn');
  assert.match(section.text.text, /\*Detractor\*: scored \*2\*\/10 in the survey `checkout`/);
  assert.match(
    section.text.text,
    /\n>&lt;!channel&gt; Slow &amp; &lt;b&gt;rude&lt;\/b&gt;\n>Never again$/,
  );
  assert.ok(!JSON.stringify(angryMessage).includes('<!channel>'));
  assert.equal(context.type, 'context');
  assert.ok(
    context.elements[0].text.startsWith(
      `<https://nps.example.com/admin/#/inbox/${angry.id}|Open in the inbox>`,
    ),
    context.elements[0].text,
  );
  const calmMessage = messages.find((message) => message.text.startsWith('Detractor (4/10)'));
  assert.match(calmMessage.blocks[0].text.text, /_No comment._/);
  for (const request of slack.requests) {
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers['webhook-signature'], undefined);
  }
  assert.ok(!slack.requests.some((request) => request.body.includes(happy.id)));
});

test('alert options that cannot work are refused at start-up, naming the option', () => {
  const db = newDatabase();
  const badSecret = path.join(workspace.folder, 'bad-secret');
  writeFileSync(badSecret, 'hunter2\n');
  const cases = [
    [
      ['--webhook-when', 'detractor', '--webhook', 'http://127.0.0.1:9/'],
      /--webhook-when "detractor" comes before any --webhook/,
    ],
    [
      ['--webhook', 'ftp://127.0.0.1/'],
      /--webhook: "ftp:\/\/127\.0\.0\.1\/" is not an http:\/\/ or https:\/\/ URL/,
    ],
    [
      ['--webhook', 'http://127.0.0.1:9/', '--webhook-secret-file', badSecret],
      /--webhook-secret-file ".*bad-secret": the secret does not start with "whsec_"/,
    ],
    [
      ['--webhook', 'http://127.0.0.1:9/', '--webhook-when', 'sometimes'],
      /--webhook-when: "sometimes" is not a choice \(expected detractor, passive, promoter, response or all\)/,
    ],
    [
      ['--slack-webhook', 'http://127.0.0.1:9/', '--webhook-secret-file', badSecret],
      /Slack does not verify/,
    ],
  ];
  for (const [args, message] of cases) {
    const run = runNpskit(['serve', '--port', '0', '--db', db, ...args]);
    assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
    assert.match(run.stderr, message);
  }
});
