// CSAT and CES in the survey: a standalone survey on the 1-5 or 1-7 scale,
// and the companion step after the NPS follow-up, posted as its own answer
// that names the NPS answer it completes. Every locale, right to left, the
// keyboard alone, and axe-core on each step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  answer,
  axeSettled,
  collector,
  eventually,
  hostAndBrowser,
  events,
  inSurvey,
  localeCodes,
  locales,
  openPage,
  surveyPresent,
  surveyVisible,
} from './fixtures/widget/harness.mjs';

const endpoint = collector();
const suite = hostAndBrowser({ '/collect': endpoint.route });

const forSurvey = (survey) => endpoint.accepted().filter((body) => body.survey === survey);

async function withSurvey(attributes, body) {
  const url = suite.host.addPage({
    attributes: { endpoint: '/collect', mode: 'slide', thankYouSeconds: 0, ...attributes },
  });
  const opened = await openPage(suite.browser, url);
  try {
    await surveyVisible(opened.page);
    await body(opened);
    assert.deepEqual(opened.errors, []);
  } finally {
    await opened.context.close();
  }
}

/** The values and accessible names of the radios of one group. */
const radioGroup = (page, name) =>
  page.evaluate((group) => {
    const root = document.querySelector('npskit-survey').shadowRoot;
    return Array.from(root.querySelectorAll(`input[name="${group}"]`), (radio) => ({
      value: radio.value,
      label: radio.getAttribute('aria-label'),
    }));
  }, name);

for (const [metric, max, low, high] of [
  ['csat', 5, 'csatLow', 'csatHigh'],
  ['ces', 7, 'cesLow', 'cesHigh'],
]) {
  test(`standalone ${metric}: ${max} labelled radios with end labels, posted on its own scale`, () =>
    withSurvey({ survey: `m-${metric}`, metric, product: 'Acme' }, async ({ page }) => {
      const radios = await radioGroup(page, 'score');
      assert.deepEqual(
        radios.map((radio) => radio.value),
        Array.from({ length: max }, (_, index) => String(index + 1)),
      );
      assert.equal(radios[0].label, `1 out of ${max}`);
      assert.equal(await inSurvey(page, '#end-low').textContent(), locales.en[low]);
      assert.equal(await inSurvey(page, '#end-high').textContent(), locales.en[high]);
      const question = await inSurvey(page, '#question').textContent();
      assert.equal(
        question,
        metric === 'csat'
          ? 'How satisfied are you with Acme?'
          : 'Acme made it easy for me to do what I came to do.',
      );
      assert.deepEqual(await axeSettled(page), []);

      await inSurvey(page, `label[for="score-${max}"]`).click();
      assert.equal(
        await inSurvey(page, '#follow-up-label').textContent(),
        locales.en.followUp,
        'the follow-up asks for the reason, not an NPS category',
      );
      await inSurvey(page, 'textarea').fill('Quick checkout');
      await inSurvey(page, '.follow-up .submit').click();
      await inSurvey(page, '.thanks').waitFor({ state: 'visible' });
      const [posted] = await eventually(
        () => forSurvey(`m-${metric}`).length && forSurvey(`m-${metric}`),
        'the answer',
      );
      assert.equal(posted.schema, 'npskit.response/1');
      assert.equal(posted.metric, metric);
      assert.equal(posted.score, max);
      assert.equal(posted.comment, 'Quick checkout');
      assert.equal('category' in posted, false, 'categories belong to NPS');
    }));
}

test('the CES statement takes the task from data-effort-task; data-question replaces it', async () => {
  await withSurvey(
    { survey: 'm-ces-task', metric: 'ces', product: 'Acme', effortTask: 'return an order' },
    async ({ page }) => {
      assert.equal(
        await inSurvey(page, '#question').textContent(),
        'Acme made it easy for me to return an order.',
      );
    },
  );
  await withSurvey(
    { survey: 'm-ces-question', metric: 'ces', question: 'Returning my order was easy.' },
    async ({ page }) => {
      assert.equal(await inSurvey(page, '#question').textContent(), 'Returning my order was easy.');
    },
  );
});

test('companion CSAT: the NPS answer is posted first, the CSAT answer names it', () =>
  withSurvey({ survey: 'm-companion', companion: 'csat', product: 'Acme' }, async ({ page }) => {
    await inSurvey(page, 'label[for="score-9"]').click();
    await inSurvey(page, 'textarea').fill('Great support');
    await inSurvey(page, '.follow-up .submit').click();
    await inSurvey(page, '#companion-question').waitFor({ state: 'visible' });
    const [nps] = await eventually(
      () => forSurvey('m-companion').length && forSurvey('m-companion'),
      'the NPS answer before the companion step ends',
    );
    assert.equal(nps.score, 9);
    assert.equal(nps.category, 'promoter');
    assert.equal('metric' in nps, false, 'the NPS payload is as it always was');
    assert.equal(
      await inSurvey(page, '#companion-question').textContent(),
      'How satisfied are you with Acme?',
    );
    assert.equal((await radioGroup(page, 'companion')).length, 5);
    assert.deepEqual(await axeSettled(page), []);

    await inSurvey(page, 'label[for="companion-4"]').click();
    await inSurvey(page, '.companion .submit').click();
    await inSurvey(page, '.thanks').waitFor({ state: 'visible' });
    const [, csat] = await eventually(
      () => forSurvey('m-companion').length === 2 && forSurvey('m-companion'),
      'the companion answer',
    );
    assert.equal(csat.metric, 'csat');
    assert.equal(csat.score, 4);
    assert.equal(csat.answer_id, nps.id);
    assert.notEqual(csat.id, nps.id, 'its own idempotency key');
    assert.equal((await events(page, 'response')).length, 2);
  }));

test('companion CES skipped: only the NPS answer goes out, and the thank-you follows', () =>
  withSurvey({ survey: 'm-skip', companion: 'ces' }, async ({ page }) => {
    await inSurvey(page, 'label[for="score-3"]').click();
    await inSurvey(page, '.follow-up .submit').click();
    await inSurvey(page, '#companion-question').waitFor({ state: 'visible' });
    assert.equal(
      await inSurvey(page, '#companion-question').textContent(),
      'This site made it easy for me to do what I came to do.',
    );
    assert.equal((await radioGroup(page, 'companion')).length, 7);
    await inSurvey(page, 'button.skip').click();
    await inSurvey(page, '.thanks').waitFor({ state: 'visible' });
    await eventually(() => events(page, 'delivered').then((list) => list.length), 'delivery');
    assert.deepEqual(
      forSurvey('m-skip').map((body) => [body.score, body.metric]),
      [[3, undefined]],
    );
  }));

test('leaving at the companion step keeps the NPS answer and posts nothing more', () =>
  withSurvey({ survey: 'm-leave', companion: 'csat' }, async ({ page }) => {
    await answerNpsOnly(page, 10);
    await inSurvey(page, 'button.close').click();
    await eventually(async () => !(await surveyPresent(page)), 'the survey to close');
    assert.equal((await events(page, 'dismissal')).length, 0, 'an answer is not a dismissal');
    await eventually(() => forSurvey('m-leave').length, 'the NPS answer');
    assert.deepEqual(
      forSurvey('m-leave').map((body) => body.score),
      [10],
    );
  }));

async function answerNpsOnly(page, score) {
  await inSurvey(page, `label[for="score-${score}"]`).click();
  await inSurvey(page, '.follow-up .submit').click();
  await inSurvey(page, '#companion-question').waitFor({ state: 'visible' });
}

test('keyboard only through the companion: focus on its group, arrows, Enter sends', () =>
  withSurvey({ survey: 'm-keys', companion: 'csat', mode: 'modal' }, async ({ page }) => {
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    await page.keyboard.press('Tab');
    await page.keyboard.type('fine');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await inSurvey(page, '#companion-question').waitFor({ state: 'visible' });
    const focusedGroup = () =>
      page.evaluate(() => {
        const active = document.querySelector('npskit-survey').shadowRoot.activeElement;
        return active && (active.id || active.name || active.tagName.toLowerCase());
      });
    assert.equal(await focusedGroup(), 'div', 'focus moves to the companion question');
    await page.keyboard.press('Tab');
    assert.equal(await focusedGroup(), 'companion-1');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await inSurvey(page, '.thanks').waitFor({ state: 'visible' });
    const posted = await eventually(
      () => forSurvey('m-keys').length === 2 && forSurvey('m-keys'),
      'both answers',
    );
    assert.deepEqual(
      posted.map((body) => [body.metric || 'nps', body.score]),
      [
        ['nps', 2],
        ['csat', 3],
      ],
    );
    assert.equal(posted[0].comment, 'fine');
  }));

for (const code of localeCodes) {
  test(`${code}: CSAT and CES wording from the locale, end labels, direction, axe`, async () => {
    const strings = locales[code];
    const rtl = code === 'ar' || code === 'he';
    await withSurvey(
      { survey: `m-l-${code}`, metric: 'ces', companion: 'csat', locale: code },
      async ({ page }) => {
        assert.equal(
          await inSurvey(page, '#question').textContent(),
          strings.cesStatement
            .replace('{product}', strings.cesSubject)
            .replace('{task}', strings.cesTask),
        );
        assert.equal(await inSurvey(page, '#end-low').textContent(), strings.cesLow);
        assert.equal(await inSurvey(page, '#end-high').textContent(), strings.cesHigh);
        const labels = (await radioGroup(page, 'score')).map((radio) => radio.label);
        assert.equal(labels[6], strings.ratingLabel.replace('{score}', 7).replace('{max}', 7));
        assert.equal(await inSurvey(page, '.panel').getAttribute('dir'), rtl ? 'rtl' : 'ltr');
        // Right to left, 1 sits at the right end of the row.
        const [first, last] = await Promise.all(
          ['score-1', 'score-7'].map((id) =>
            inSurvey(page, `label[for="${id}"]`).evaluate(
              (label) => label.getBoundingClientRect().x,
            ),
          ),
        );
        assert.equal(first > last, rtl);
        assert.deepEqual(await axeSettled(page), []);
      },
    );
    await withSurvey(
      { survey: `m-lc-${code}`, companion: 'csat', locale: code },
      async ({ page }) => {
        await answerNpsOnly(page, 8);
        assert.equal(
          await inSurvey(page, '#companion-question').textContent(),
          strings.csatQuestionGeneric,
        );
        assert.equal(await inSurvey(page, '#companion-low').textContent(), strings.csatLow);
        assert.equal(await inSurvey(page, 'button.skip').textContent(), strings.skip);
        assert.deepEqual(await axeSettled(page), []);
      },
    );
  });
}

test('a standalone CES survey closed unanswered is a dismissal that names its metric', () =>
  withSurvey({ survey: 'm-dismiss', metric: 'ces', postDismissals: true }, async ({ page }) => {
    await inSurvey(page, 'button.close').click();
    const [dismissal] = await eventually(
      () => forSurvey('m-dismiss').length && forSurvey('m-dismiss'),
      'the posted dismissal',
    );
    assert.equal(dismissal.type, 'dismissal');
    assert.equal(dismissal.metric, 'ces');
    assert.equal('score' in dismissal, false);
  }));

test('an answered CSAT survey is not asked again inside the re-survey window', () =>
  withSurvey({ survey: 'm-once', metric: 'csat' }, async ({ page, context }) => {
    await answer(page, 5);
    const again = await context.newPage();
    await again.goto(page.url());
    await again.waitForLoadState('networkidle');
    await again.waitForFunction(() => window.NpsKit && window.NpsKit.version);
    assert.equal(await surveyPresent(again), false, 'answered: not asked again in the window');
  }));
