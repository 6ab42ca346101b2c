// Who is asked and what is kept: path patterns, time on site, the site-wide
// cap across survey keys, Global Privacy Control and the consent gate.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { watchErrors } from './support.mjs';
import {
  answer,
  collector,
  eventually,
  hostAndBrowser,
  events,
  recordEvents,
  stub,
  surveyPresent,
  surveyVisible,
  withoutStatusLines,
} from './fixtures/widget/harness.mjs';

// Answers of the survey "g-wait" are refused for now (503), so they wait in
// the delivery queue where the test can look for them.
const endpoint = collector((request) => (request.body.includes('"survey":"g-wait"') ? 503 : 200));
const suite = hostAndBrowser({ '/collect': endpoint.route });

const gpcOn = () =>
  Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true });

/** Opens a host page in a fresh context; `prepare(context)` runs before it loads. */
async function visit(attributes, { path, before: inline = '', prepare } = {}) {
  const url = suite.host.addPage(
    { attributes: { endpoint: '/collect', mode: 'slide', ...attributes }, before: inline },
    { path },
  );
  const context = await suite.browser.newContext();
  if (prepare) await prepare(context);
  await recordEvents(context);
  const page = await context.newPage();
  const errors = watchErrors(page);
  await page.goto(url);
  return { context, page, errors, url };
}

async function quiet(page) {
  await page.waitForFunction(() => window.NpsKit && window.NpsKit.version);
  await page.waitForLoadState('networkidle');
}

const readyEligible = async (page) =>
  (await eventually(async () => (await events(page, 'ready'))[0], "the 'ready' event")).detail
    .eligible;

/** Every npskit key in localStorage and sessionStorage, with its value. */
const storedKeys = (page) =>
  page.evaluate(() => {
    const keys = {};
    for (const [name, store] of [
      ['local', localStorage],
      ['session', sessionStorage],
    ]) {
      for (let i = 0; i < store.length; i++) {
        const key = store.key(i);
        if (key.startsWith('npskit:')) keys[`${name} ${key}`] = store.getItem(key);
      }
    }
    return keys;
  });

for (const [attributes, shown] of [
  [{ urlInclude: '/shop/*' }, true],
  [{ urlInclude: '/blog/*, /shop/cart.html' }, true],
  [{ urlInclude: '/blog/*' }, false],
  [{ urlExclude: '/shop/cart*' }, false],
  [{ urlExclude: '/blog/*,/about' }, true],
  [{ urlInclude: '/shop/*', urlExclude: '*/cart.html' }, false],
]) {
  test(`on /shop/cart.html, ${JSON.stringify(attributes)} ${shown ? 'shows' : 'holds back'} the survey`, async () => {
    const { context, page, errors } = await visit(
      { survey: 'paths-' + JSON.stringify(attributes).replace(/\W/g, ''), ...attributes },
      { path: '/shop/cart.html' },
    );
    try {
      assert.equal(await readyEligible(page), shown);
      if (shown) await surveyVisible(page);
      else {
        await quiet(page);
        assert.equal(await surveyPresent(page), false);
      }
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

test('min-seconds-on-site: a visit that began long enough ago is asked at once', async () => {
  const { context, page } = await visit(
    { survey: 'visit-old', minSecondsOnSite: 60 },
    {
      prepare: (context) =>
        context.addInitScript(() =>
          sessionStorage.setItem('npskit:visit', String(Date.now() - 120000)),
        ),
    },
  );
  try {
    await surveyVisible(page);
  } finally {
    await context.close();
  }
});

test('min-seconds-on-site: a new visit waits, and NpsKit.show() waits with it', async () => {
  const { context, page } = await visit({ survey: 'visit-new', minSecondsOnSite: 3600 });
  try {
    assert.equal(await readyEligible(page), true, 'eligible, only not yet');
    await page.evaluate(() => NpsKit.show());
    await quiet(page);
    assert.equal(await surveyPresent(page), false);
    const since = Number(await page.evaluate(() => sessionStorage.getItem('npskit:visit')));
    assert.ok(since > 0, 'the visit start is kept for the next pages of the visit');
  } finally {
    await context.close();
  }
});

test('min-seconds-on-site: the survey comes once the time has passed on the page', async () => {
  const { context, page } = await visit({ survey: 'visit-wait', minSecondsOnSite: 1 });
  try {
    await surveyVisible(page);
  } finally {
    await context.close();
  }
});

test('site-wide cap: after one survey was shown, another survey key stays away', async () => {
  const { context, page } = await visit({ survey: 'site-a' });
  try {
    await surveyVisible(page);
    const other = suite.host.addPage({ attributes: { endpoint: '/collect', survey: 'site-b' } });
    await page.goto(other);
    assert.equal(await readyEligible(page), false, 'inside the 30 days by default');
    await quiet(page);
    assert.equal(await surveyPresent(page), false);

    const capOff = suite.host.addPage({
      attributes: { endpoint: '/collect', survey: 'site-c', siteCooldownDays: 0 },
    });
    await page.goto(capOff);
    await surveyVisible(page);

    // The survey shown last follows only its own throttling.
    const back = suite.host.addPage({ attributes: { endpoint: '/collect', survey: 'site-c' } });
    await page.goto(back);
    assert.equal(await readyEligible(page), true);
  } finally {
    await context.close();
  }
});

test('Global Privacy Control: no page or user in the payload, nothing queued on the device', async () => {
  const { context, page, errors } = await visit(
    {
      survey: 'g-wait',
      user: JSON.stringify({ id: 'u-42' }),
      properties: JSON.stringify({ plan: 'pro' }),
      retryBaseSeconds: 60,
    },
    { prepare: (context) => context.addInitScript(gpcOn) },
  );
  try {
    await surveyVisible(page);
    await answer(page, 9, 'private');
    const post = await eventually(
      () =>
        endpoint
          .posts()
          .map((entry) => JSON.parse(entry.body))
          .find((body) => body.comment === 'private'),
      'the refused post',
    );
    assert.equal('page' in post, false);
    assert.equal('user' in post, false);
    assert.deepEqual(post.properties, { plan: 'pro' });
    const stored = await storedKeys(page);
    assert.deepEqual(Object.keys(stored).sort(), [
      'local npskit:site',
      'local npskit:survey:g-wait',
      'session npskit:visit',
    ]);
    assert.ok(!JSON.stringify(stored).includes('private'), 'the waiting answer stays in memory');
    assert.deepEqual(withoutStatusLines(errors, 503), []);
  } finally {
    await context.close();
  }
});

test('data-respect-gpc="false": the payload keeps page and user, the queue is stored', async () => {
  const { context, page } = await visit(
    {
      survey: 'g-wait',
      user: JSON.stringify({ id: 'u-43' }),
      respectGpc: false,
      retryBaseSeconds: 60,
    },
    { prepare: (context) => context.addInitScript(gpcOn) },
  );
  try {
    await surveyVisible(page);
    await answer(page, 7, 'kept');
    const post = await eventually(
      () =>
        endpoint
          .posts()
          .map((entry) => JSON.parse(entry.body))
          .find((body) => body.comment === 'kept'),
      'the refused post',
    );
    assert.deepEqual(post.user, { id: 'u-43' });
    assert.match(post.page, /^http:\/\/127\.0\.0\.1:\d+\/page-\d+\.html$/);
    await eventually(
      async () => JSON.stringify(await storedKeys(page)).includes('kept'),
      'the answer in the stored queue',
    );
  } finally {
    await context.close();
  }
});

test('consent required: nothing shown or stored until NpsKit.consent(true)', async () => {
  const { context, page, errors } = await visit({ survey: 'consent-late', consent: 'required' });
  try {
    await quiet(page);
    await page.evaluate(() => NpsKit.show({ force: true }));
    await quiet(page);
    assert.equal(await surveyPresent(page), false);
    assert.deepEqual(await storedKeys(page), {});
    assert.deepEqual(await events(page, 'ready'), []);

    await page.evaluate(() => NpsKit.consent(true));
    await surveyVisible(page);
    assert.ok('local npskit:survey:consent-late' in (await storedKeys(page)));

    await page.evaluate(() => NpsKit.consent(false));
    await eventually(async () => !(await surveyPresent(page)), 'the survey to close');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('consent required: consent given through the queue before the script loads', async () => {
  const { context, page } = await visit(
    { survey: 'consent-early', consent: 'required' },
    { before: stub + 'NpsKit.consent(true);' },
  );
  try {
    await surveyVisible(page);
  } finally {
    await context.close();
  }
});
