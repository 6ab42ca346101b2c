// The survey's four display modes as a visitor sees them: placement, light
// and dark, right-to-left, a 320 px phone with its on-screen keyboard, a
// hostile host stylesheet, theming and reduced motion; axe-core clean in
// every mode and theme. Screenshots go to /tmp/widget-shots/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  answer,
  axeSettled,
  collector,
  eventually,
  hostAndBrowser,
  events,
  inSurvey,
  openPage,
  settled,
  shotsDir,
  surveyVisible,
} from './fixtures/widget/harness.mjs';

const modes = ['modal', 'slide', 'bar', 'inline'];
const endpoint = collector();
const suite = hostAndBrowser({ '/collect': endpoint.route });

const surveyAttributes = (extra) => ({
  endpoint: '/collect',
  survey: 'modes',
  product: 'Acme',
  target: '#slot',
  retryBaseSeconds: 0.05,
  ...extra,
});

const geometry = (page) =>
  page.evaluate(() => {
    const root = document.querySelector('npskit-survey').shadowRoot;
    const panel = root.querySelector('.panel');
    const rect = panel.getBoundingClientRect();
    return {
      rect: {
        left: rect.left,
        top: rect.top,
        right: rect.right,
        bottom: rect.bottom,
        width: rect.width,
      },
      viewport: { width: document.documentElement.clientWidth, height: innerHeight },
      modal: panel.matches(':modal'),
      position: getComputedStyle(panel).position,
      background: getComputedStyle(panel).backgroundColor,
      inSlot: document.querySelector('#slot').contains(document.querySelector('npskit-survey')),
    };
  });

// Relative luminance of an rgb()/rgba() computed color.
function luminance(color) {
  const [r, g, b] = color
    .match(/[\d.]+/g)
    .slice(0, 3)
    .map((value) => {
      const channel = Number(value) / 255;
      return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
    });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function assertPlacement(mode, shape) {
  const { rect, viewport } = shape;
  if (mode === 'modal') {
    assert.ok(shape.modal, 'the modal is a modal dialog (page behind it inert, backdrop shown)');
    assert.ok(
      Math.abs((rect.left + rect.right) / 2 - viewport.width / 2) <= 2,
      'the modal is centered horizontally',
    );
  } else if (mode === 'slide') {
    assert.ok(
      viewport.width - rect.right <= 24 && viewport.height - rect.bottom <= 24,
      'the slide-in sits in the bottom corner',
    );
    assert.ok(rect.width <= 400, 'the slide-in is a card, not a banner');
  } else if (mode === 'bar') {
    assert.equal(Math.round(rect.width), viewport.width, 'the bar spans the viewport');
    assert.ok(Math.abs(viewport.height - rect.bottom) <= 1, 'the bar sits on the bottom edge');
  } else {
    assert.ok(shape.inSlot, 'the inline survey is inside the target element');
    assert.notEqual(shape.position, 'fixed', 'the inline survey flows with the page');
  }
}

for (const mode of modes) {
  for (const theme of ['light', 'dark']) {
    test(`${mode} mode, ${theme} color scheme: placed right, axe-clean at every step, answer delivered`, async () => {
      const url = suite.host.addPage({ attributes: surveyAttributes({ mode }) });
      const { context, page, errors } = await openPage(suite.browser, url, {
        colorScheme: theme,
        reducedMotion: 'no-preference',
      });
      try {
        await surveyVisible(page);
        const shape = await geometry(page);
        assertPlacement(mode, shape);
        const light = luminance(shape.background) > 0.5;
        assert.equal(light, theme === 'light', `the panel follows prefers-color-scheme: ${theme}`);
        assert.deepEqual(await axeSettled(page), [], 'axe on the question');

        await inSurvey(page, 'label[for="score-9"]').click();
        await inSurvey(page, 'textarea').waitFor({ state: 'visible' });
        assert.deepEqual(await axeSettled(page), [], 'axe with the follow-up open');
        await page.screenshot({ path: path.join(shotsDir, `${mode}-${theme}.png`) });

        await inSurvey(page, 'textarea').fill(`Answered in ${mode} mode`);
        await inSurvey(page, 'button[type="submit"]').click();
        await inSurvey(page, '.thanks').waitFor({ state: 'visible' });
        assert.deepEqual(await axeSettled(page), [], 'axe on the thank-you step');
        await eventually(
          () =>
            endpoint
              .accepted()
              .some(
                (payload) => payload.comment === `Answered in ${mode} mode` && payload.score === 9,
              ),
          'the answer at the endpoint',
        );
        assert.deepEqual(errors, []);
      } finally {
        await context.close();
      }
    });
  }
}

test('theme option overrides the color scheme both ways', async () => {
  for (const [theme, scheme, expectLight] of [
    ['dark', 'light', false],
    ['light', 'dark', true],
  ]) {
    const url = suite.host.addPage({ attributes: surveyAttributes({ mode: 'slide', theme }) });
    const { context, page, errors } = await openPage(suite.browser, url, { colorScheme: scheme });
    try {
      await surveyVisible(page);
      const { background } = await geometry(page);
      assert.equal(
        luminance(background) > 0.5,
        expectLight,
        `data-theme="${theme}" under ${scheme}`,
      );
      assert.deepEqual(await axeSettled(page), []);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  }
});

const rightToLeft = [...modes.map((mode) => ['ar', mode]), ['he', 'slide']];
for (const [locale, mode] of rightToLeft) {
  test(`right-to-left in ${locale}, ${mode} mode: the scale reads from the right, close button on the left`, async () => {
    const url = suite.host.addPage({ lang: locale, attributes: surveyAttributes({ mode }) });
    const { context, page, errors } = await openPage(suite.browser, url);
    try {
      await surveyVisible(page);
      assert.equal(await inSurvey(page, '.panel').getAttribute('dir'), 'rtl');
      const zero = await inSurvey(page, 'label[for="score-0"]').boundingBox();
      const ten = await inSurvey(page, 'label[for="score-10"]').boundingBox();
      const close = await inSurvey(page, '.close').boundingBox();
      const panel = await inSurvey(page, '.panel').boundingBox();
      assert.ok(zero.x > ten.x, '0 is on the right, 10 on the left');
      assert.ok(
        close.x < panel.x + panel.width / 2,
        'the close button sits at the start (left) edge',
      );
      await inSurvey(page, 'label[for="score-2"]').click();
      await inSurvey(page, 'textarea').waitFor({ state: 'visible' });
      assert.deepEqual(await axeSettled(page), []);
      await page.screenshot({ path: path.join(shotsDir, `rtl-${locale}-${mode}.png`) });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

const phone = {
  viewport: { width: 320, height: 640 },
  isMobile: true,
  hasTouch: true,
  deviceScaleFactor: 2,
};

for (const mode of modes) {
  test(`${mode} mode on a 320 px phone: no horizontal scrolling, every score reachable`, async () => {
    const url = suite.host.addPage({ attributes: surveyAttributes({ mode }) });
    const { context, page, errors } = await openPage(suite.browser, url, phone);
    try {
      await surveyVisible(page);
      const layout = await page.evaluate(() => {
        const root = document.querySelector('npskit-survey').shadowRoot;
        return {
          scrollWidth: document.documentElement.scrollWidth,
          labels: [...root.querySelectorAll('.score')].map((label) => {
            const rect = label.getBoundingClientRect();
            return { left: rect.left, right: rect.right, width: rect.width };
          }),
        };
      });
      assert.ok(layout.scrollWidth <= 320, `page scroll width ${layout.scrollWidth} fits 320 px`);
      assert.equal(layout.labels.length, 11);
      for (const [score, label] of layout.labels.entries()) {
        assert.ok(label.left >= 0 && label.right <= 320, `score ${score} is inside the screen`);
        assert.ok(
          label.width >= 22,
          `score ${score} is ${label.width} px wide, still a finger target`,
        );
      }
      await inSurvey(page, 'label[for="score-6"]').tap();
      await inSurvey(page, 'textarea').waitFor({ state: 'visible' });
      assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 320);
      assert.deepEqual(await axeSettled(page), []);
      await settled(page);
      await page.screenshot({ path: path.join(shotsDir, `mobile-${mode}.png`) });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

// Chromium's on-screen keyboard shrinks the visual viewport, not the layout
// one; headless Chromium has no keyboard, so the test stands in for it with
// a visualViewport whose height the test controls.
for (const mode of ['slide', 'bar', 'modal']) {
  test(`${mode} mode: the on-screen keyboard never covers the textarea or the submit button`, async () => {
    const url = suite.host.addPage({ attributes: surveyAttributes({ mode }) });
    const { context, page, errors } = await openPage(suite.browser, null, phone);
    try {
      await page.addInitScript(() => {
        const fake = new EventTarget();
        fake.height = innerHeight;
        fake.width = innerWidth;
        fake.offsetTop = 0;
        fake.offsetLeft = 0;
        fake.scale = 1;
        Object.defineProperty(window, 'visualViewport', { get: () => fake });
        window.__openKeyboard = (height) => {
          fake.height = innerHeight - height;
          fake.dispatchEvent(new Event('resize'));
        };
      });
      await page.goto(url);
      await surveyVisible(page);
      await inSurvey(page, 'label[for="score-7"]').tap();
      await inSurvey(page, 'textarea').focus();
      await page.evaluate(() => window.__openKeyboard(300));
      const visibleTop = 0;
      const visibleBottom = 640 - 300;
      await eventually(async () => {
        const textarea = await inSurvey(page, 'textarea').boundingBox();
        const submit = await inSurvey(page, 'button[type="submit"]').boundingBox();
        return (
          textarea.y >= visibleTop &&
          submit.y + submit.height <= visibleBottom &&
          textarea.y + Math.min(textarea.height, 40) <= visibleBottom
        );
      }, 'the textarea and submit button above the keyboard');
      await page.screenshot({ path: path.join(shotsDir, `keyboard-${mode}.png`) });
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

test('a hostile host stylesheet cannot hide, shrink or restyle the survey', async () => {
  const hostile = `
    *, *::before, *::after { all: unset !important; }
    html { font-size: 4px !important; }
    head, script, style, title { display: none !important; }
    input, button, textarea, select, label, fieldset, legend, dialog, form { display: none !important; visibility: hidden !important; }
    body > * { opacity: 0.1 !important; transform: scale(0.3) !important; filter: blur(3px) !important; }
    div, section, p, span { color: red !important; font-family: "Comic Sans MS", cursive !important; }
    [hidden] { display: block !important; }
    :focus { outline: none !important; }
    body { text-transform: uppercase !important; font-style: italic !important; word-spacing: 12px !important;
      text-indent: 40px !important; line-height: 3 !important; letter-spacing: 2px !important; direction: rtl !important; }`;
  const clean = suite.host.addPage({
    attributes: surveyAttributes({ mode: 'slide', survey: 'clean' }),
  });
  const attacked = suite.host.addPage({
    css: hostile,
    attributes: surveyAttributes({ mode: 'slide', survey: 'hostile' }),
  });
  const measure = async (url, shot) => {
    const { context, page, errors } = await openPage(suite.browser, url);
    try {
      await surveyVisible(page);
      await inSurvey(page, 'label[for="score-4"]').click();
      await inSurvey(page, 'textarea').waitFor({ state: 'visible' });
      const sizes = await page.evaluate(() => {
        const root = document.querySelector('npskit-survey').shadowRoot;
        const box = (selector) => {
          const rect = root.querySelector(selector).getBoundingClientRect();
          return [Math.round(rect.width), Math.round(rect.height)];
        };
        const style = getComputedStyle(root.querySelector('.question'));
        return {
          panel: box('.panel'),
          score: box('.score'),
          textarea: box('textarea'),
          submit: box('.submit'),
          fontSize: style.fontSize,
          color: style.color,
          textTransform: style.textTransform,
          fontStyle: style.fontStyle,
          direction: style.direction,
          hiddenThanks: getComputedStyle(root.querySelector('.thanks')).display,
        };
      });
      await settled(page);
      if (shot) await page.screenshot({ path: path.join(shotsDir, shot) });
      await inSurvey(page, 'textarea').fill('Still works');
      await inSurvey(page, 'button[type="submit"]').click();
      await inSurvey(page, '.thanks').waitFor({ state: 'visible' });
      await eventually(
        async () => (await events(page, 'delivered')).length === 1,
        'the answer delivered',
      );
      assert.deepEqual(errors, []);
      return sizes;
    } finally {
      await context.close();
    }
  };
  const expected = await measure(clean);
  const actual = await measure(attacked, 'hostile-host-css.png');
  assert.deepEqual(actual, expected, 'the survey looks the same on the hostile page');
  assert.equal(actual.hiddenThanks, 'none', 'the [hidden] override does not leak in');
  await eventually(
    () =>
      endpoint
        .accepted()
        .some((payload) => payload.survey === 'hostile' && payload.comment === 'Still works'),
    'the answer from the hostile page',
  );
});

test('theming through CSS custom properties set by the host', async () => {
  const css =
    ':root { --npskit-accent: #8a1c52; --npskit-radius: 3px; --npskit-font: Georgia, serif; }';
  const url = suite.host.addPage({ css, attributes: surveyAttributes({ mode: 'inline' }) });
  const { context, page, errors } = await openPage(suite.browser, url);
  try {
    await surveyVisible(page);
    await inSurvey(page, 'label[for="score-10"]').click();
    await settled(page);
    const look = await page.evaluate(() => {
      const root = document.querySelector('npskit-survey').shadowRoot;
      return {
        chosen: getComputedStyle(root.querySelector('label[for="score-10"]')).backgroundColor,
        radius: getComputedStyle(root.querySelector('.panel')).borderTopLeftRadius,
        font: getComputedStyle(root.querySelector('.question')).fontFamily,
      };
    });
    assert.equal(look.chosen, 'rgb(138, 28, 82)');
    assert.equal(look.radius, '3px');
    assert.match(look.font, /Georgia/);
    assert.deepEqual(await axeSettled(page), []);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('prefers-reduced-motion: no animation on open or close', async () => {
  const url = suite.host.addPage({
    attributes: surveyAttributes({ mode: 'modal', survey: 'motion' }),
  });
  const { context, page, errors } = await openPage(suite.browser, url, { reducedMotion: 'reduce' });
  try {
    await inSurvey(page, '.panel').waitFor({ state: 'visible' });
    const running = await page.evaluate(
      () =>
        document
          .querySelector('npskit-survey')
          .shadowRoot.querySelector('.panel')
          .getAnimations({ subtree: true }).length,
    );
    assert.equal(running, 0);
    await page.keyboard.press('Escape');
    await eventually(
      async () => !(await page.evaluate(() => document.querySelector('npskit-survey'))),
      'the survey gone',
    );
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});

test('a page view with the survey answered shows the thank-you, then closes by itself', async () => {
  const url = suite.host.addPage({
    attributes: surveyAttributes({ mode: 'slide', survey: 'thanks', thankYouSeconds: 1.5 }),
  });
  const { context, page, errors } = await openPage(suite.browser, url);
  try {
    await surveyVisible(page);
    await answer(page, 8, 'Fine');
    await settled(page);
    await page.screenshot({ path: path.join(shotsDir, 'thank-you.png') });
    await eventually(
      async () => !(await page.evaluate(() => document.querySelector('npskit-survey'))),
      'the survey gone',
    );
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
