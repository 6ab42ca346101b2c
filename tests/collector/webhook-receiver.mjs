// A webhook receiver on 127.0.0.1 for the alert tests: records every request
// (headers and raw body) and answers with the status a test chooses, and
// checks Standard Webhooks signatures with node:crypto, independently of the
// collector's code.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';

/**
 * Starts a receiver. `answer(request, index)` returns the status for the
 * index-th request (0-based); 200 when not given.
 */
export async function startReceiver({ answer = () => 200 } = {}) {
  const requests = [];
  const waiters = new Set();
  const server = http.createServer((incoming, outgoing) => {
    const chunks = [];
    incoming.on('data', (chunk) => chunks.push(chunk));
    incoming.on('end', () => {
      const record = {
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      const status = answer(record, requests.length);
      record.status = status;
      requests.push(record);
      outgoing.statusCode = status;
      outgoing.end(status === 200 ? 'ok' : 'no');
      for (const waiter of waiters) waiter();
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `http://127.0.0.1:${port}/hooks/npskit`,
    requests,
    /** Requests answered with 2xx, in arrival order. */
    accepted: () => requests.filter((request) => request.status >= 200 && request.status < 300),
    /** Resolves once predicate(requests) holds; rejects after `seconds`. */
    waitFor(predicate, what, seconds = 60) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (predicate(requests)) {
            waiters.delete(check);
            clearTimeout(timer);
            resolve(requests);
          }
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`receiver: still waiting for ${what} after ${seconds} s`));
        }, seconds * 1000);
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections?.();
        server.close(resolve);
      }),
  };
}

/** The key of a whsec_ secret file, as the specification defines it. */
export function secretKey(file) {
  const text = readFileSync(file, 'utf8').trim();
  if (!text.startsWith('whsec_')) throw new Error(`${file}: not a whsec_ secret`);
  return Buffer.from(text.slice('whsec_'.length), 'base64');
}

/** True when one of the v1 signatures of the request is HMAC-SHA256(id.timestamp.body). */
export function signatureVerifies(request, key) {
  const id = request.headers['webhook-id'];
  const timestamp = request.headers['webhook-timestamp'];
  const header = request.headers['webhook-signature'];
  if (!id || !timestamp || !header) return false;
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${request.body}`).digest();
  return header.split(' ').some((entry) => {
    const [version, signature] = entry.split(',');
    const given = Buffer.from(signature ?? '', 'base64');
    return version === 'v1' && given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/** Fails when one webhook-id came with two different bodies. */
export function idsKeepTheirPayload(requests) {
  const bodies = new Map();
  for (const request of requests) {
    const id = request.headers['webhook-id'];
    if (bodies.has(id) && bodies.get(id) !== request.body) {
      throw new Error(`webhook-id ${id} delivered with two different payloads`);
    }
    bodies.set(id, request.body);
  }
  return bodies;
}
