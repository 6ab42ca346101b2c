// The collector serves the demo: correct content types (the browser refuses
// to stream-compile WebAssembly without application/wasm), a strict CSP on
// HTML, compression when accepted, and nothing outside --root.
import assert from 'node:assert/strict';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';

import { startServer, temporaryFolder } from './server.mjs';

const expectedPolicy =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; connect-src 'self'; " +
  "img-src 'self' data: blob:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; " +
  "frame-ancestors 'none'";

// A valid module: the header and one custom section named "x" whose payload
// gives compression something to do.
function unsignedLeb128(value) {
  const bytes = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value) byte |= 0x80;
    bytes.push(byte);
  } while (value);
  return Buffer.from(bytes);
}
const customPayload = Buffer.alloc(8192, 0x61);
const wasmModule = Buffer.concat([
  Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x00]),
  unsignedLeb128(2 + customPayload.length),
  Buffer.from([0x01, 0x78]),
  customPayload,
]);

let server;
let workspace;
let root;

before(async () => {
  workspace = temporaryFolder();
  root = path.join(workspace.folder, 'site');
  mkdirSync(path.join(root, 'calculator'), { recursive: true });
  mkdirSync(path.join(root, '.git'));
  writeFileSync(
    path.join(root, 'index.html'),
    `<!doctype html><title>npskit demo</title>${'<p>demo</p>'.repeat(200)}`,
  );
  writeFileSync(
    path.join(root, 'calculator', 'index.html'),
    '<!doctype html><title>calculator</title>',
  );
  writeFileSync(
    path.join(root, 'app.js'),
    `export const answer = 42;\n${'// padding\n'.repeat(300)}`,
  );
  writeFileSync(
    path.join(root, 'style.css'),
    `body { margin: 0 }\n${'p { color: red }\n'.repeat(200)}`,
  );
  writeFileSync(path.join(root, 'npskit.wasm'), wasmModule);
  writeFileSync(path.join(root, 'data.json'), '{"n": 1}');
  writeFileSync(path.join(root, '.git', 'config'), '[core]\n');
  writeFileSync(path.join(workspace.folder, 'secret.txt'), 'outside the root\n');
  symlinkSync(path.join(workspace.folder, 'secret.txt'), path.join(root, 'escape.txt'));
  server = await startServer({
    db: path.join(workspace.folder, 'answers.db'),
    args: ['--root', root],
  });
});

after(async () => {
  await server?.stop();
  workspace?.remove();
});

describe('content types and headers', () => {
  const types = [
    ['/', 'text/html; charset=utf-8'],
    ['/index.html', 'text/html; charset=utf-8'],
    ['/calculator/', 'text/html; charset=utf-8'],
    ['/app.js', 'text/javascript; charset=utf-8'],
    ['/style.css', 'text/css; charset=utf-8'],
    ['/npskit.wasm', 'application/wasm'],
    ['/data.json', 'application/json'],
  ];
  for (const [file, type] of types) {
    test(`${file} is ${type}`, async () => {
      const response = await server.request({ path: file });
      assert.equal(response.status, 200);
      assert.equal(response.headers['content-type'], type);
      assert.equal(response.headers['x-content-type-options'], 'nosniff');
    });
  }

  test('HTML carries the strict CSP; other files do not need it', async () => {
    const page = await server.request({ path: '/' });
    assert.equal(page.headers['content-security-policy'], expectedPolicy);
    const script = await server.request({ path: '/app.js' });
    assert.equal(script.headers['content-security-policy'], undefined);
  });

  test('the WebAssembly module arrives byte for byte', async () => {
    const response = await server.request({ path: '/npskit.wasm' });
    assert.deepEqual(response.raw, wasmModule);
    assert.ok(WebAssembly.validate(response.raw));
  });

  test('a folder without its slash redirects to it', async () => {
    const response = await server.request({ path: '/calculator' });
    assert.equal(response.status, 301);
    assert.equal(response.headers.location, '/calculator/');
  });

  test('a repeated request with the ETag gets 304', async () => {
    const first = await server.request({ path: '/app.js' });
    const again = await server.request({
      path: '/app.js',
      headers: { 'If-None-Match': first.headers.etag },
    });
    assert.equal(again.status, 304);
    assert.equal(again.raw.length, 0);
  });

  test('HEAD answers headers only', async () => {
    const response = await server.request({ method: 'HEAD', path: '/npskit.wasm' });
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'application/wasm');
    assert.equal(response.raw.length, 0);
  });
});

describe('compression', () => {
  for (const file of ['/index.html', '/app.js', '/style.css', '/npskit.wasm']) {
    test(`${file} is gzipped when the client accepts gzip, plain otherwise`, async () => {
      const plain = await server.request({ path: file });
      const zipped = await server.request({ path: file, headers: { 'Accept-Encoding': 'gzip' } });
      assert.equal(plain.headers['content-encoding'], undefined);
      assert.equal(zipped.headers['content-encoding'], 'gzip');
      assert.match(zipped.headers.vary ?? '', /Accept-Encoding/);
      assert.ok(zipped.raw.length < plain.raw.length, `${zipped.raw.length} < ${plain.raw.length}`);
      assert.deepEqual(gunzipSync(zipped.raw), plain.raw);
    });
  }

  test('gzip;q=0 means no gzip', async () => {
    const response = await server.request({
      path: '/npskit.wasm',
      headers: { 'Accept-Encoding': 'gzip;q=0' },
    });
    assert.equal(response.headers['content-encoding'], undefined);
  });
});

describe('nothing outside the root', () => {
  const attempts = [
    '/../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E/%2e%2e/secret.txt',
    '/calculator/../../secret.txt',
    '/calculator/%2e%2e/%2e%2e/secret.txt',
    '/..%2fsecret.txt',
    '/..%5csecret.txt',
    '/%252e%252e/secret.txt',
    '/escape.txt',
    '/.git/config',
    '/app.js%00.html',
  ];
  for (const attempt of attempts) {
    test(`${attempt} is refused`, async () => {
      const response = await server.request({ path: attempt });
      assert.ok([400, 404].includes(response.status), `status ${response.status}`);
      assert.ok(!response.text.includes('outside the root'));
      assert.ok(!response.text.includes('[core]'));
    });
  }

  test('the service still answers after the attempts', async () => {
    const response = await server.request({ path: '/api/health' });
    assert.equal(response.status, 200);
  });
});
