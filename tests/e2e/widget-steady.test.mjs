// What a visitor must not meet in the survey: a scale that jumps away from the
// pointer when the follow-up question opens, a question a screen reader reads
// twice, and a bottom bar whose close button sits at the far edge of a wide
// screen. The accessibility tree is Chromium's own, read over CDP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  collector,
  hostAndBrowser,
  inSurvey,
  openPage,
  settled,
  surveyVisible,
} from './fixtures/widget/harness.mjs';

const endpoint = collector();
const suite = hostAndBrowser({ '/collect': endpoint.route });

const attributes = (extra) => ({
  endpoint: '/collect',
  survey: 'steady',
  product: 'Acme',
  target: '#slot',
  ...extra,
});

// The row of scores; a score under the pointer lifts by its hover effect,
// which is feedback, not movement.
const scaleBox = (page) =>
  page.evaluate(() => {
    const scores = document.querySelector('npskit-survey').shadowRoot.querySelector('.scores');
    const rect = scores.getBoundingClientRect();
    return { top: rect.top, left: rect.left };
  });

for (const viewport of [
  { width: 1366, height: 768 },
  { width: 390, height: 844 },
  { width: 320, height: 640 },
]) {
  test(`modal at ${viewport.width} px: the scale stays where it was when the follow-up opens`, async () => {
    const url = suite.host.addPage({ attributes: attributes({ mode: 'modal' }) });
    const { context, page, errors } = await openPage(suite.browser, url, { viewport });
    try {
      await surveyVisible(page);
      const before = await scaleBox(page);
      await inSurvey(page, 'label[for="score-9"]').click();
      await inSurvey(page, 'textarea').waitFor({ state: 'visible' });
      await settled(page);
      const after = await scaleBox(page);
      assert.ok(
        Math.abs(after.top - before.top) < 1 && Math.abs(after.left - before.left) < 1,
        `the scale moved from ${JSON.stringify(before)} to ${JSON.stringify(after)}`,
      );
      // The follow-up is reachable: inside the screen, or inside the dialog's own scrolling.
      const submit = await inSurvey(page, 'button[type="submit"]').boundingBox();
      assert.ok(submit.width > 0 && submit.x >= 0 && submit.x + submit.width <= viewport.width);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

// Chromium's computed accessibility tree, without the nodes it ignores.
async function accessibilityTree(page) {
  const session = await page.context().newCDPSession(page);
  const { nodes } = await session.send('Accessibility.getFullAXTree');
  await session.detach();
  return nodes
    .filter((node) => !node.ignored)
    .map((node) => ({
      role: node.role?.value ?? '',
      name: node.name?.value ?? '',
      properties: Object.fromEntries(
        (node.properties ?? []).map((property) => [property.name, property.value?.value]),
      ),
    }));
}

for (const mode of ['modal', 'slide', 'bar', 'inline']) {
  test(`${mode} mode: the question is announced once, as the survey's name`, async () => {
    const url = suite.host.addPage({ attributes: attributes({ mode }) });
    const { context, page, errors } = await openPage(suite.browser, url);
    try {
      await surveyVisible(page);
      const question = await inSurvey(page, '.question').innerText();
      const tree = await accessibilityTree(page);
      // Text nodes are the words on screen; any other node carrying the
      // question as its name is read out again on entering it.
      const named = tree.filter(
        (node) =>
          !['StaticText', 'InlineTextBox', 'paragraph', 'generic'].includes(node.role) &&
          node.name.includes(question),
      );
      assert.equal(named.length, 1, JSON.stringify(named));
      const radios = tree.filter((node) => node.role === 'radio');
      assert.equal(radios.length, 11);
      for (const radio of radios) assert.ok(!radio.name.includes(question), radio.name);
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

test('bar mode on a wide screen: the close button is beside the centred content', async () => {
  const url = suite.host.addPage({ attributes: attributes({ mode: 'bar' }) });
  const { context, page, errors } = await openPage(suite.browser, url, {
    viewport: { width: 1920, height: 900 },
  });
  try {
    await surveyVisible(page);
    const close = await inSurvey(page, '.close').boundingBox();
    const body = await inSurvey(page, '.body').boundingBox();
    const bodyRight = body.x + body.width;
    assert.ok(close.x >= bodyRight - close.width - 1, 'not over the content');
    assert.ok(close.x - bodyRight < 48, `${close.x - bodyRight} px right of the content`);
    await settled(page);
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
