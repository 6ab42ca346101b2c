// When the survey appears: every trigger, the re-survey interval after an
// answer, the cool-down after a dismissal, sampling, per-survey keys, other
// tabs, and pages where storage is blocked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  answer,
  collector,
  eventually,
  hostAndBrowser,
  events,
  inSurvey,
  openPage,
  surveyPresent,
  surveyVisible,
} from './fixtures/widget/harness.mjs';

const day = 24 * 60 * 60 * 1000;
const endpoint = collector();
const suite = hostAndBrowser({ '/collect': endpoint.route });

// Long enough for the loader, the UI chunk and the stylesheet to have come in
// had the survey been due; the widget's own activity is then over.
async function quiet(page) {
  await page.waitForFunction(() => window.NpsKit && window.NpsKit.version);
  await page.waitForLoadState('networkidle');
}

/** The 'ready' event of this page view: may the survey show at all? */
const readyEvent = (page) =>
  eventually(async () => (await events(page, 'ready'))[0]?.detail, "the 'ready' event");

/** Throttled or sampled out: the widget says so at start and shows nothing. */
async function heldBack(page, why) {
  assert.equal((await readyEvent(page)).eligible, false, why);
  assert.equal(await surveyPresent(page), false, why);
}

async function neverShown(page, why) {
  await quiet(page);
  assert.equal(await surveyPresent(page), false, why);
  assert.equal((await events(page, 'shown')).length, 0, why);
}

const withPage = async (attributes, body, contextOptions, pageOptions = {}) => {
  const url = suite.host.addPage({
    attributes: { endpoint: '/collect', mode: 'slide', ...attributes },
    ...pageOptions,
  });
  const opened = await openPage(suite.browser, url, contextOptions);
  try {
    await body({ ...opened, url });
    assert.deepEqual(opened.errors, []);
  } finally {
    await opened.context.close();
  }
};

test('trigger immediate shows the survey on load', () =>
  withPage({ survey: 't-immediate', trigger: 'immediate' }, async ({ page }) => {
    await surveyVisible(page);
    assert.equal((await events(page, 'shown')).length, 1);
  }));

test('trigger delay waits the given seconds', () =>
  withPage({ survey: 't-delay', trigger: 'delay', delay: 1 }, async ({ page }) => {
    await surveyVisible(page);
    // Timed in the page from the 'ready' event, after which the delay starts:
    // a busy machine can only make the gap longer, never shorter.
    const [ready] = await events(page, 'ready');
    const [shown] = await events(page, 'shown');
    assert.ok(shown.at - ready.at >= 995, `shown ${shown.at - ready.at} ms after ready`);
  }));

test('trigger scroll waits for the given share of the page to be scrolled', () =>
  withPage(
    { survey: 't-scroll', trigger: 'scroll', scrollPercent: 60 },
    async ({ page }) => {
      await quiet(page);
      await page.evaluate(() =>
        scrollTo(0, (document.documentElement.scrollHeight - innerHeight) * 0.4),
      );
      await quiet(page);
      assert.equal(await surveyPresent(page), false, 'not at 40 %');
      await page.evaluate(() =>
        scrollTo(0, (document.documentElement.scrollHeight - innerHeight) * 0.7),
      );
      await surveyVisible(page);
    },
    undefined,
    { filler: 12 },
  ));

test('trigger exit: the pointer leaving through the top of the window', () =>
  withPage({ survey: 't-exit', trigger: 'exit' }, async ({ page }) => {
    await quiet(page);
    await page.mouse.move(500, 300);
    await page.mouse.move(500, 5, { steps: 5 });
    assert.equal(await surveyPresent(page), false, 'moving near the top is not leaving');
    await page.mouse.move(500, -20, { steps: 2 });
    await surveyVisible(page);
  }));

test('trigger exit on a touch screen: a fast flick back up after reading', () =>
  withPage(
    { survey: 't-exit-touch', trigger: 'exit' },
    async ({ page }) => {
      await quiet(page);
      await page.evaluate(() => scrollTo(0, innerHeight * 3));
      await page.waitForTimeout(100);
      // A slow climb is reading, not leaving.
      for (let step = 1; step <= 3; step++) {
        await page.evaluate((offset) => scrollTo(0, innerHeight * 3 - offset), step * 10);
        await page.waitForTimeout(120);
      }
      assert.equal(await surveyPresent(page), false, 'slow scrolling up does not count');
      await page.evaluate(() => scrollTo(0, innerHeight * 1.5));
      await surveyVisible(page);
    },
    { viewport: { width: 390, height: 700 }, isMobile: true, hasTouch: true },
    { filler: 12 },
  ));

test('trigger pageviews shows on the Nth page view', async () => {
  const url = suite.host.addPage({
    attributes: { survey: 't-views', trigger: 'pageviews', pageViews: 3 },
  });
  const { context, page, errors } = await openPage(suite.browser, url);
  try {
    await neverShown(page, 'first page view');
    await page.reload();
    await neverShown(page, 'second page view');
    await page.reload();
    await surveyVisible(page);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('trigger event: only the named host event shows it', () =>
  withPage({ survey: 't-event', trigger: 'event', event: 'ticket-closed' }, async ({ page }) => {
    await quiet(page);
    await page.evaluate(() => NpsKit.track('page-printed'));
    await quiet(page);
    assert.equal(await surveyPresent(page), false, 'another event does nothing');
    await page.evaluate(() => NpsKit.track('ticket-closed'));
    await surveyVisible(page);
  }));

test('trigger manual: only NpsKit.show()', () =>
  withPage({ survey: 't-manual', trigger: 'manual' }, async ({ page }) => {
    await neverShown(page, 'manual never shows by itself');
    await page.evaluate(() => NpsKit.show());
    await surveyVisible(page);
  }));

test('an answered survey stays away for the re-survey interval, then returns', async () => {
  const url = suite.host.addPage({
    attributes: { endpoint: '/collect', survey: 't-resurvey', resurveyDays: 30 },
  });
  const { context, page, errors } = await openPage(suite.browser, null);
  try {
    const start = Date.now();
    await page.clock.setFixedTime(start);
    await page.goto(url);
    await surveyVisible(page);
    await answer(page, 10, 'Great');
    await page.clock.setFixedTime(start + 29 * day);
    await page.reload();
    await heldBack(page, '29 days after answering');
    await page.evaluate(() => NpsKit.show());
    await quiet(page);
    assert.equal(await surveyPresent(page), false, 'not even NpsKit.show() within the window');
    await page.clock.setFixedTime(start + 31 * day);
    await page.reload();
    await surveyVisible(page);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a dismissal has its own, shorter cool-down', async () => {
  const url = suite.host.addPage({
    attributes: { survey: 't-cooldown', dismissCooldownDays: 7, resurveyDays: 90 },
  });
  const { context, page, errors } = await openPage(suite.browser, null);
  try {
    const start = Date.now();
    await page.clock.setFixedTime(start);
    await page.goto(url);
    await surveyVisible(page);
    await inSurvey(page, '.close').click();
    await page.clock.setFixedTime(start + 6 * day);
    await page.reload();
    await heldBack(page, 'six days after dismissing');
    await page.clock.setFixedTime(start + 8 * day);
    await page.reload();
    await surveyVisible(page);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('NpsKit.show({force: true}) shows an answered survey anyway (previews)', () =>
  withPage({ survey: 't-force' }, async ({ page }) => {
    await surveyVisible(page);
    await answer(page, 9);
    await inSurvey(page, '.close').click();
    await eventually(async () => !(await surveyPresent(page)), 'the survey closed');
    await page.evaluate(() => NpsKit.show({ force: true }));
    await surveyVisible(page);
  }));

test('sampling: a visitor is in or out of the sample for good, per survey key', async () => {
  // Math.random is fixed so the draw is known: 0.3 is inside a 0.5 sample
  // and outside a 0.2 one.
  const { context, page, errors } = await openPage(suite.browser, null);
  try {
    await page.addInitScript(() => {
      Math.random = () => 0.3;
    });
    await page.goto(
      suite.host.addPage({ attributes: { survey: 't-sample-out', sampleRate: 0.2 } }),
    );
    await heldBack(page, 'outside a 20 % sample');
    await page.goto(suite.host.addPage({ attributes: { survey: 't-sample-in', sampleRate: 0.5 } }));
    await surveyVisible(page);
    await page.goto(suite.host.addPage({ attributes: { survey: 't-sample-none', sampleRate: 0 } }));
    await heldBack(page, 'a 0 sample rate never shows');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
  // Without a fixed draw: the decision, once made, survives reloads.
  const url = suite.host.addPage({
    attributes: { survey: 't-sample-stable', sampleRate: 0.5, trigger: 'immediate' },
  });
  const second = await openPage(suite.browser, url);
  try {
    const first = (await readyEvent(second.page)).eligible;
    for (let view = 0; view < 3; view++) {
      await second.page.reload();
      assert.equal(
        (await readyEvent(second.page)).eligible,
        first,
        'same decision on every page view',
      );
    }
    if (first) await surveyVisible(second.page);
    else assert.equal(await surveyPresent(second.page), false);
  } finally {
    await second.context.close();
  }
});

test('survey keys throttle independently (with the site-wide cap off)', async () => {
  const attributes = (survey) => ({ attributes: { survey, siteCooldownDays: 0 } });
  const { context, page, errors } = await openPage(
    suite.browser,
    suite.host.addPage(attributes('t-key-a')),
  );
  try {
    await surveyVisible(page);
    await answer(page, 7);
    await page.goto(suite.host.addPage(attributes('t-key-b')));
    await surveyVisible(page);
    await page.goto(suite.host.addPage(attributes('t-key-a')));
    await heldBack(page, 'survey a was answered');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('an answer in one tab closes the survey in the other and keeps it away', async () => {
  const url = suite.host.addPage({ attributes: { endpoint: '/collect', survey: 't-tabs' } });
  const { context, page: first, errors } = await openPage(suite.browser, url);
  try {
    const second = await context.newPage();
    await second.goto(url);
    await surveyVisible(first);
    await surveyVisible(second);
    await answer(first, 9, 'from the first tab');
    await eventually(
      async () => !(await surveyPresent(second)),
      'the survey gone from the second tab',
    );
    const third = await context.newPage();
    await third.goto(url);
    await heldBack(third, 'a new tab after the answer');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('storage blocked by the browser: the survey still shows and delivers', () =>
  withPage(
    { survey: 't-no-storage' },
    async ({ page }) => {
      await surveyVisible(page);
      await answer(page, 6, 'no storage here');
      await eventually(
        () =>
          endpoint
            .accepted()
            .some(
              (payload) =>
                payload.survey === 't-no-storage' && payload.comment === 'no storage here',
            ),
        'the answer at the endpoint',
      );
    },
    undefined,
    {
      head: `<script>Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('The operation is insecure.', 'SecurityError'); } });</script>`,
    },
  ));
