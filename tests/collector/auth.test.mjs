// Read access: stored answers are read with the admin token only, posting
// and health stay open, the public summary shows aggregates only, and the
// loopback Host check takes literal loopback names and nothing else.
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { answer, collectorForSuite, postAnswer, startServer, temporaryFolder } from './server.mjs';

const readEndpoints = ['/api/responses.csv', '/api/responses.jsonl', '/api/summary'];

function readToken(file) {
  return readFileSync(file, 'utf8').trim();
}

function modeOf(file) {
  return statSync(file).mode & 0o777;
}

/** The same length as the token, differing in its last character only. */
function nearMiss(token) {
  return token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
}

describe('admin token on a loopback bind', () => {
  let server;
  let workspace;
  let tokenFile;
  let token;
  const stored = answer({ score: 3, comment: 'call me on +1 555 0100' });

  before(async () => {
    workspace = temporaryFolder();
    tokenFile = path.join(workspace.folder, 'secrets', 'admin.token');
    server = await startServer({
      db: path.join(workspace.folder, 'answers.db'),
      args: ['--admin-token-file', tokenFile, '--allow-origin', '*', '--rate', '0'],
    });
    token = readToken(tokenFile);
  });

  after(async () => {
    await server?.stop();
    workspace?.remove();
  });

  test('a missing token file is created for the owner only, and the start-up line says where', () => {
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(modeOf(tokenFile), 0o600);
    assert.equal(modeOf(path.dirname(tokenFile)), 0o700);
    assert.ok(server.log().includes(`new admin token in ${tokenFile}`), server.log());
  });

  test('posting and health need no token', async () => {
    const posted = await postAnswer(server, stored);
    assert.equal(posted.status, 201, posted.text);
    assert.equal((await server.request({ path: '/api/health' })).status, 200);
  });

  test('every read endpoint answers 401 without the token and with a wrong one', async () => {
    for (const endpoint of [...readEndpoints, '/api/dashboard']) {
      const missing = await server.request({ path: endpoint });
      assert.equal(missing.status, 401, endpoint);
      assert.match(missing.headers['www-authenticate'], /^Bearer\b/, endpoint);
      assert.equal(missing.json().field, 'Authorization');
      assert.ok(!missing.text.includes('555'), endpoint);

      for (const authorization of [
        `Bearer ${nearMiss(token)}`,
        `Bearer ${token}x`,
        `Bearer ${token.slice(0, 20)}`,
        `Basic ${Buffer.from(`admin:${token}`).toString('base64')}`,
        token,
      ]) {
        const wrong = await server.request({
          path: endpoint,
          headers: { Authorization: authorization },
        });
        assert.equal(wrong.status, 401, `${endpoint} with ${authorization}`);
        assert.match(wrong.headers['www-authenticate'], /^Bearer\b.*invalid_token/);
      }
    }
  });

  test('every read endpoint answers 200 with the token', async () => {
    const headers = { Authorization: `Bearer ${token}` };
    const csv = await server.request({ path: '/api/responses.csv', headers });
    assert.equal(csv.status, 200);
    assert.ok(csv.text.includes(stored.id));
    const jsonl = await server.request({ path: '/api/responses.jsonl', headers });
    assert.equal(jsonl.status, 200);
    assert.equal(JSON.parse(jsonl.text.trim()).comment, stored.comment);
    const summary = await server.request({ path: '/api/summary', headers });
    assert.equal(summary.status, 200);
    assert.equal(summary.json().n, 1);
    // An API path that does not exist is still not found, once authorized.
    const unknown = await server.request({ path: '/api/dashboard', headers });
    assert.equal(unknown.status, 404);
  });

  test('reads across origins need the token, even with --allow-origin *; null is never echoed', async () => {
    const origin = 'https://dashboard.example';
    const without = await server.request({ path: '/api/summary', headers: { Origin: origin } });
    assert.equal(without.status, 401);
    const preflight = await server.request({
      method: 'OPTIONS',
      path: '/api/responses.csv',
      headers: {
        Origin: origin,
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'authorization',
      },
    });
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers['access-control-allow-origin'], origin);
    assert.match(preflight.headers['access-control-allow-headers'], /authorization/i);
    const withToken = await server.request({
      path: '/api/responses.csv',
      headers: { Origin: origin, Authorization: `Bearer ${token}` },
    });
    assert.equal(withToken.status, 200);
    assert.equal(withToken.headers['access-control-allow-origin'], origin);
    assert.notEqual(withToken.headers['access-control-allow-origin'], '*');

    const sandboxed = await server.request({
      path: '/api/responses.csv',
      headers: { Origin: 'null', Authorization: `Bearer ${token}` },
    });
    assert.equal(sandboxed.status, 403);
    assert.equal(sandboxed.headers['access-control-allow-origin'], undefined);
    // Posting from anywhere is what --allow-origin * is for.
    const posted = await postAnswer(server, answer(), { Origin: origin });
    assert.equal(posted.status, 201);
    assert.equal(posted.headers['access-control-allow-origin'], origin);
  });

  test('the Host check takes literal loopback names only', async () => {
    const headers = { Authorization: `Bearer ${token}` };
    for (const host of [
      '127.evil.example',
      `127.evil.example:${server.port}`,
      `127.0.0.1.nip.io:${server.port}`,
      `localhost.evil.example:${server.port}`,
      `evil.example:${server.port}`,
      '2130706433',
    ]) {
      const refused = await server.request({
        path: '/api/summary',
        headers: { ...headers, Host: host },
      });
      assert.equal(refused.status, 403, host);
      assert.equal(refused.json().field, 'Host', host);
      const posted = await postAnswer(server, answer(), { Host: host });
      assert.equal(posted.status, 403, host);
    }
    for (const host of [
      `127.0.0.1:${server.port}`,
      `127.0.0.9:${server.port}`,
      `LocalHost:${server.port}`,
      'localhost',
      `[::1]:${server.port}`,
      `[0:0:0:0:0:0:0:1]:${server.port}`,
    ]) {
      const accepted = await server.request({
        path: '/api/summary',
        headers: { ...headers, Host: host },
      });
      assert.equal(accepted.status, 200, host);
    }
  });

  test('a restart reads the same token instead of making a new one', async () => {
    await server.stop();
    server = await startServer({
      db: path.join(workspace.folder, 'answers.db'),
      args: ['--admin-token-file', tokenFile],
    });
    assert.equal(readToken(tokenFile), token);
    assert.ok(server.log().includes(`, admin token in ${tokenFile}`), server.log());
    const summary = await server.request({
      path: '/api/summary',
      headers: { Authorization: `Bearer ${token}` },
    });
    assert.equal(summary.status, 200);
  });
});

describe('a public bind without a token file', () => {
  let server;
  let workspace;
  let db;

  before(async () => {
    workspace = temporaryFolder();
    db = path.join(workspace.folder, 'data', 'answers.db');
    // Listening on every interface; the test still talks to 127.0.0.1 only.
    server = await startServer({ db, host: '0.0.0.0', args: ['--rate', '0'] });
  });

  after(async () => {
    await server?.stop();
    workspace?.remove();
  });

  test('creates a token next to the database, mode 0600, and reads need it even from loopback', async () => {
    const tokenFile = `${db}.token`;
    assert.ok(server.log().includes(`new admin token in ${tokenFile}`), server.log());
    assert.equal(modeOf(tokenFile), 0o600);
    const token = readToken(tokenFile);
    assert.match(token, /^[A-Za-z0-9_-]{43}$/);

    assert.equal((await postAnswer(server, answer())).status, 201);
    for (const endpoint of readEndpoints) {
      assert.equal((await server.request({ path: endpoint })).status, 401, endpoint);
      const ok = await server.request({
        path: endpoint,
        headers: { Authorization: `Bearer ${token}` },
      });
      assert.equal(ok.status, 200, endpoint);
    }
    // Other host names are the token's business, not the Host check's.
    const named = await server.request({
      path: '/api/summary',
      headers: { Host: 'collector.example', Authorization: `Bearer ${token}` },
    });
    assert.equal(named.status, 200);
  });
});

describe('the public summary with CSAT and CES', () => {
  let server;
  let workspace;

  before(async () => {
    workspace = temporaryFolder();
    server = await startServer({
      db: path.join(workspace.folder, 'answers.db'),
      args: [
        '--admin-token-file',
        path.join(workspace.folder, 'admin.token'),
        '--public-summary',
        '--rate',
        '0',
      ],
    });
    // CSAT companions: 7 in web, 6 in app, 2 in vip; 3 CES companions.
    let posted = 0;
    for (const [segment, count] of [
      ['web', 7],
      ['app', 6],
      ['vip', 2],
    ]) {
      for (let i = 0; i < count; i += 1, posted += 1) {
        const nps = answer({ score: 9, segment });
        assert.equal((await postAnswer(server, nps)).status, 201);
        const csat = answer({ metric: 'csat', score: 1 + (posted % 5), answer_id: nps.id });
        assert.equal((await postAnswer(server, csat)).status, 201);
        if (posted < 3) {
          const ces = answer({ metric: 'ces', score: 6, answer_id: nps.id });
          assert.equal((await postAnswer(server, ces)).status, 201);
        }
      }
    }
  });

  after(async () => {
    await server?.stop();
    workspace?.remove();
  });

  test('CSAT groups are folded like NPS groups; CES under --min-group is left out', async () => {
    const summary = (await server.request({ path: '/api/summary?by=segment' })).json();
    assert.equal(summary.csat.n, 15);
    // vip (2) alone would be the overall minus the others: app, the next
    // smallest, is folded with it.
    assert.deepEqual(
      summary.csat.groups.map((group) => [group.key, group.n]),
      [['web', 7]],
    );
    assert.deepEqual(summary.csat.folded, { min_group: 5, groups: 2, answers: 8 });
    assert.equal(summary.ces, undefined, 'three CES answers could name who gave them');
  });
});

describe('the public summary', () => {
  let server;
  let workspace;
  let token;
  const secrets = ['555-0100', 'jane@example.com', 'Jane Roe'];

  before(async () => {
    workspace = temporaryFolder();
    const tokenFile = path.join(workspace.folder, 'admin.token');
    server = await startServer({
      db: path.join(workspace.folder, 'answers.db'),
      args: ['--admin-token-file', tokenFile, '--public-summary', '--rate', '0'],
    });
    token = readToken(tokenFile);
    const posts = [];
    for (let i = 0; i < 8; i += 1) {
      posts.push(
        answer({ score: 9, segment: 'web', comment: `fast checkout, call 555-0100 ext ${i}` }),
      );
    }
    for (let i = 0; i < 5; i += 1) {
      posts.push(answer({ score: 6, segment: 'app', comment: `slow checkout says Jane Roe ${i}` }));
    }
    posts.push(answer({ score: 0, segment: 'vip', comment: 'furious: jane@example.com' }));
    for (const payload of posts) {
      const response = await postAnswer(server, payload);
      assert.equal(response.status, 201, response.text);
    }
  });

  after(async () => {
    await server?.stop();
    workspace?.remove();
  });

  test('without the token: no comment text, no group under --min-group, the rest folded', async () => {
    const response = await server.request({ path: '/api/summary?by=segment' });
    assert.equal(response.status, 200, response.text);
    for (const secret of secrets) assert.ok(!response.text.includes(secret), secret);
    const summary = response.json();
    assert.equal(summary.n, 14);
    for (const group of summary.groups) assert.ok(group.n >= 5, group.key);
    // "vip" alone (1 answer) would be the overall minus the others: the next
    // smallest segment goes with it.
    assert.deepEqual(
      summary.groups.map((group) => group.key),
      ['web'],
    );
    assert.deepEqual(summary.folded, { min_group: 5, groups: 2, answers: 6, overall: false });
    for (const themes of Object.values(summary.themes)) {
      for (const theme of themes) assert.deepEqual(theme.examples, []);
    }
    assert.ok(
      summary.themes.promoters.some((theme) => theme.term === 'fast'),
      JSON.stringify(summary.themes),
    );
  });

  test('date ranges and exports need the token', async () => {
    const dated = await server.request({ path: '/api/summary?from=2026-11-01' });
    assert.equal(dated.status, 400);
    assert.equal(dated.json().field, 'from');
    const exports = await server.request({ path: '/api/responses.jsonl' });
    assert.equal(exports.status, 401);
  });

  test('with the token: the full summary, examples and small groups included', async () => {
    const response = await server.request({
      path: '/api/summary?by=segment&from=2026-11-01',
      headers: { Authorization: `Bearer ${token}` },
    });
    assert.equal(response.status, 200);
    const summary = response.json();
    assert.deepEqual(
      summary.groups.map((group) => group.key),
      ['app', 'vip', 'web'],
    );
    assert.equal(summary.folded, undefined);
    assert.ok(response.text.includes('555-0100'));
  });
});

describe('behind a trusted proxy', () => {
  const server = collectorForSuite({ args: ['--proxy', '127.0.0.1', '--rate', '2/min'] });

  test("the rate limit counts the proxy's last X-Forwarded-For hop", async () => {
    const from = (client) => ({ 'X-Forwarded-For': `198.51.100.77, ${client}` });
    assert.equal((await postAnswer(server, answer(), from('203.0.113.1'))).status, 201);
    assert.equal((await postAnswer(server, answer(), from('203.0.113.1'))).status, 201);
    const limited = await postAnswer(server, answer(), from('203.0.113.1'));
    assert.equal(limited.status, 429);
    // The first hop is the client's own claim and changes nothing.
    assert.equal(
      (await postAnswer(server, answer(), { 'X-Forwarded-For': '203.0.113.1' })).status,
      429,
    );
    assert.equal((await postAnswer(server, answer(), from('203.0.113.2'))).status, 201);
  });

  test('requests through the proxy are remote: reads need the token created for it', async () => {
    assert.ok(server.log().includes('new admin token in '), server.log());
    const response = await server.request({
      path: '/api/responses.csv',
      headers: { Host: 'collector.example' },
    });
    assert.equal(response.status, 401);
  });
});

describe('without --proxy', () => {
  const server = collectorForSuite({ args: ['--rate', '1/min'] });

  test('X-Forwarded-For is ignored, and reads stay open to this machine', async () => {
    assert.equal(
      (await postAnswer(server, answer(), { 'X-Forwarded-For': '203.0.113.1' })).status,
      201,
    );
    assert.equal(
      (await postAnswer(server, answer(), { 'X-Forwarded-For': '203.0.113.2' })).status,
      429,
    );
    assert.ok(server.log().includes('reads from this machine only'), server.log());
    assert.equal((await server.request({ path: '/api/responses.csv' })).status, 200);
  });
});
