// The live panel's groups (segments read from a file) and the folding of
// groups too small to keep their respondents anonymous, by the rule of the
// collector's public summary.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser } from './support.mjs';
import { axeSettled, eventually, openPage, startHost } from './fixtures/widget/harness.mjs';

// Segments of 8, 7, 3 and 2 answers, and one of 4 in the second file.
const rows = (counts) =>
  'score,segment\n' +
  Object.entries(counts)
    .flatMap(([segment, n]) => Array.from({ length: n }, (_, i) => `${i % 2 ? 9 : 6},${segment}`))
    .join('\n') +
  '\n';
const files = {
  '/data/segments.csv': rows({ north: 8, south: 7, east: 3, west: 2 }),
  '/data/one-small.csv': rows({ north: 8, south: 7, west: 4 }),
};
let browser;
let host;

before(async () => {
  const routes = {};
  for (const [file, body] of Object.entries(files)) {
    routes[file] = (req, res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      res.end(body);
    };
  }
  host = await startHost({ routes });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await host?.close();
});

async function groupsOf(options) {
  const url = host.addPage({
    attributes: { survey: 'live-groups', trigger: 'manual' },
    after: `NpsKit.live('#slot', ${JSON.stringify(options)});`,
  });
  const { context, page, errors } = await openPage(browser, url);
  try {
    const table = await eventually(
      () =>
        page.evaluate(() => {
          const root = document.querySelector('#slot npskit-live')?.shadowRoot;
          const table = root && root.querySelector('.live-groups');
          if (!table || table.hidden) return null;
          return [...table.querySelectorAll('tbody tr')].map((row) =>
            [...row.children].map((cell) => cell.textContent),
          );
        }),
      'the group table',
    );
    assert.deepEqual(await axeSettled(page), []);
    assert.deepEqual(errors, []);
    return table;
  } finally {
    await context.close();
  }
}

const folded = (groups, n) =>
  `${groups} smaller groups folded together to keep answers anonymous: ${n} answers`;

test('groups under 5 answers are folded into one line by default', async () => {
  assert.deepEqual(await groupsOf({ source: '/data/segments.csv', by: 'segment' }), [
    ['north', '8', '0'],
    ['south', '7', '-14.3'],
    [folded(2, 5)],
  ]);
});

test('one small group alone would be given away by the total: the next smallest folds with it', async () => {
  assert.deepEqual(await groupsOf({ source: '/data/one-small.csv', by: 'segment' }), [
    ['north', '8', '0'],
    [folded(2, 11)],
  ]);
});

test('minGroup sets the size; 1 shows every group', async () => {
  assert.deepEqual(await groupsOf({ source: '/data/segments.csv', by: 'segment', minGroup: 1 }), [
    ['east', '3', '-33.3'],
    ['north', '8', '0'],
    ['south', '7', '-14.3'],
    ['west', '2', '0'],
  ]);
});
