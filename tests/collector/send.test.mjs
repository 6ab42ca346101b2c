// Invitations by e-mail: `npskit send` against a local SMTP sink (Python's
// aiosmtpd on 127.0.0.1), the re-survey window, resuming after SIGKILL,
// unsubscribe links, POST /api/invitations with serve's sender, and the
// response rate per campaign. Runs on SQLite and on PostgreSQL
// (run-postgres.mjs).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  answer,
  databaseFor,
  npskitBinary,
  postAnswer,
  startServer,
  temporaryFolder,
} from './server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
// Debian's interpreter, which has python3-aiosmtpd.
const python = '/usr/bin/python3';
const survey = 'acme-nps';

/** Starts the SMTP sink; each message lands in `folder` as NNNN.eml. */
async function startSink(folder, { delay = 0 } = {}) {
  mkdirSync(folder, { recursive: true });
  const child = spawn(python, [path.join(here, 'smtp-sink.py'), folder, '--delay', String(delay)], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // asyncio's complaints about connections a killed sender left open are
  // kept for a failure's message, not printed.
  let complaints = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    complaints += chunk;
  });
  const port = await new Promise((resolve, reject) => {
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const match = /port (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child.on('exit', (code) =>
      reject(new Error(`SMTP sink exited with ${code} before listening:\n${complaints}`)),
    );
  });
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    count: () => readdirSync(folder).filter((name) => name.endsWith('.eml')).length,
    messages() {
      const parsed = spawnSync(python, [path.join(here, 'mail-parts.py'), folder], {
        encoding: 'utf8',
      });
      assert.equal(parsed.status, 0, parsed.stderr);
      return JSON.parse(parsed.stdout);
    },
    stop() {
      child.stdin.end();
      return new Promise((resolve) => {
        if (child.exitCode !== null) resolve();
        else child.on('exit', resolve);
      });
    },
  };
}

/** A workspace: database (on the backend under test), link key, contacts, sink. */
async function workspace({ delay = 0 } = {}) {
  const { folder, remove } = temporaryFolder('npskit-send-');
  const dbFile = path.join(folder, 'collector.db');
  const sink = await startSink(path.join(folder, 'mail'), { delay });
  return {
    folder,
    dbFile,
    db: databaseFor(dbFile),
    linkKey: path.join(folder, 'link.key'),
    sink,
    contacts(rows, name = 'contacts.csv') {
      const file = path.join(folder, name);
      writeFileSync(file, rows.join('\r\n') + '\r\n');
      return file;
    },
    async close() {
      await sink.stop();
      remove();
    },
  };
}

function sendArgs(space, contactsFile, campaign, extra = []) {
  return [
    'send',
    '--contacts',
    contactsFile,
    '--campaign',
    campaign,
    '--survey',
    survey,
    '--base-url',
    'https://nps.example.com',
    '--db',
    space.db,
    '--smtp',
    space.sink.url,
    '--smtp-insecure',
    '--from',
    'Acme NPS <nps@acme.example>',
    '--link-secret-file',
    space.linkKey,
    ...extra,
  ];
}

function runSend(space, contactsFile, campaign, extra = []) {
  return spawnSync(npskitBinary, sendArgs(space, contactsFile, campaign, extra), {
    encoding: 'utf8',
    timeout: 60000,
  });
}

/** The personal link signature, as the link key file's holder computes it. */
function personalSignature(space, contact, campaign) {
  const key = Buffer.from(readFileSync(space.linkKey, 'utf8').trim(), 'base64url');
  return createHmac('sha256', key)
    .update(`npskit-link/1\n${survey}\n${contact}\n${campaign}`)
    .digest('base64url');
}

function recipientsOf(messages) {
  return messages.flatMap((message) => message.recipients).sort();
}

const fourContacts = [
  'contact,email,name,locale',
  'c1,ada@example.com,Ada Lovelace,en',
  'c2,bob@example.org,,sv',
  'c3,cleo@example.net,Cléo,fr',
  'c4,dan@example.com,,',
];

test('send delivers one valid MIME message per contact and names the bad rows', async (t) => {
  const space = await workspace();
  t.after(() => space.close());
  const contacts = space.contacts([
    ...fourContacts.slice(0, 4),
    'c5,not an address,,',
    'c1,again@example.com,,',
  ]);
  const run = runSend(space, contacts, 'week-49');
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^sent: 3$/m);
  assert.match(run.stdout, /3 contacts, 2 bad rows/);
  assert.match(run.stderr, /line 5: email/);
  assert.match(run.stderr, /line 6: .*c1/);

  const messages = space.sink.messages();
  assert.deepEqual(recipientsOf(messages), [
    'ada@example.com',
    'bob@example.org',
    'cleo@example.net',
  ]);
  for (const message of messages) {
    assert.deepEqual(message.defects, []);
    assert.equal(message.type, 'multipart/alternative');
    assert.deepEqual(
      message.parts.map((part) => part.type),
      ['text/plain', 'text/html'],
    );
    assert.match(message.from, /nps@acme\.example/);
    assert.match(
      message.list_unsubscribe,
      /^<https:\/\/nps\.example\.com\/unsubscribe\?c=c\d&sig=[\w-]+>$/,
    );
    assert.equal(message.list_unsubscribe_post, 'List-Unsubscribe=One-Click');
    const contact = /c=(c\d)/.exec(message.list_unsubscribe)[1];
    const html = message.parts[1].body;
    const signature = personalSignature(space, contact, 'week-49');
    for (let score = 0; score <= 10; score += 1) {
      const link = `https://nps.example.com/s/${survey}?score=${score}&amp;ch=email`;
      assert.ok(html.includes(link), `score link ${score} in the HTML of ${contact}`);
    }
    assert.ok(html.includes(`c=${contact}&amp;sig=${signature}`), 'signed personal links');
    assert.ok(message.parts[0].body.includes(`score=10&ch=email`), 'links in the text part');
  }
  const swedish = messages.find((message) => message.recipients[0] === 'bob@example.org');
  assert.match(swedish.parts[0].body, /rekommendera/);
});

test('running a campaign again sends nothing twice; the window skips contacts asked lately', async (t) => {
  const space = await workspace();
  t.after(() => space.close());
  const contacts = space.contacts(fourContacts);
  assert.equal(runSend(space, contacts, 'week-49').status, 0);
  assert.equal(space.sink.count(), 4);

  const again = runSend(space, contacts, 'week-49', ['--report', path.join(space.folder, 'r.csv')]);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /^sent: 0$/m);
  assert.match(again.stdout, /already sent in this campaign: 4/);
  assert.equal(space.sink.count(), 4);
  const report = readFileSync(path.join(space.folder, 'r.csv'), 'utf8').trim().split('\r\n');
  assert.equal(report[0], 'contact,email,state,reason,sent_at,attempts,last_error');
  assert.equal(report.length, 5);
  assert.ok(
    report.slice(1).every((row) => row.includes(',sent,')),
    report.join('\n'),
  );

  // Another campaign inside the 90 days: only the contact never asked.
  const more = space.contacts([...fourContacts, 'c6,eve@example.com,,'], 'more.csv');
  const next = runSend(space, more, 'week-50');
  assert.equal(next.status, 0, next.stderr);
  assert.match(next.stdout, /^sent: 1$/m);
  assert.match(next.stdout, /asked within the re-survey window: 4/);
  assert.deepEqual(
    recipientsOf(space.sink.messages()).filter((to) => to === 'eve@example.com'),
    ['eve@example.com'],
  );

  // Without a window everyone is asked again, in a new campaign.
  const unwindowed = runSend(space, more, 'week-51', ['--resurvey-days', '0']);
  assert.match(unwindowed.stdout, /^sent: 5$/m);
  assert.equal(space.sink.count(), 10);
});

test('a run killed with SIGKILL resumes without sending anyone twice', async (t) => {
  const space = await workspace({ delay: 0.3 });
  t.after(() => space.close());
  const rows = ['contact,email'];
  for (let i = 1; i <= 8; i += 1) rows.push(`k${i},person${i}@example.com`);
  const contacts = space.contacts(rows);

  const child = spawn(npskitBinary, sendArgs(space, contacts, 'kill-test'), {
    stdio: 'ignore',
  });
  const exited = new Promise((resolve) => child.on('exit', resolve));
  for (let waited = 0; space.sink.count() < 3 && waited < 200; waited += 1) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.ok(space.sink.count() >= 3, 'the first messages arrived');
  child.kill('SIGKILL');
  await exited;
  const beforeRerun = space.sink.count();
  assert.ok(beforeRerun < 8, 'killed before the end');

  const report = path.join(space.folder, 'report.csv');
  const rerun = runSend(space, contacts, 'kill-test', ['--report', report]);
  const states = new Map(
    readFileSync(report, 'utf8')
      .trim()
      .split('\r\n')
      .slice(1)
      .map((row) => row.split(','))
      .map(([contact, , state]) => [contact, state]),
  );
  const received = recipientsOf(space.sink.messages());
  // Each address at most once, whatever the moment of the kill.
  assert.deepEqual(received, [...new Set(received)]);
  // The one in flight at the kill is not sent again (at most once): it is
  // reported, and every other contact got exactly one message.
  const interrupted = [...states].filter(([, state]) => state === 'sending');
  assert.ok(interrupted.length <= 1, `at most one interrupted: ${[...states]}`);
  for (const [contact, state] of states) {
    const address = `person${contact.slice(1)}@example.com`;
    if (state === 'sent') assert.ok(received.includes(address), `${contact} got its message`);
  }
  assert.equal(received.length + interrupted.length >= 8, true);
  assert.equal(rerun.status, 0, rerun.stderr);
  if (interrupted.length === 1) assert.match(rerun.stdout, /interrupted while sending/);
});

test('unsubscribe: GET only asks, POST one-click records, later sends skip the contact', async (t) => {
  const space = await workspace();
  t.after(() => space.close());
  const contacts = space.contacts(fourContacts);
  assert.equal(runSend(space, contacts, 'week-49').status, 0);
  const message = space.sink.messages().find((sent) => sent.recipients[0] === 'ada@example.com');
  const url = new URL(/^<(.*)>$/.exec(message.list_unsubscribe)[1]);

  const server = await startServer({
    db: space.dbFile,
    args: ['--link-secret-file', space.linkKey],
  });
  t.after(() => server.stop());
  const target = url.pathname + url.search;

  // A scanner following the link records nothing.
  const page = await server.request({ path: target });
  assert.equal(page.status, 200);
  assert.match(page.headers['content-type'], /^text\/html/);
  assert.match(page.text, /<form method="post"/);
  const tampered = await server.request({
    method: 'POST',
    path: target.replace(/sig=[\w-]+/, 'sig=AAAA'),
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
  });
  assert.equal(tampered.status, 403);
  assert.match(tampered.text, /not valid/);
  const afterGet = runSend(space, contacts, 'week-50', ['--resurvey-days', '0']);
  assert.match(afterGet.stdout, /^sent: 4$/m);

  // RFC 8058 one-click, as a mail client sends it.
  const oneClick = await server.request({
    method: 'POST',
    path: target,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: 'List-Unsubscribe=One-Click',
  });
  assert.equal(oneClick.status, 200);
  assert.match(oneClick.text, /unsubscribed/);
  const later = runSend(space, contacts, 'week-51', ['--resurvey-days', '0']);
  assert.match(later.stdout, /^sent: 3$/m);
  assert.match(later.stdout, /unsubscribed: 1/);
  const toAda = recipientsOf(space.sink.messages()).filter((to) => to === 'ada@example.com');
  assert.equal(toAda.length, 2, 'week-49 and week-50 only');
});

test('contacts who answered inside the window are not invited', async (t) => {
  const space = await workspace();
  t.after(() => space.close());
  const server = await startServer({
    db: space.dbFile,
    args: ['--link-secret-file', space.linkKey],
  });
  t.after(() => server.stop());
  const stored = await postAnswer(
    server,
    answer({
      survey,
      channel: 'link',
      campaign: 'shared',
      contact: 'c2',
      sig: personalSignature(space, 'c2', 'shared'),
    }),
  );
  assert.equal(stored.status, 201, stored.text);
  const run = runSend(space, space.contacts(fourContacts), 'week-49');
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^sent: 3$/m);
  assert.match(run.stdout, /answered within the re-survey window: 1/);
  assert.ok(!recipientsOf(space.sink.messages()).includes('bob@example.org'));
});

test('POST /api/invitations queues after an event and serve sends it when due', async (t) => {
  const space = await workspace();
  t.after(() => space.close());
  const tokenFile = path.join(space.folder, 'admin.token');
  const server = await startServer({
    db: space.dbFile,
    args: [
      '--link-secret-file',
      space.linkKey,
      '--admin-token-file',
      tokenFile,
      '--smtp',
      space.sink.url,
      '--smtp-insecure',
      '--from',
      'nps@acme.example',
      '--public-url',
      'https://nps.example.com',
    ],
  });
  t.after(() => server.stop());
  const token = readFileSync(tokenFile, 'utf8').trim();
  const post = (body, headers = {}) =>
    server.request({
      method: 'POST',
      path: '/api/invitations',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
  const event = {
    survey,
    campaign: 'case-closed',
    contact: 'c9',
    email: 'zoe@example.com',
    name: 'Zoë',
    delay: '1s',
  };
  assert.equal((await post(event)).status, 401);
  const auth = { Authorization: `Bearer ${token}` };

  const missing = await post({ ...event, campaign: undefined }, auth);
  assert.equal(missing.status, 400);
  assert.equal(missing.json().field, 'campaign');
  const wrongEmail = await post({ ...event, email: 'zoe at example' }, auth);
  assert.equal(wrongEmail.status, 400);
  assert.equal(wrongEmail.json().field, 'email');
  const wrongDelay = await post({ ...event, delay: 'soon' }, auth);
  assert.equal(wrongDelay.status, 400);
  assert.equal(wrongDelay.json().field, 'delay');

  const queued = await post(event, auth);
  assert.equal(queued.status, 201, queued.text);
  const created = queued.json();
  assert.equal(created.state, 'queued');
  assert.ok(created.send_after > new Date().toISOString().slice(0, 19), created.send_after);

  let repeat;
  for (let waited = 0; waited < 150; waited += 1) {
    repeat = await post(event, auth);
    if (repeat.json().state === 'sent') break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.equal(repeat.status, 200);
  assert.equal(repeat.json().status, 'existing');
  assert.equal(repeat.json().state, 'sent');
  assert.ok(repeat.json().sent_at >= created.send_after, 'not sent before its delay');
  const messages = space.sink.messages();
  assert.deepEqual(recipientsOf(messages), ['zoe@example.com']);
  assert.match(messages[0].list_unsubscribe, /^<https:\/\/nps\.example\.com\/unsubscribe\?c=c9&/);

  // The same contact after another event, inside the window: skipped.
  const second = await post({ ...event, campaign: 'case-closed-2' }, auth);
  assert.equal(second.status, 201);
  assert.equal(second.json().state, 'skipped');
  assert.equal(second.json().reason, 'asked within the re-survey window');
});

test('/api/summary?by=campaign and /api/campaigns give the response rate', async (t) => {
  const space = await workspace();
  t.after(() => space.close());
  assert.equal(runSend(space, space.contacts(fourContacts), 'week-49').status, 0);
  const server = await startServer({
    db: space.dbFile,
    args: ['--link-secret-file', space.linkKey],
  });
  t.after(() => server.stop());
  for (const contact of ['c1', 'c3']) {
    const stored = await postAnswer(
      server,
      answer({
        survey,
        channel: 'email',
        campaign: 'week-49',
        contact,
        sig: personalSignature(space, contact, 'week-49'),
      }),
    );
    assert.equal(stored.status, 201, stored.text);
  }
  const summary = await server.request({ path: `/api/summary?survey=${survey}&by=campaign` });
  assert.equal(summary.status, 200, summary.text);
  const group = summary.json().groups.find((entry) => entry.key === 'week-49');
  assert.equal(group.n, 2);
  assert.equal(group.invitations, 4);
  assert.equal(group.response_rate, 0.5);

  const campaigns = await server.request({ path: `/api/campaigns?survey=${survey}` });
  assert.equal(campaigns.status, 200);
  assert.deepEqual(campaigns.json().campaigns, [
    {
      survey,
      campaign: 'week-49',
      invited: 4,
      queued: 0,
      sending: 0,
      sent: 4,
      failed: 0,
      skipped: 0,
      answered: 2,
      response_rate: 0.5,
    },
  ]);
});
