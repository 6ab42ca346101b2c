// Delivery: the npskit.response/1 payload, retry with backoff, Retry-After,
// final rejections, offline periods and reloads, page hide without a CORS
// preflight, dismissals, anonymous mode, extra headers, comments that try to
// become markup, calls queued before the script loads, and an API that never
// throws into the host page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser } from './support.mjs';
import {
  answer,
  collector,
  eventually,
  events,
  hostPage,
  inSurvey,
  loadCoreInNode,
  locales,
  openPage,
  startHost,
  stub,
  surveyVisible,
  withoutStatusLines,
} from './fixtures/widget/harness.mjs';

const uuidV4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
let browser;
let host;
// A second origin for the endpoint, as most sites post to another host.
let api;
const routes = {};

before(async () => {
  host = await startHost({ routes });
  api = await startHost({ routes });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await host?.close();
  await api?.close();
});

let routeCount = 0;
/** A fresh recording endpoint on the API origin; returns [url, recorder]. */
function endpointFor(respond) {
  const recorder = collector(respond);
  const path = `/collect-${++routeCount}`;
  routes[path] = recorder.route;
  return [api.url + path, recorder];
}

const queueLength = (page) =>
  page.evaluate(() => {
    try {
      return JSON.parse(localStorage.getItem('npskit:queue') || '[]').length;
    } catch {
      return -1;
    }
  });

test('the payload is npskit.response/1 with every field, posted as JSON with the extra headers', async () => {
  const [url, endpoint] = endpointFor();
  const page = host.addPage({
    attributes: {
      endpoint: url,
      survey: 'acme-nps',
      product: 'Acme',
      locale: 'sv',
      user: JSON.stringify({ id: 'u-42' }),
      properties: JSON.stringify({ plan: 'pro' }),
      headers: JSON.stringify({ 'X-Api-Key': 'k-123' }),
    },
  });
  const { context, page: tab, errors } = await openPage(browser, page);
  try {
    await surveyVisible(tab);
    const before = Date.now();
    await answer(tab, 9, 'Snabb support');
    await eventually(() => endpoint.accepted().length === 1, 'one answer');
    const [request] = endpoint.posts();
    assert.match(request.headers['content-type'], /^application\/json/);
    assert.equal(request.headers['x-api-key'], 'k-123');
    assert.equal(request.headers.cookie, undefined, 'no cookies');
    const payload = JSON.parse(request.body);
    assert.deepEqual(Object.keys(payload), [
      'schema',
      'type',
      'id',
      'survey',
      'score',
      'category',
      'comment',
      'submitted_at',
      'locale',
      'page',
      'user',
      'properties',
    ]);
    assert.equal(payload.schema, 'npskit.response/1');
    assert.equal(payload.type, 'response');
    assert.match(payload.id, uuidV4);
    assert.equal(payload.survey, 'acme-nps');
    assert.equal(payload.score, 9);
    assert.equal(payload.category, 'promoter');
    assert.equal(payload.comment, 'Snabb support');
    assert.ok(
      Date.parse(payload.submitted_at) >= before - 1000 && payload.submitted_at.endsWith('Z'),
    );
    assert.equal(payload.locale, 'sv');
    assert.equal(payload.page, new URL(page).origin + new URL(page).pathname);
    assert.deepEqual(payload.user, { id: 'u-42' });
    assert.deepEqual(payload.properties, { plan: 'pro' });
    const [response] = await events(tab, 'response');
    assert.deepEqual(response.detail, payload, "the 'response' event carries the same payload");
    await eventually(
      async () => (await events(tab, 'delivered')).length === 1,
      "the 'delivered' event",
    );
    assert.equal(await queueLength(tab), 0, 'nothing left in the queue');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a flaky endpoint (503, then 200) gets exactly one answer', async () => {
  const [url, endpoint] = endpointFor((request, index) => (index === 0 ? 503 : 200));
  const page = host.addPage({
    attributes: { endpoint: url, survey: 'flaky', retryBaseSeconds: 0.05 },
  });
  const { context, page: tab, errors } = await openPage(browser, page);
  try {
    await surveyVisible(tab);
    await answer(tab, 4, 'retry me');
    await eventually(() => endpoint.accepted().length === 1, 'the retried answer');
    await tab.waitForTimeout(300);
    const posts = endpoint.posts();
    assert.deepEqual(
      posts.map((post) => post.status),
      [503, 200],
    );
    assert.equal(
      JSON.parse(posts[0].body).id,
      JSON.parse(posts[1].body).id,
      'the retry is the same answer (same id)',
    );
    assert.equal(endpoint.accepted().length, 1);
    assert.equal(await queueLength(tab), 0);
    assert.deepEqual(withoutStatusLines(errors, 503), []);
  } finally {
    await context.close();
  }
});

test('Retry-After from a 429 is honored before the next attempt', async () => {
  const [url, endpoint] = endpointFor((request, index) =>
    index === 0 ? { status: 429, headers: { 'retry-after': '1' } } : 200,
  );
  const page = host.addPage({
    attributes: { endpoint: url, survey: 'retry-after', retryBaseSeconds: 0.01 },
  });
  const { context, page: tab, errors } = await openPage(browser, page);
  try {
    await surveyVisible(tab);
    await answer(tab, 10);
    await eventually(() => endpoint.accepted().length === 1, 'the answer after Retry-After');
    const [first, second] = endpoint.posts();
    assert.ok(
      second.time - first.time >= 950,
      `waited ${second.time - first.time} ms of the 1 s the endpoint asked for`,
    );
    assert.deepEqual(withoutStatusLines(errors, 429), []);
  } finally {
    await context.close();
  }
});

test("a final 4xx is not retried and is reported through 'error'", async () => {
  const [url, endpoint] = endpointFor(() => 422);
  const page = host.addPage({
    attributes: { endpoint: url, survey: 'rejected', retryBaseSeconds: 0.01 },
  });
  const { context, page: tab, errors } = await openPage(browser, page);
  try {
    await surveyVisible(tab);
    await answer(tab, 2);
    const error = await eventually(
      async () => (await events(tab, 'error'))[0],
      "the 'error' event",
    );
    assert.equal(error.detail.code, 'rejected');
    assert.equal(error.detail.status, 422);
    assert.match(error.detail.message, /HTTP 422/);
    await tab.waitForTimeout(300);
    assert.equal(endpoint.posts().length, 1, 'no retry after a final rejection');
    assert.equal(await queueLength(tab), 0);
    assert.deepEqual(withoutStatusLines(errors, 422), []);
  } finally {
    await context.close();
  }
});

test('an answer given offline survives closing the page and arrives exactly once', async () => {
  const [url, endpoint] = endpointFor();
  const page = host.addPage({ attributes: { endpoint: url, survey: 'offline' } });
  const { context, page: tab, errors } = await openPage(browser, page);
  try {
    await surveyVisible(tab);
    await context.setOffline(true);
    await answer(tab, 8, 'written on a train');
    await tab.waitForTimeout(200);
    assert.equal(endpoint.posts().length, 0, 'nothing reached the endpoint while offline');
    assert.equal(await queueLength(tab), 1, 'the answer waits in the durable queue');
    await tab.close();

    await context.setOffline(false);
    const later = await context.newPage();
    await later.goto(page);
    await eventually(() => endpoint.accepted().length === 1, 'the answer after the reload');
    await later.waitForLoadState('networkidle');
    await later.reload();
    await later.waitForLoadState('networkidle');
    assert.equal(endpoint.posts().length, 1, 'delivered exactly once');
    assert.equal(endpoint.accepted()[0].comment, 'written on a train');
    assert.equal(await queueLength(later), 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('coming back online flushes the queue on the same page', async () => {
  const [url, endpoint] = endpointFor();
  const page = host.addPage({ attributes: { endpoint: url, survey: 'online-again' } });
  const { context, page: tab, errors } = await openPage(browser, page);
  try {
    await surveyVisible(tab);
    await context.setOffline(true);
    await answer(tab, 5);
    await context.setOffline(false);
    await eventually(() => endpoint.accepted().length === 1, 'the answer after the online event');
    await tab.waitForTimeout(300);
    assert.equal(endpoint.posts().length, 1);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('on page hide a waiting answer goes out with keepalive as text/plain, without a CORS preflight', async () => {
  // The first POST (application/json, preflighted) fails; the retry is far
  // away, so only the page-hide send can deliver it before the next visit.
  const [url, endpoint] = endpointFor((request, index) => (index === 0 ? 503 : 200));
  const page = host.addPage({
    attributes: { endpoint: url, survey: 'hide', retryBaseSeconds: 3600 },
  });
  const { context, page: tab, errors } = await openPage(browser, page);
  try {
    await surveyVisible(tab);
    await answer(tab, 10, 'leaving now');
    await eventually(() => endpoint.posts().length === 1, 'the first attempt');
    const preflightsBefore = endpoint.requests.filter(
      (request) => request.method === 'OPTIONS',
    ).length;
    assert.equal(
      preflightsBefore,
      1,
      'the JSON post was preflighted (cross-origin, application/json)',
    );
    await tab.goto(host.addPage({ attributes: { survey: 'elsewhere', trigger: 'manual' } }));
    await eventually(() => endpoint.accepted().length === 1, 'the page-hide send');
    const hidden = endpoint.posts()[1];
    assert.equal(hidden.headers['content-type'], 'text/plain;charset=UTF-8');
    assert.equal(JSON.parse(hidden.body).comment, 'leaving now');
    assert.equal(JSON.parse(hidden.body).id, JSON.parse(endpoint.posts()[0].body).id);
    const preflights = endpoint.requests.filter((request) => request.method === 'OPTIONS').length;
    assert.equal(preflights, preflightsBefore, 'no preflight for the page-hide send');
    assert.deepEqual(withoutStatusLines(errors, 503), []);
  } finally {
    await context.close();
  }
});

test('contentType "text" posts every answer as text/plain, so the endpoint never sees a preflight', async () => {
  const [url, endpoint] = endpointFor();
  const page = host.addPage({
    attributes: { endpoint: url, survey: 'plain', contentType: 'text' },
  });
  const { context, page: tab, errors } = await openPage(browser, page);
  try {
    await surveyVisible(tab);
    await answer(tab, 8, 'no preflight please');
    await eventually(() => endpoint.accepted().length === 1, 'the answer');
    assert.equal(endpoint.posts()[0].headers['content-type'], 'text/plain;charset=UTF-8');
    assert.equal(endpoint.accepted()[0].comment, 'no preflight please');
    assert.equal(endpoint.requests.filter((request) => request.method === 'OPTIONS').length, 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('dismissals are posted only when enabled, as type "dismissal" without a score', async () => {
  const [url, endpoint] = endpointFor();
  for (const postDismissals of [false, true]) {
    const page = host.addPage({
      attributes: { endpoint: url, survey: `dismiss-${postDismissals}`, postDismissals },
    });
    const { context, page: tab, errors } = await openPage(browser, page);
    try {
      await surveyVisible(tab);
      await inSurvey(tab, '.close').click();
      await eventually(
        async () => (await events(tab, 'dismissal')).length === 1,
        "the 'dismissal' event",
      );
      // The post goes out after the event; network idleness can come first.
      if (postDismissals)
        await eventually(async () => (await events(tab, 'delivered')).length === 1, 'delivery');
      await tab.waitForLoadState('networkidle');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
  const posted = endpoint.accepted();
  assert.equal(posted.length, 1, 'only the survey with postDismissals posted');
  assert.equal(posted[0].survey, 'dismiss-true');
  assert.equal(posted[0].type, 'dismissal');
  assert.equal(posted[0].score, undefined);
  assert.match(posted[0].id, uuidV4);
});

test('anonymous mode leaves out the page URL and the user', async () => {
  const [url, endpoint] = endpointFor();
  const page = host.addPage({
    attributes: {
      endpoint: url,
      survey: 'anonymous',
      anonymous: true,
      user: '{"id":"u-7"}',
      properties: '{"plan":"free"}',
    },
  });
  const { context, page: tab, errors } = await openPage(browser, page);
  try {
    await surveyVisible(tab);
    await answer(tab, 6);
    await eventually(() => endpoint.accepted().length === 1, 'the answer');
    const [payload] = endpoint.accepted();
    assert.equal(payload.page, undefined);
    assert.equal(payload.user, undefined);
    assert.deepEqual(payload.properties, { plan: 'free' }, 'site properties stay');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('markup in the comment and the product name stays text everywhere', async () => {
  const [url, endpoint] = endpointFor();
  const attack = `<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>"'&amp;`;
  const product = '<b onmouseover="window.__pwned=3">Acme</b>';
  const page = host.addPage({ attributes: { endpoint: url, survey: 'xss', product } });
  const { context, page: tab, errors } = await openPage(browser, page);
  try {
    await surveyVisible(tab);
    assert.equal(
      await inSurvey(tab, '.question').textContent(),
      `How likely are you to recommend ${product} to a friend or colleague?`,
    );
    await answer(tab, 1, attack);
    await eventually(() => endpoint.accepted().length === 1, 'the answer');
    assert.equal(endpoint.accepted()[0].comment, attack, 'the comment arrives exactly as typed');
    const markup = await tab.evaluate(() => {
      const root = document.querySelector('npskit-survey')?.shadowRoot;
      return {
        pwned: window.__pwned,
        injected:
          document.querySelectorAll('img, b').length +
          (root ? root.querySelectorAll('img, b, script').length : 0),
      };
    });
    assert.deepEqual(markup, { pwned: undefined, injected: 0 });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('calls made before the script loads are queued and replayed (the two-line stub)', async () => {
  const [url, endpoint] = endpointFor();
  const before = `${stub}
    window.seen = [];
    NpsKit.on('shown', function (detail) { window.seen.push('shown:' + detail.survey); });
    NpsKit.on('response', function (detail) { window.seen.push('response:' + detail.score); });
    NpsKit.init({ endpoint: ${JSON.stringify(url)}, survey: 'stubbed', mode: 'inline', target: '#slot', trigger: 'manual' });
    NpsKit.show();`;
  const page = host.addPage(hostPage({ before }));
  const { context, page: tab, errors } = await openPage(browser, page);
  try {
    await surveyVisible(tab);
    assert.ok(
      await tab.evaluate(() => document.querySelector('#slot npskit-survey') !== null),
      'inline in #slot, from init()',
    );
    await answer(tab, 7);
    await eventually(() => endpoint.accepted().length === 1, 'the answer');
    assert.deepEqual(await tab.evaluate(() => window.seen), ['shown:stubbed', 'response:7']);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test("bad options and misuse never throw into the page; each becomes a clear 'error' event", async () => {
  const page = host.addPage({
    attributes: { survey: 'misuse', mode: 'popup', sampleRate: '1.5', trigger: 'manual' },
  });
  const { context, page: tab, errors } = await openPage(browser, page);
  try {
    await tab.waitForFunction(() => window.NpsKit && window.NpsKit.version);
    const thrown = await tab.evaluate(() => {
      const failures = [];
      const attempt = (call) => {
        try {
          call();
        } catch (error) {
          failures.push(String(error));
        }
      };
      attempt(() => NpsKit.init({ mode: 'sideways', delay: -3, bogus: true }));
      attempt(() => NpsKit.init('not an object'));
      attempt(() => NpsKit.on('shown', 'not a function'));
      attempt(() => NpsKit.live('#no-such-element'));
      attempt(() => NpsKit.init({ mode: 'inline', target: '#missing' }));
      attempt(() => NpsKit.show());
      attempt(() =>
        NpsKit.on('response', () => {
          throw new Error('host bug');
        }),
      );
      return failures;
    });
    assert.deepEqual(thrown, [], 'nothing thrown to the caller');
    const messages = (
      await eventually(async () => {
        const found = await events(tab, 'error');
        return found.length >= 9 && found;
      }, 'the error events')
    ).map((event) => event.detail.message);
    const expect = (pattern) =>
      assert.ok(
        messages.some((message) => pattern.test(message)),
        `an error matching ${pattern} in ${JSON.stringify(messages)}`,
      );
    expect(/script tag: data-mode is "popup"; expected one of modal, slide, bar, inline/);
    expect(/script tag: data-sample-rate is "1\.5"; expected a number from 0 to 1/);
    expect(/NpsKit\.init: mode is "sideways"; expected one of modal, slide, bar, inline/);
    expect(/NpsKit\.init: delay is -3; expected a number of 0 or more/);
    expect(/NpsKit\.init: unknown option "bogus"/);
    expect(/the handler for 'shown' is string; expected a function/);
    expect(
      /NpsKit\.init: expected an options object such as \{survey: "acme-nps"\}; got "not an object"/,
    );
    expect(/NpsKit\.live: the selector "#no-such-element" matches no element on this page/);
    expect(/the survey could not be shown: the target "#missing" matches no element on this page/);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('the snippet works from a sub-folder: every file resolves next to npskit.js', async () => {
  const [url, endpoint] = endpointFor();
  const { repoRoot } = await import('./fixtures/widget/harness.mjs');
  const site = await startHost({ root: repoRoot, pathPrefix: '/shop/pages' });
  try {
    const page = site.addPage({
      src: '../../dist/npskit.js',
      attributes: { endpoint: url, survey: 'subfolder' },
    });
    const { context, page: tab, errors } = await openPage(browser, page);
    try {
      await surveyVisible(tab);
      await answer(tab, 9);
      await eventually(() => endpoint.accepted().length === 1, 'the answer');
      const paths = site.requests
        .map((request) => request.path)
        .filter((path) => !path.endsWith('.html') && path !== '/favicon.ico');
      assert.ok(
        paths.length > 0 && paths.every((path) => path.startsWith('/dist/')),
        `all widget files from /dist/: ${paths}`,
      );
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  } finally {
    await site.close();
  }
});

test('every score 0..10 gets the category and follow-up the scoring core gives it', async () => {
  const core = await loadCoreInNode();
  const followUp = (score) => {
    const category = core.classify(score);
    return locales.en['followUp' + category[0].toUpperCase() + category.slice(1)];
  };
  const [url, endpoint] = endpointFor();
  const page = host.addPage({ attributes: { endpoint: url, survey: 'categories' } });
  const { context, page: tab, errors } = await openPage(browser, page);
  try {
    await surveyVisible(tab);
    for (let score = 0; score <= 10; score++) {
      await inSurvey(tab, `label[for="score-${score}"]`).click();
      assert.equal(
        await inSurvey(tab, '#follow-up-label').textContent(),
        followUp(score),
        `follow-up for ${score}`,
      );
    }
    for (const score of [6, 7, 8]) await inSurvey(tab, `label[for="score-${score}"]`).click();
    await inSurvey(tab, 'button[type="submit"]').click();
    await eventually(() => endpoint.accepted().length === 1, 'the answer');
    const [payload] = endpoint.accepted();
    assert.equal(payload.score, 8);
    assert.equal(payload.category, core.classify(8));
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
