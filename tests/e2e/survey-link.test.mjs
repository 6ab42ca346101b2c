// Link and e-mail surveys end to end: the e-mail `npskit email` writes,
// rendered in Chromium; its score links opened as a mail scanner would
// (recording nothing) and as a person would (the hosted page with the score
// chosen, recording the answer once when it is sent or when the person leaves
// after touching it); the same page in Arabic; and the static copy in dist/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  axeViolations,
  launchBrowser,
  repoRoot,
  startServer as startStatic,
  watchErrors,
} from './support.mjs';
import { npskitBinary, startServer, temporaryFolder } from '../collector/server.mjs';

let browser;
let scratch;
let collector;
let db;

before(async () => {
  browser = await launchBrowser();
  scratch = temporaryFolder('npskit-link-e2e-');
  db = path.join(scratch.folder, 'answers.db');
  collector = await startServer({ db });
});

after(async () => {
  await collector?.stop();
  await browser?.close();
  scratch?.remove();
});

function npskit(args) {
  const run = spawnSync(npskitBinary, args, { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  return run;
}

// RFC 4180 rows of the CSV `npskit email --out FILE.csv` writes.
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') field += text[++i];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

/** The personal message of one contact, as `npskit email --contacts` writes it. */
function personalMessage({ contact, campaign, locale = 'en' }) {
  const contacts = path.join(scratch.folder, `contacts-${contact}.csv`);
  writeFileSync(
    contacts,
    `contact,email,name,locale\n${contact},${contact}@example.com,Ada,${locale}\n`,
  );
  const out = path.join(scratch.folder, `messages-${contact}.csv`);
  npskit([
    'email',
    '--survey',
    'acme-nps',
    '--base-url',
    collector.base,
    '--product',
    'Acme <Cloud>',
    '--campaign',
    campaign,
    '--contacts',
    contacts,
    '--out',
    out,
    '--db',
    db,
  ]);
  const [header, row] = parseCsv(readFileSync(out, 'utf8'));
  assert.deepEqual(header, ['contact', 'email', 'subject', 'html', 'text']);
  return { html: row[3], text: row[4] };
}

async function storedAnswers() {
  const response = await collector.request({ path: '/api/responses.jsonl' });
  assert.equal(response.status, 200, response.text);
  return response.text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line));
}

// The score links of a rendered message: href and accessible name, in order.
async function scoreLinks(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('a[href*="/s/"]')].map((link) => ({
      href: link.href,
      name: link.getAttribute('aria-label'),
      text: link.textContent,
    })),
  );
}

test('the e-mail renders 11 score links with their URLs and accessible names', async () => {
  const { html } = personalMessage({ contact: 'crm-1', campaign: 'spring' });
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.setContent(html);
  const links = await scoreLinks(page);
  assert.equal(links.length, 11);
  links.forEach((link, score) => {
    const url = new URL(link.href);
    assert.equal(url.origin + url.pathname, `${collector.base}/s/acme-nps`);
    assert.equal(url.searchParams.get('score'), String(score));
    assert.equal(url.searchParams.get('ch'), 'email');
    assert.equal(url.searchParams.get('cmp'), 'spring');
    assert.equal(url.searchParams.get('c'), 'crm-1');
    assert.match(url.searchParams.get('sig'), /^[A-Za-z0-9_-]{43}$/);
    assert.equal(link.text, String(score));
  });
  // Names as assistive technology computes them, not only as written.
  for (const [score, name] of [
    [0, '0 out of 10 – Not at all likely'],
    [9, '9 out of 10'],
    [10, '10 out of 10 – Extremely likely'],
  ]) {
    const link = page.getByRole('link', { name, exact: true });
    assert.equal(await link.count(), 1, name);
    assert.equal(new URL(await link.getAttribute('href')).searchParams.get('score'), String(score));
  }
  // The product name is text, never markup.
  assert.match(await page.locator('h1').innerText(), /recommend Acme <Cloud> to a friend/);
  // Every link's signature is the same: it signs the contact, not the score.
  assert.equal(new Set(links.map((link) => new URL(link.href).searchParams.get('sig'))).size, 1);
  await context.close();
});

test('an Arabic e-mail and page read right to left', async () => {
  const { html } = personalMessage({ contact: 'crm-ar', campaign: 'spring', locale: 'ar' });
  const context = await browser.newContext({ locale: 'en-US' });
  const page = await context.newPage();
  await page.setContent(html);
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  const arabic = JSON.parse(readFileSync(path.join(repoRoot, 'web', 'locales', 'ar.json'), 'utf8'));
  const links = await scoreLinks(page);
  assert.equal(links[9].name, arabic.scoreLabel.replace('{score}', '9'));
  const link = new URL(links[9].href);
  assert.equal(link.searchParams.get('lang'), 'ar');

  const errors = watchErrors(page);
  await page.goto(link.href);
  await page.locator('npskit-survey .panel').waitFor();
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'ar');
  assert.equal(await page.locator('npskit-survey .panel').getAttribute('dir'), 'rtl');
  assert.equal(
    await page.locator('npskit-survey #question').innerText(),
    arabic.question.replace('{product}', 'Acme <Cloud>'),
  );
  assert.equal(await page.locator('npskit-survey #score-9').isChecked(), true);
  assert.deepEqual(errors, []);
  await context.close();
});

test('a plain GET of every score link, as a mail scanner sends it, records nothing', async () => {
  const { html } = personalMessage({ contact: 'crm-scan', campaign: 'scan' });
  const hrefs = [...html.matchAll(/<a href="([^"]*\/s\/[^"]*)"/g)].map((match) =>
    match[1].replaceAll('&amp;', '&'),
  );
  assert.equal(hrefs.length, 11);
  const before = (await storedAnswers()).length;
  for (const href of hrefs) {
    for (const method of ['GET', 'HEAD']) {
      const response = await fetch(href, { method, redirect: 'manual' });
      assert.equal(response.status, 200, `${method} ${href}`);
      assert.match(response.headers.get('content-type'), /^text\/html/);
      assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
      const policy = response.headers.get('content-security-policy');
      assert.match(policy, /default-src 'none'/);
      assert.match(policy, /script-src 'self'(;|$)/);
      assert.match(policy, /connect-src 'self'(;|$)/);
      await response.arrayBuffer();
    }
  }
  assert.equal((await storedAnswers()).length, before);
});

// Opens a link as a person would, in a fresh browser profile; returns the
// page and the payloads it posts to the collector.
async function openLink(href) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = watchErrors(page);
  const posts = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().endsWith('/api/responses'))
      posts.push({ type: request.resourceType(), body: JSON.parse(request.postData()) });
  });
  await page.goto(href);
  await page.locator('npskit-survey .panel').waitFor();
  return { context, page, errors, posts };
}

// Waits (bounded) until the collector holds `count` answers of a campaign.
async function answersOf(campaign, count) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const answers = (await storedAnswers()).filter((answer) => answer.campaign === campaign);
    if (answers.length >= count) return answers;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return (await storedAnswers()).filter((answer) => answer.campaign === campaign);
}

// A known answer sent after the fact: once it is stored, anything the
// earlier page had sent on leaving is stored too (same browser, sent first).
async function sendMarker(campaign) {
  const { html } = personalMessage({ contact: `marker-${campaign}`, campaign });
  const href = [...html.matchAll(/<a href="([^"]*score=3[^"]*)"/g)][0][1].replaceAll('&amp;', '&');
  const visit = await openLink(href);
  const posted = visit.page.waitForResponse((r) => r.url().endsWith('/api/responses'));
  await visit.page.locator('npskit-survey button.submit').click();
  assert.equal((await posted).status(), 201);
  await visit.context.close();
}

test('the page shows the score chosen and records it once, when the person sends it', async () => {
  const { html } = personalMessage({ contact: 'crm-send', campaign: 'send' });
  const href = [...html.matchAll(/<a href="([^"]*score=9[^"]*)"/g)][0][1].replaceAll('&amp;', '&');
  const visit = await openLink(href);
  const { page } = visit;
  assert.equal(await page.locator('npskit-survey #score-9').isChecked(), true);
  assert.equal(await page.locator('npskit-survey .follow-up').isVisible(), true);
  assert.match(await page.title(), /How likely are you to recommend Acme <Cloud>/);
  // Nothing went out on opening the page.
  assert.deepEqual(visit.posts, []);
  assert.deepEqual(await answersOf('send', 0), []);
  assert.deepEqual(visit.errors, []);
  assert.deepEqual(await axeViolations(page), []);
  // axe is injected as an inline script first, which the page's CSP refuses
  // (as it should); those refusals are not the page's errors.
  visit.errors.length = 0;

  await page.locator('npskit-survey textarea').fill('Quick answers');
  const posted = page.waitForResponse((r) => r.url().endsWith('/api/responses'));
  await page.locator('npskit-survey button.submit').click();
  assert.equal((await posted).status(), 201);
  await page.locator('npskit-survey .thanks').waitFor();

  const link = new URL(href);
  assert.equal(visit.posts.length, 1);
  const payload = visit.posts[0].body;
  assert.equal(payload.score, 9);
  assert.equal(payload.comment, 'Quick answers');
  assert.equal(payload.channel, 'email');
  assert.equal(payload.campaign, 'send');
  assert.equal(payload.contact, 'crm-send');
  assert.equal(payload.sig, link.searchParams.get('sig'));
  assert.equal(payload.survey, 'acme-nps');
  // The page's address, without the query that holds the signature.
  assert.equal(payload.page, `${collector.base}/s/acme-nps`);

  // Leaving now sends nothing new.
  await page.goto('about:blank');
  await sendMarker('send');
  const stored = await answersOf('send', 2);
  const answers = stored.filter((answer) => answer.id === payload.id);
  assert.equal(answers.length, 1);
  assert.equal(answers[0].score, 9);
  assert.equal(answers[0].channel, 'email');
  assert.equal(stored.length, 2, JSON.stringify(stored));
  assert.deepEqual(visit.errors, []);
  await visit.context.close();
});

test('leaving after choosing sends the choice once with sendBeacon, also after Send', async () => {
  const { html } = personalMessage({ contact: 'crm-leave', campaign: 'leave' });
  const href = [...html.matchAll(/<a href="([^"]*score=9[^"]*)"/g)][0][1].replaceAll('&amp;', '&');

  // Chosen on the page (6 instead of the link's 9), then the tab closes.
  const first = await openLink(href);
  await first.page.locator('npskit-survey label[for="score-6"]').click();
  await first.page.locator('npskit-survey textarea').fill('Slow support');
  assert.deepEqual(first.posts, []);
  await first.page.close({ runBeforeUnload: true });
  await first.context.close();

  // Chosen, sent, then the visitor navigates away: still one answer. Another
  // contact, as a second answer of the same contact and campaign would
  // replace the first (the collector's replace window).
  const { html: otherHtml } = personalMessage({ contact: 'crm-leave-sent', campaign: 'leave' });
  const otherHref = [...otherHtml.matchAll(/<a href="([^"]*score=9[^"]*)"/g)][0][1].replaceAll(
    '&amp;',
    '&',
  );
  const second = await openLink(otherHref);
  await second.page.locator('npskit-survey label[for="score-7"]').click();
  const posted = second.page.waitForResponse((r) => r.url().endsWith('/api/responses'));
  await second.page.locator('npskit-survey button.submit').click();
  assert.equal((await posted).status(), 201);
  await second.page.goto('about:blank');
  await second.context.close();

  await sendMarker('leave');
  const stored = await answersOf('leave', 3);
  assert.equal(stored.length, 3, JSON.stringify(stored));
  const left = stored.find((answer) => answer.score === 6);
  assert.ok(left, JSON.stringify(stored));
  assert.equal(left.comment, 'Slow support');
  assert.equal(left.channel, 'email');
  assert.equal(left.contact, 'crm-leave');
  const sent = stored.filter((answer) => answer.score === 7);
  assert.equal(sent.length, 1);
  assert.equal(sent[0].contact, 'crm-leave-sent');
  assert.equal(second.posts.length, 1);
  assert.deepEqual(first.errors, []);
  assert.deepEqual(second.errors, []);
});

test('a page that runs but is never touched records nothing when it goes away', async () => {
  const { html } = personalMessage({ contact: 'crm-robot', campaign: 'robot' });
  const href = [...html.matchAll(/<a href="([^"]*score=10[^"]*)"/g)][0][1].replaceAll('&amp;', '&');
  const visit = await openLink(href);
  assert.equal(await visit.page.locator('npskit-survey #score-10').isChecked(), true);
  await visit.page.goto('about:blank');
  await visit.context.close();
  assert.deepEqual(visit.posts, []);
  await sendMarker('robot');
  const stored = await answersOf('robot', 1);
  assert.deepEqual(
    stored.map((answer) => answer.score),
    [3],
  );
});

test('the static copy in dist/survey posts to the endpoint it is configured with', async () => {
  const received = [];
  const host = await startStatic({
    routes: {
      '/api/responses': (req, res, body) => {
        received.push({ type: req.headers['content-type'], body: JSON.parse(body) });
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end('{"stored":true}');
      },
    },
  });
  try {
    const visit = await openLink(`${host.url}/survey/?survey=static-nps&score=4&cmp=site`);
    assert.equal(await visit.page.locator('npskit-survey #score-4').isChecked(), true);
    const posted = visit.page.waitForResponse((r) => r.url().endsWith('/api/responses'));
    await visit.page.locator('npskit-survey button.submit').click();
    assert.equal((await posted).status(), 201);
    assert.equal(received.length, 1);
    assert.match(received[0].type, /^text\/plain/);
    const payload = received[0].body;
    assert.equal(payload.survey, 'static-nps');
    assert.equal(payload.score, 4);
    assert.equal(payload.category, 'detractor');
    assert.equal(payload.channel, 'link');
    assert.equal(payload.campaign, 'site');
    assert.equal('contact' in payload, false);
    assert.deepEqual(visit.errors, []);
    await visit.context.close();
  } finally {
    await host.close();
  }
});
