// Cross-origin use: only the origins given with --allow-origin (and the
// collector's own) may post, and reads across origins need the admin token; a preflight says so correctly; the
// widget's text/plain posts need no preflight; credentials are never allowed.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { answer, collectorForSuite, postAnswer, storedAnswers } from './server.mjs';

const allowed = 'https://shop.example';
const refused = 'https://evil.example';

const server = collectorForSuite({
  args: ['--allow-origin', allowed, '--allow-origin', 'http://localhost:3000', '--rate', '0'],
});

function preflight(origin, method = 'POST', headers = 'content-type') {
  return server.request({
    method: 'OPTIONS',
    path: '/api/responses',
    headers: {
      Origin: origin,
      'Access-Control-Request-Method': method,
      'Access-Control-Request-Headers': headers,
    },
  });
}

describe('preflight', () => {
  test('from an allowed origin: 204 with the exact origin, methods, headers, no credentials', async () => {
    const response = await preflight(allowed, 'POST', 'content-type,x-site-token');
    assert.equal(response.status, 204);
    assert.equal(response.headers['access-control-allow-origin'], allowed);
    assert.match(response.headers['access-control-allow-methods'], /\bPOST\b/);
    assert.equal(response.headers['access-control-allow-headers'], 'content-type,x-site-token');
    assert.ok(Number(response.headers['access-control-max-age']) > 0);
    assert.match(response.headers.vary, /Origin/);
    assert.equal(response.headers['access-control-allow-credentials'], undefined);
  });

  test('from a refused origin: 403 and no CORS headers', async () => {
    const response = await preflight(refused);
    assert.equal(response.status, 403);
    assert.equal(response.headers['access-control-allow-origin'], undefined);
    assert.equal(response.json().field, 'Origin');
  });

  test('for a method the endpoint does not take: 403', async () => {
    const response = await preflight(allowed, 'DELETE');
    assert.equal(response.status, 403);
    assert.equal(response.json().error, 'method_not_allowed');
  });

  test('origins compare exactly: another port or scheme is another origin', async () => {
    assert.equal((await preflight('http://localhost:3001')).status, 403);
    assert.equal((await preflight('http://shop.example')).status, 403);
    assert.equal((await preflight('http://localhost:3000')).status, 204);
  });
});

describe('simple requests', () => {
  test('a text/plain post from an allowed origin is stored and readable by the page', async () => {
    const payload = answer({ score: 6 });
    const response = await postAnswer(server, payload, {
      'Content-Type': 'text/plain;charset=UTF-8',
      Origin: allowed,
    });
    assert.equal(response.status, 201, response.text);
    assert.equal(response.headers['access-control-allow-origin'], allowed);
    assert.equal(response.headers['access-control-allow-credentials'], undefined);
    // The widget reads Retry-After when it is asked to slow down.
    assert.match(response.headers['access-control-expose-headers'], /Retry-After/);
    const stored = await storedAnswers(server);
    assert.ok(stored.some((row) => row.id === payload.id));
  });

  test('a post from a refused origin is rejected and not stored', async () => {
    const payload = answer({ score: 1 });
    const response = await postAnswer(server, payload, {
      'Content-Type': 'text/plain',
      Origin: refused,
    });
    assert.equal(response.status, 403);
    assert.equal(response.headers['access-control-allow-origin'], undefined);
    const stored = await storedAnswers(server);
    assert.ok(!stored.some((row) => row.id === payload.id));
  });

  test('a page served by the collector itself is same-origin without configuration', async () => {
    const payload = answer({ score: 8 });
    const response = await postAnswer(server, payload, { Origin: server.base });
    assert.equal(response.status, 201);
    assert.equal(response.headers['access-control-allow-origin'], undefined);
  });

  test('a foreign host name pointing at the loopback collector is refused (DNS rebinding)', async () => {
    const response = await server.request({
      path: '/api/responses.jsonl',
      headers: {
        Host: `rebind.example:${server.port}`,
        Origin: `http://rebind.example:${server.port}`,
      },
    });
    assert.equal(response.status, 403);
    assert.equal(response.json().field, 'Host');
    const local = await server.request({
      path: '/api/health',
      headers: { Host: `localhost:${server.port}` },
    });
    assert.equal(local.status, 200);
  });

  test('reading the summary cross-origin is refused without the admin token, even from an allowed origin', async () => {
    for (const origin of [allowed, refused, 'null']) {
      const response = await server.request({ path: '/api/summary', headers: { Origin: origin } });
      assert.equal(response.status, 403, origin);
      assert.equal(response.headers['access-control-allow-origin'], undefined, origin);
    }
  });

  test('a preflight for reading the summary is refused without the admin token', async () => {
    const response = await server.request({
      method: 'OPTIONS',
      path: '/api/summary',
      headers: { Origin: allowed, 'Access-Control-Request-Method': 'GET' },
    });
    assert.equal(response.status, 403);
    assert.equal(response.headers['access-control-allow-origin'], undefined);
  });
});
