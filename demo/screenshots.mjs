// `./run screenshots [FOLDER]`: the demo site as a reviewer should see it, at
// 320, 390 and 1366 px, light and dark, in en, sv, zh-CN and ar: the widget
// page with the survey in each display mode (scale, then the follow-up
// open), and the calculator with the sample export read. Pages are served
// from dist/demo on 127.0.0.1; the PNGs go to FOLDER (default screenshots/).
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { launchBrowser, repoRoot, startServer } from '../tests/e2e/support.mjs';

const widths = [320, 390, 1366];
const themes = ['light', 'dark'];
const locales = ['en', 'sv', 'zh-CN', 'ar'];
const modes = ['modal', 'slide', 'bar', 'inline'];
const folder = path.resolve(process.argv[2] || path.join(repoRoot, 'screenshots'));
// Every wait is bounded, so a broken page fails the run instead of hanging it.
const timeout = 30000;

async function shoot(page, name) {
  await page.screenshot({ path: path.join(folder, `${name}.png`) });
  return name;
}

async function widgetPage(browser, server, width, theme, locale) {
  const context = await browser.newContext({
    viewport: { width, height: width < 500 ? 800 : 860 },
    colorScheme: theme,
    locale,
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  await page.goto(`${server.url}/dist/demo/index.html`);
  await page.waitForSelector('html[data-ready="true"]');
  const names = [await shoot(page, `home-${width}-${theme}-${locale}`)];
  await page.selectOption('#locale', locale);
  for (const mode of modes) {
    await page.evaluate(() => window.NpsKit.hide());
    await page.waitForFunction(() => !document.querySelector('npskit-survey'));
    await page.selectOption('#mode', mode);
    await page.click('#show-survey');
    await page.locator('npskit-survey .panel').waitFor({ state: 'visible' });
    // Reduced motion: no animation to wait for; an inline survey is
    // scrolled into view at once by the page itself.
    names.push(await shoot(page, `${mode}-${width}-${theme}-${locale}`));
    await page.locator('npskit-survey label[for="score-6"]').click();
    await page.locator('npskit-survey textarea').waitFor({ state: 'visible' });
    names.push(await shoot(page, `${mode}-follow-up-${width}-${theme}-${locale}`));
  }
  await context.close();
  return names;
}

// The calculator's own words are English in every locale; the browser's
// language is set all the same, so the shots show what such a visitor sees.
async function calculatorPage(browser, server, width, theme, locale) {
  const context = await browser.newContext({
    viewport: { width, height: width < 500 ? 800 : 860 },
    colorScheme: theme,
    locale,
    reducedMotion: 'reduce',
  });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  await page.goto(`${server.url}/dist/demo/calculator.html`);
  await page.waitForSelector('html[data-ready="true"]');
  await page.click('#tab-file');
  await page.click('#sample-button');
  await page.waitForFunction(() =>
    document.querySelector('#file-status').textContent.startsWith('Read the sample export'),
  );
  await page.screenshot({
    path: path.join(folder, `calculator-${width}-${theme}-${locale}.png`),
    fullPage: true,
  });
  await context.close();
  return [`calculator-${width}-${theme}-${locale}`];
}

await mkdir(folder, { recursive: true });
const server = await startServer({ root: repoRoot });
const browser = await launchBrowser();
let count = 0;
try {
  for (const width of widths) {
    for (const theme of themes) {
      for (const locale of locales) {
        count += (await widgetPage(browser, server, width, theme, locale)).length;
        count += (await calculatorPage(browser, server, width, theme, locale)).length;
      }
    }
  }
} finally {
  await browser.close();
  await server.close();
}
console.log(`${count} screenshots in ${folder}`);
