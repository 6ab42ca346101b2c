// The admin token of this tab: kept in sessionStorage (the calculator's
// Collector tab uses the same key, so signing in once serves both), sent as
// an Authorization header, never put in a link. Every request of the owner's
// pages goes through `api`, which says when the collector refuses the token.
import { tokenKey } from '../../demo/src/calc/files.js';

export class Unauthorized extends Error {
  constructor(message) {
    super(message);
    this.name = 'Unauthorized';
  }
}

export function createSession() {
  let token = '';
  try {
    token = sessionStorage.getItem(tokenKey) ?? '';
  } catch {
    // Storage refused (private mode): the token lives as long as the page.
  }
  const session = {
    get token() {
      return token;
    },
    signIn(value) {
      token = value;
      try {
        sessionStorage.setItem(tokenKey, value);
      } catch {
        // As above: the page still works until it is closed.
      }
    },
    signOut() {
      token = '';
      try {
        sessionStorage.removeItem(tokenKey);
      } catch {
        // Nothing stored, nothing to remove.
      }
    },
    /**
     * fetch() against the collector with the token; rejects with Unauthorized
     * on 401 and with an Error carrying the collector's message otherwise.
     */
    async api(url, { method = 'GET', body, headers = {} } = {}) {
      const response = await fetch(url, {
        method,
        cache: 'no-store',
        headers: {
          ...headers,
          ...(token ? { Authorization: `Bearer ${token}` } : {}),
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
      });
      if (response.status === 401) {
        throw new Unauthorized(
          token
            ? 'The collector refused this token. Check it against the token file named on the collector’s start-up line.'
            : 'This collector needs its admin token.',
        );
      }
      if (!response.ok && response.status !== 304) {
        const failure = await response.json().catch(() => null);
        throw Object.assign(
          new Error(failure?.message ?? `${url}: the collector answered ${response.status}`),
          { status: response.status, code: failure?.error },
        );
      }
      return response;
    },
  };
  return session;
}
