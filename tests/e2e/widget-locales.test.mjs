// The 16 built-in languages: every locale file complete, every one rendered
// with its own question, labels and screen-reader names, and the language
// picked from the option, the page or the browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import {
  answer,
  axeSettled,
  collector,
  distDir,
  eventually,
  hostAndBrowser,
  inSurvey,
  localeCodes,
  locales,
  openPage,
  repoRoot,
  surveyVisible,
} from './fixtures/widget/harness.mjs';

const endpoint = collector();
const suite = hostAndBrowser({ '/collect': endpoint.route });

const placeholders = (text) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();

test('every locale file, source and built, has every key of en with the same placeholders', async () => {
  const english = locales.en;
  for (const directory of [path.join(repoRoot, 'web', 'locales'), path.join(distDir, 'locales')]) {
    const files = (await readdir(directory)).filter((file) => file.endsWith('.json')).sort();
    assert.deepEqual(
      files,
      localeCodes.map((code) => `${code}.json`).sort(),
      `${directory} holds exactly the 16 locales`,
    );
    for (const file of files) {
      const strings = JSON.parse(await readFile(path.join(directory, file), 'utf8'));
      assert.deepEqual(
        Object.keys(strings).sort(),
        Object.keys(english).sort(),
        `${file}: same keys as en.json`,
      );
      for (const key of Object.keys(english)) {
        assert.equal(typeof strings[key], 'string', `${file}: ${key} is a string`);
        assert.ok(strings[key].trim().length > 0, `${file}: ${key} is not empty`);
        assert.deepEqual(
          placeholders(strings[key]),
          placeholders(english[key]),
          `${file}: ${key} keeps its placeholders`,
        );
      }
    }
  }
});

test('the wordings the method sources give for Swedish and Chinese are kept', () => {
  assert.equal(
    locales.sv.questionGeneric,
    'Hur troligt är det att du skulle rekommendera oss till en vän eller branschkollega?',
  );
  assert.equal(locales.sv.followUp, 'Vad är den främsta anledningen till ditt svar?');
  assert.equal(locales.sv.low, 'Inte sannolikt');
  assert.equal(locales.sv.high, 'Mycket sannolikt');
  assert.equal(locales.sv.livePromoters, 'Ambassadörer');
  assert.equal(locales.sv.livePassives, 'Passiva');
  assert.equal(locales.sv.liveDetractors, 'Kritiker');
  assert.equal(locales['zh-CN'].questionGeneric, '您有多大可能向朋友或同事推荐我们的产品/服务？');
  assert.equal(locales.pl.liveDetractors, 'Krytycy');
});

for (const code of localeCodes) {
  test(`${code}: question, labels, screen-reader names, follow-up and thank-you in ${code}`, async () => {
    const strings = locales[code];
    // The page says English; the locale option wins.
    const url = suite.host.addPage({
      lang: 'en',
      attributes: {
        endpoint: '/collect',
        survey: `locale-${code}`,
        locale: code,
        product: 'Acme',
        mode: 'inline',
        target: '#slot',
      },
    });
    const { context, page, errors } = await openPage(suite.browser, url);
    try {
      await surveyVisible(page);
      const fill = (text, values) => text.replace(/\{(\w+)\}/g, (match, name) => values[name]);
      assert.equal(await inSurvey(page, '.panel').getAttribute('lang'), code);
      assert.equal(
        await inSurvey(page, '.panel').getAttribute('dir'),
        code === 'ar' || code === 'he' ? 'rtl' : 'ltr',
      );
      assert.equal(
        await inSurvey(page, '.question').textContent(),
        fill(strings.question, { product: 'Acme' }),
      );
      assert.equal(await inSurvey(page, '#end-low').textContent(), strings.low);
      assert.equal(await inSurvey(page, '#end-high').textContent(), strings.high);
      assert.equal(await inSurvey(page, '.close').getAttribute('aria-label'), strings.close);
      for (const score of [0, 9, 10]) {
        assert.equal(
          await inSurvey(page, `#score-${score}`).getAttribute('aria-label'),
          fill(strings.scoreLabel, { score }),
        );
      }
      assert.deepEqual(await axeSettled(page), []);
      await inSurvey(page, 'label[for="score-9"]').click();
      await eventually(
        async () =>
          (await inSurvey(page, '#follow-up-label').textContent()) === strings.followUpPromoter,
        'the promoter follow-up',
      );
      assert.equal(
        await inSurvey(page, 'textarea').getAttribute('placeholder'),
        strings.placeholder,
      );
      assert.equal(await inSurvey(page, '.submit').textContent(), strings.submit);
      await answer(page, 9);
      assert.equal(await inSurvey(page, '.thanks-title').textContent(), strings.thanks);
      assert.equal(await inSurvey(page, '.thanks-detail').textContent(), strings.thanksDetail);
      await eventually(
        () =>
          endpoint
            .accepted()
            .some((payload) => payload.survey === `locale-${code}` && payload.locale === code),
        'the answer with its locale',
      );
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}

const detection = [
  { name: "the page's lang (sv-SE)", lang: 'sv-SE', browser: 'en-US', expect: 'sv' },
  {
    name: "the browser's language when the page has none (de-AT)",
    lang: '',
    browser: 'de-AT',
    expect: 'de',
  },
  {
    name: 'the browser when the page language is not built in (ko)',
    lang: 'ko',
    browser: 'fr-FR',
    expect: 'fr',
  },
  {
    name: 'Norwegian Nynorsk and plain "no" read as Bokmål',
    lang: 'nn',
    browser: 'en-US',
    expect: 'nb',
  },
  {
    name: 'Chinese in any script reads as zh-CN',
    lang: 'zh-Hans',
    browser: 'en-US',
    expect: 'zh-CN',
  },
  { name: 'English when nothing matches', lang: 'ko', browser: 'ko-KR', expect: 'en' },
];

for (const { name, lang, browser: language, expect } of detection) {
  test(`locale from ${name}`, async () => {
    const url = suite.host.addPage({
      lang,
      attributes: { survey: `detect-${expect}-${lang}`, product: 'Acme' },
    });
    const { context, page, errors } = await openPage(suite.browser, url, { locale: language });
    try {
      await surveyVisible(page);
      assert.equal(await inSurvey(page, '.panel').getAttribute('lang'), expect);
      assert.equal(
        await inSurvey(page, '.question').textContent(),
        locales[expect].question.replace('{product}', 'Acme'),
      );
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
    }
  });
}
