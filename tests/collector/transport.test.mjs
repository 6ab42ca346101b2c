// The HTTP transport under hostile clients: bounded request lines, headers
// and bodies, strict framing, no range amplification, and slow or idle
// connections that never hold up other clients. Attacking sockets connect
// from other loopback addresses (127.0.x.y) so that each client address
// stays under the per-client connection cap, as many real clients would.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';

import { answer, collectorForSuite, postAnswer, startServer, temporaryFolder } from './server.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends raw bytes and resolves with everything the server wrote back before closing. */
function rawExchange(port, chunks, { localAddress } = {}) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ port, host: '127.0.0.1', localAddress }, () => {
      for (const chunk of chunks) socket.write(chunk);
    });
    let text = '';
    socket.setEncoding('latin1');
    socket.on('data', (chunk) => (text += chunk));
    socket.on('end', () => resolve(text));
    socket.on('close', () => resolve(text));
    socket.on('error', (error) => (text ? resolve(text) : reject(error)));
  });
}

function residentKilobytes(pid) {
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return Number(match[1]);
}

/** Posts answers from 127.0.0.1 every `interval` ms until `until()`; returns statuses and latencies. */
async function postWhile(server, until, interval = 100) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
  const results = [];
  try {
    while (!until() && results.length < 400) {
      const started = performance.now();
      const response = await server.request({
        method: 'POST',
        path: '/api/responses',
        agent,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(answer()),
      });
      results.push({ status: response.status, ms: performance.now() - started });
      await sleep(interval);
    }
  } finally {
    agent.destroy();
  }
  return results;
}

describe('limits and framing', () => {
  let server;
  let workspace;
  const big = Buffer.alloc(100000, 0x62);

  before(async () => {
    workspace = temporaryFolder();
    const root = path.join(workspace.folder, 'site');
    mkdirSync(path.join(root, 'locales'), { recursive: true });
    writeFileSync(path.join(root, 'locales', 'index.html'), '<!doctype html><title>x</title>');
    writeFileSync(path.join(root, 'big.bin'), big);
    server = await startServer({
      db: path.join(workspace.folder, 'answers.db'),
      args: ['--root', root, '--rate', '0'],
    });
  });

  after(async () => {
    await server?.stop();
    workspace?.remove();
  });

  const head = (lines) => `${lines.join('\r\n')}\r\n\r\n`;

  const framing = [
    ['Transfer-Encoding with Content-Length', ['Transfer-Encoding: chunked', 'Content-Length: 5']],
    ['Content-Length with Transfer-Encoding', ['Content-Length: 5', 'Transfer-Encoding: chunked']],
    ['two equal Content-Length headers', ['Content-Length: 5', 'Content-Length: 5']],
    ['a Content-Length list', ['Content-Length: 5, 5']],
    ['two different Content-Length headers', ['Content-Length: 5', 'Content-Length: 6']],
    ['an unknown transfer coding', ['Transfer-Encoding: gzip']],
    ['a coding before chunked', ['Transfer-Encoding: gzip, chunked']],
  ];
  for (const [name, fields] of framing) {
    test(`${name} -> 400, connection closed`, async () => {
      const reply = await rawExchange(server.port, [
        head(['POST /api/responses HTTP/1.1', 'Host: 127.0.0.1', ...fields]) + '0\r\n\r\n',
      ]);
      assert.match(reply, /^HTTP\/1\.1 400 /);
      assert.match(reply, /Connection: close/i);
      assert.match(reply, /"error":"bad_request"/);
      assert.equal(reply.match(/^HTTP\/1\.1 \d{3} /gm).length, 1, 'nothing after it is read');
    });
  }

  test('a NUL anywhere in a body -> 400, nothing stored', async () => {
    const payload = answer();
    const body = Buffer.concat([Buffer.from(JSON.stringify(payload)), Buffer.from([0, 0x41])]);
    const response = await postAnswer(server, body);
    assert.equal(response.status, 400);
    assert.equal(response.json().field, 'body');
    const inside = Buffer.from(
      JSON.stringify(answer({ comment: 'a\u0000b' })).replace('\\u0000', '\u0000'),
    );
    assert.equal((await postAnswer(server, inside)).status, 400);
    const stored = await server.request({ path: '/api/responses.jsonl' });
    assert.ok(!stored.text.includes(payload.id));
  });

  test('a request line over 8 KiB -> 414; headers over 32 KiB -> 431', async () => {
    const longTarget = await rawExchange(server.port, [
      head([`GET /${'a'.repeat(9000)} HTTP/1.1`, 'Host: 127.0.0.1']),
    ]);
    assert.match(longTarget, /^HTTP\/1\.1 414 /);
    const longHeader = await rawExchange(server.port, [
      head(['GET / HTTP/1.1', 'Host: 127.0.0.1', `X-Big: ${'b'.repeat(40000)}`]),
    ]);
    assert.match(longHeader, /^HTTP\/1\.1 431 /);
    const manyHeaders = await rawExchange(server.port, [
      head([
        'GET / HTTP/1.1',
        'Host: 127.0.0.1',
        ...Array.from({ length: 2000 }, (_, i) => `X-${i}: ${'c'.repeat(20)}`),
      ]),
    ]);
    assert.match(manyHeaders, /^HTTP\/1\.1 431 /);
  });

  test('a 2 MB body gets a 413 the client can read, every time', async () => {
    const body = JSON.stringify(answer({ comment: 'x'.repeat(2 * 1024 * 1024) }));
    for (let i = 0; i < 5; i += 1) {
      const agent = new http.Agent({ keepAlive: false });
      const response = await server.request({
        method: 'POST',
        path: '/api/responses',
        agent,
        headers: { 'Content-Type': 'application/json' },
        body,
      });
      assert.equal(response.status, 413);
      assert.equal(response.json().error, 'payload_too_large');
    }
  });

  test('200 ranges in one Range header are not amplified', async () => {
    const ranges = Array.from({ length: 200 }, () => '0-').join(',');
    const response = await server.request({
      path: '/big.bin',
      headers: { Range: `bytes=${ranges}` },
    });
    assert.equal(response.status, 200);
    assert.equal(response.raw.length, big.length, 'the file once, not 200 times');
    const single = await server.request({ path: '/big.bin', headers: { Range: 'bytes=10-19' } });
    assert.equal(single.status, 206);
    assert.equal(single.headers['content-range'], `bytes 10-19/${big.length}`);
    assert.deepEqual(single.raw, big.subarray(10, 20));
    const beyond = await server.request({ path: '/big.bin', headers: { Range: 'bytes=200000-' } });
    assert.equal(beyond.status, 416);
  });

  test('GET //locales redirects on this site only, never protocol-relative', async () => {
    for (const target of ['//locales', '///locales', '/locales']) {
      const response = await server.request({ path: target });
      assert.equal(response.status, 301);
      assert.equal(response.headers.location, '/locales/');
    }
  });

  test('no file system path in any answer', async () => {
    for (const target of ['/nothing-here', '/%2e%2e/x', '/api/nothing', '/locales/missing.txt']) {
      const response = await server.request({ path: target });
      assert.ok(!response.text.includes(workspace.folder), `${target}: ${response.text}`);
    }
  });

  test('a 50 MB header flood is closed with 431 and memory comes back under the bound', async () => {
    const before = residentKilobytes(server.child.pid);
    // A polite client stops sending once it has its answer; a hostile one
    // keeps going and is cut off.
    const flood = (polite) =>
      new Promise((resolve) => {
        const socket = net.connect(server.port, '127.0.0.1');
        const line = Buffer.from(`X-Flood: ${'f'.repeat(1014)}\r\n`);
        let answered = false;
        let reply = '';
        let written = 0;
        // 64 KB at a time, yielding in between so that the answer is read.
        const pump = () => {
          for (let batch = 0; batch < 64; batch += 1) {
            if (written >= 50 * 1024 * 1024 || answered || socket.destroyed) {
              return socket.end();
            }
            written += line.length;
            if (!socket.write(line)) return socket.once('drain', pump);
          }
          return setImmediate(pump);
        };
        socket.on('connect', () => {
          socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n');
          pump();
        });
        socket.setEncoding('latin1');
        // A client stops sending once it has its answer.
        socket.on('data', (chunk) => {
          reply += chunk;
          answered = polite;
        });
        socket.on('error', () => {});
        socket.on('close', () => resolve({ reply, written }));
      });
    const floods = await Promise.all([flood(true), flood(true), flood(false), flood(false)]);
    for (const { reply, written } of floods.slice(0, 2)) {
      assert.match(reply, /^HTTP\/1\.1 431 /);
      assert.ok(written < 50 * 1024 * 1024, 'answered before all 50 MB were sent');
    }
    for (const { written } of floods.slice(2)) {
      assert.ok(written < 50 * 1024 * 1024, `cut off after ${written} bytes, not 50 MB`);
    }
    const afterFlood = residentKilobytes(server.child.pid);
    // The documented bound: a flood adds at most 16 MB of resident memory.
    assert.ok(afterFlood - before < 16 * 1024, `RSS ${before} kB -> ${afterFlood} kB`);
    assert.equal((await server.request({ path: '/api/health' })).status, 200);
  });
});

describe('slow and idle clients', () => {
  const server = collectorForSuite({ args: ['--rate', '0', '--synchronous', 'NORMAL'] });

  test('200 sockets trickling header bytes are closed; other POSTs never wait', async () => {
    const started = Date.now();
    const sockets = Array.from({ length: 200 }, (_, i) => {
      const socket = net.connect({
        port: server.port,
        host: '127.0.0.1',
        localAddress: `127.0.1.${1 + (i % 8)}`,
      });
      const state = { socket, closedAt: null };
      socket.on('error', () => {});
      socket.on('close', () => (state.closedAt = Date.now()));
      socket.on('connect', () =>
        socket.write('POST /api/responses HTTP/1.1\r\nHost: 127.0.0.1\r\n'),
      );
      return state;
    });
    // One more header byte a second from every socket, for at most 20 s.
    const trickle = setInterval(() => {
      for (const { socket } of sockets) if (!socket.destroyed) socket.write('X');
    }, 1000);
    const allClosed = () => sockets.every((state) => state.closedAt !== null);
    let posts;
    try {
      posts = await postWhile(server, () => allClosed() || Date.now() - started > 20000);
    } finally {
      clearInterval(trickle);
      for (const { socket } of sockets) socket.destroy();
    }
    assert.ok(posts.length > 10, `${posts.length} posts`);
    assert.deepEqual(
      posts.filter((post) => post.status !== 201),
      [],
      'every POST is stored',
    );
    const slowest = Math.max(...posts.map((post) => post.ms));
    assert.ok(slowest < 1000, `the slowest POST took ${slowest.toFixed(0)} ms`);
    assert.ok(
      sockets.every((state) => state.closedAt !== null && state.closedAt - started < 20000),
      'the server closed every trickling socket (header deadline 10 s)',
    );
  });

  test('1,000 idle connections neither block POSTs nor stay open', async () => {
    const sockets = await Promise.all(
      Array.from(
        { length: 1000 },
        (_, i) =>
          new Promise((resolve) => {
            const socket = net.connect({
              port: server.port,
              host: '127.0.0.1',
              localAddress: `127.0.2.${1 + (i % 20)}`,
            });
            const state = { socket, closedAt: null };
            socket.on('error', () => {});
            socket.on('close', () => (state.closedAt = Date.now()));
            socket.on('connect', () => resolve(state));
          }),
      ),
    );
    const opened = Date.now();
    const allClosed = () => sockets.every((state) => state.closedAt !== null);
    let posts;
    try {
      posts = await postWhile(server, () => allClosed() || Date.now() - opened > 15000, 50);
    } finally {
      for (const { socket } of sockets) socket.destroy();
    }
    assert.ok(posts.length > 10, `${posts.length} posts`);
    assert.deepEqual(
      posts.filter((post) => post.status !== 201),
      [],
    );
    const slowest = Math.max(...posts.map((post) => post.ms));
    assert.ok(slowest < 1000, `the slowest POST took ${slowest.toFixed(0)} ms`);
    assert.ok(allClosed(), 'idle connections are closed (keep-alive timeout 5 s)');
  });
});

describe('connection caps', () => {
  const server = collectorForSuite({
    args: ['--max-connections-per-client', '4', '--max-connections', '8'],
  });

  const open = (localAddress) =>
    new Promise((resolve) => {
      const socket = net.connect({ port: server.port, host: '127.0.0.1', localAddress });
      socket.on('error', () => {});
      socket.on('connect', () => resolve(socket));
    });

  test('one address gets its share; others are still served; the total is capped', async () => {
    const held = await Promise.all(Array.from({ length: 4 }, () => open('127.0.3.1')));
    // A connection is complete before the server has accepted it.
    await sleep(300);
    try {
      const refused = await rawExchange(server.port, [], { localAddress: '127.0.3.1' });
      assert.match(refused, /^HTTP\/1\.1 503 /);
      assert.match(refused, /"error":"too_many_connections"/);
      const other = await rawExchange(
        server.port,
        ['GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'],
        { localAddress: '127.0.3.2' },
      );
      assert.match(other, /^HTTP\/1\.1 200 /);
      await sleep(300); // until the server has seen that connection close
      held.push(...(await Promise.all(Array.from({ length: 4 }, () => open('127.0.3.3')))));
      await sleep(300);
      const full = await rawExchange(server.port, [], { localAddress: '127.0.3.4' });
      assert.match(full, /^HTTP\/1\.1 503 /);
    } finally {
      for (const socket of held) socket.destroy();
    }
    await sleep(200);
    assert.equal((await server.request({ path: '/api/health' })).status, 200);
  });
});
