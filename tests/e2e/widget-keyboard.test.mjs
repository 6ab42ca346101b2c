// The keyboard-only path: focus moves into the survey and comes back where it
// was, Tab/arrows/Space/Enter/Escape do what a keyboard user expects, and the
// modal keeps focus inside while it is open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  collector,
  eventually,
  hostAndBrowser,
  events,
  inSurvey,
  openPage,
  surveyVisible,
  locales,
} from './fixtures/widget/harness.mjs';

const endpoint = collector();
const suite = hostAndBrowser({ '/collect': endpoint.route });

// What has focus, seen through the shadow root: "page:#opener", "survey:score-8"...
const focused = (page) =>
  page.evaluate(() => {
    const active = document.activeElement;
    if (active && active.tagName === 'NPSKIT-SURVEY') {
      const inner = active.shadowRoot.activeElement;
      return (
        'survey:' + (inner ? inner.id || inner.className || inner.tagName.toLowerCase() : 'none')
      );
    }
    return (
      'page:' +
      (active && active.id ? '#' + active.id : active ? active.tagName.toLowerCase() : 'none')
    );
  });

const openerScript = `document.getElementById('opener').addEventListener('click', function () { NpsKit.show(); });`;

for (const mode of ['modal', 'slide', 'bar']) {
  test(`${mode} mode, keyboard only: Tab, arrows, Space, Enter, Escape; focus moved in and restored`, async () => {
    const url = suite.host.addPage({
      attributes: {
        endpoint: '/collect',
        survey: `keys-${mode}`,
        product: 'Acme',
        mode,
        trigger: 'manual',
        thankYouSeconds: 0,
      },
      after: openerScript,
    });
    const { context, page, errors } = await openPage(suite.browser, url);
    try {
      await page.waitForFunction(() => window.NpsKit && window.NpsKit.version);
      await page.focus('#opener');
      await page.keyboard.press('Enter');
      await surveyVisible(page);
      assert.match(await focused(page), /^survey:panel/, 'focus moved into the survey');

      await page.keyboard.press('Tab');
      assert.equal(await focused(page), 'survey:score-0', 'Tab reaches the scale');
      await page.keyboard.press('Space');
      assert.ok(await inSurvey(page, '#score-0').isChecked(), 'Space chooses the focused score');
      for (let step = 0; step < 8; step++) await page.keyboard.press('ArrowRight');
      assert.equal(await focused(page), 'survey:score-8');
      assert.ok(await inSurvey(page, '#score-8').isChecked(), 'arrows move the choice');
      await eventually(
        async () =>
          (await inSurvey(page, '#follow-up-label').textContent()) === locales.en.followUpPassive,
        'the passive follow-up question',
      );

      await page.keyboard.press('Tab');
      assert.equal(await focused(page), 'survey:comment');
      await page.keyboard.type('Keyboard only, no mouse');
      await page.keyboard.press('Tab');
      assert.equal(await focused(page), 'survey:submit');
      await page.keyboard.press('Tab');
      assert.equal(await focused(page), 'survey:close');
      if (mode === 'modal') {
        await page.keyboard.press('Tab');
        assert.equal(
          await focused(page),
          'survey:score-8',
          'the modal traps Tab and wraps to the scale',
        );
        await page.keyboard.press('Shift+Tab');
        assert.equal(
          await focused(page),
          'survey:close',
          'Shift+Tab wraps back to the last control',
        );
        await page.keyboard.press('Shift+Tab');
      } else {
        await page.keyboard.press('Shift+Tab');
      }
      assert.equal(await focused(page), 'survey:submit');
      await page.keyboard.press('Enter');
      await inSurvey(page, '.thanks').waitFor({ state: 'visible' });
      assert.equal(
        await focused(page),
        'survey:thanks',
        'the thank-you is focused, so it is announced',
      );

      await page.keyboard.press('Escape');
      await eventually(
        async () => !(await page.evaluate(() => document.querySelector('npskit-survey'))),
        'the survey closed',
      );
      assert.equal(
        await focused(page),
        'page:#opener',
        'focus is back on the button that opened the survey',
      );

      await eventually(
        () => endpoint.accepted().some((payload) => payload.survey === `keys-${mode}`),
        'the answer',
      );
      const [payload] = endpoint.accepted().filter((entry) => entry.survey === `keys-${mode}`);
      assert.equal(payload.score, 8);
      assert.equal(payload.category, 'passive');
      assert.equal(payload.comment, 'Keyboard only, no mouse');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

test('Escape before choosing a score dismisses, restores focus and reports a dismissal', async () => {
  const url = suite.host.addPage({
    attributes: {
      endpoint: '/collect',
      survey: 'keys-dismiss',
      mode: 'slide',
      trigger: 'manual',
      postDismissals: true,
    },
    after: openerScript,
  });
  const { context, page, errors } = await openPage(suite.browser, url);
  try {
    await page.waitForFunction(() => window.NpsKit && window.NpsKit.version);
    await page.focus('#opener');
    await page.keyboard.press('Enter');
    await surveyVisible(page);
    await page.keyboard.press('Escape');
    await eventually(
      async () => !(await page.evaluate(() => document.querySelector('npskit-survey'))),
      'the survey closed',
    );
    assert.equal(await focused(page), 'page:#opener');
    assert.equal((await events(page, 'dismissal')).length, 1);
    assert.equal((await events(page, 'response')).length, 0);
    await eventually(
      () =>
        endpoint
          .accepted()
          .some((payload) => payload.survey === 'keys-dismiss' && payload.type === 'dismissal'),
      'the dismissal at the endpoint',
    );
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('closing after choosing a score keeps the answer (score only, unsent comment dropped)', async () => {
  const url = suite.host.addPage({
    attributes: { endpoint: '/collect', survey: 'keys-close-after-score', mode: 'modal' },
  });
  const { context, page, errors } = await openPage(suite.browser, url);
  try {
    await surveyVisible(page);
    await inSurvey(page, 'label[for="score-3"]').click();
    await inSurvey(page, 'textarea').fill('draft I did not send');
    await inSurvey(page, '.close').click();
    await eventually(
      () => endpoint.accepted().some((payload) => payload.survey === 'keys-close-after-score'),
      'the answer at the endpoint',
    );
    const [payload] = endpoint
      .accepted()
      .filter((entry) => entry.survey === 'keys-close-after-score');
    assert.equal(payload.type, 'response');
    assert.equal(payload.score, 3);
    assert.equal(payload.category, 'detractor');
    assert.equal(payload.comment, '');
    assert.equal((await events(page, 'dismissal')).length, 0);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a click on the modal backdrop closes it', async () => {
  const url = suite.host.addPage({ attributes: { survey: 'keys-backdrop', mode: 'modal' } });
  const { context, page, errors } = await openPage(suite.browser, url);
  try {
    await surveyVisible(page);
    await page.mouse.click(10, 700);
    await eventually(
      async () => !(await page.evaluate(() => document.querySelector('npskit-survey'))),
      'the survey closed',
    );
    assert.equal((await events(page, 'dismissal')).length, 1);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a slide-in that appears while the visitor types in the page leaves the focus there', async () => {
  const url = suite.host.addPage({
    attributes: { survey: 'keys-typing', mode: 'slide', trigger: 'delay', delay: 0.5 },
    body: '<label>Search <input id="search"></label>',
  });
  const { context, page, errors } = await openPage(suite.browser, url);
  try {
    await page.focus('#search');
    await page.keyboard.type('sturdy');
    await surveyVisible(page);
    await page.keyboard.type(' things');
    assert.equal(await focused(page), 'page:#search');
    assert.equal(await page.inputValue('#search'), 'sturdy things');
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('arrows through the scale then Escape record no score: only a confirmed score counts', async () => {
  const url = suite.host.addPage({
    attributes: {
      endpoint: '/collect',
      survey: 'keys-arrows-escape',
      mode: 'modal',
      trigger: 'manual',
      postDismissals: true,
    },
    after: openerScript,
  });
  const { context, page, errors } = await openPage(suite.browser, url);
  try {
    await page.waitForFunction(() => window.NpsKit && window.NpsKit.version);
    await page.focus('#opener');
    await page.keyboard.press('Enter');
    await surveyVisible(page);
    await page.keyboard.press('Tab');
    assert.equal(await focused(page), 'survey:score-0');
    // Arrows move the focus and the browser checks each radio on the way; the
    // visitor has confirmed nothing yet.
    for (let step = 0; step < 6; step++) await page.keyboard.press('ArrowRight');
    assert.equal(await focused(page), 'survey:score-6');
    await page.keyboard.press('Escape');
    await eventually(
      async () => !(await page.evaluate(() => document.querySelector('npskit-survey'))),
      'the survey closed',
    );
    assert.equal((await events(page, 'response')).length, 0, 'no score was recorded');
    assert.equal((await events(page, 'dismissal')).length, 1, 'closing was a dismissal');
    await eventually(
      () =>
        endpoint
          .accepted()
          .some((entry) => entry.survey === 'keys-arrows-escape' && entry.type === 'dismissal'),
      'the dismissal at the endpoint',
    );
    assert.ok(
      !endpoint
        .accepted()
        .some((entry) => entry.survey === 'keys-arrows-escape' && entry.type === 'response'),
    );
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

for (const key of ['Space', 'Enter']) {
  test(`${key} on a score reached with the arrows confirms it: Escape then sends that score`, async () => {
    const survey = `keys-confirm-${key.toLowerCase()}`;
    const url = suite.host.addPage({
      attributes: { endpoint: '/collect', survey, mode: 'slide', trigger: 'manual' },
      after: openerScript,
    });
    const { context, page, errors } = await openPage(suite.browser, url);
    try {
      await page.waitForFunction(() => window.NpsKit && window.NpsKit.version);
      await page.focus('#opener');
      await page.keyboard.press('Enter');
      await surveyVisible(page);
      await page.keyboard.press('Tab');
      for (let step = 0; step < 9; step++) await page.keyboard.press('ArrowRight');
      assert.equal(await focused(page), 'survey:score-9');
      await page.keyboard.press(key);
      assert.ok(await inSurvey(page, '#score-9').isChecked());
      assert.ok(
        await inSurvey(page, '.thanks').isHidden(),
        `${key} confirms the score without sending the form`,
      );
      await page.keyboard.press('Escape');
      await eventually(
        () => endpoint.accepted().some((entry) => entry.survey === survey),
        'the answer',
      );
      const [payload] = endpoint.accepted().filter((entry) => entry.survey === survey);
      assert.equal(payload.type, 'response');
      assert.equal(payload.score, 9);
      assert.equal((await events(page, 'dismissal')).length, 0);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}
