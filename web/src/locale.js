// The built-in locales (one file each in locales/) and how a language tag
// from an option, the page or the browser maps onto them.
export const locales = [
  'en',
  'sv',
  'nb',
  'da',
  'fi',
  'de',
  'fr',
  'es',
  'pt',
  'it',
  'nl',
  'pl',
  'zh-CN',
  'ja',
  'ar',
  'he',
];

const aliases = { no: 'nb', nn: 'nb', zh: 'zh-CN', iw: 'he' };

/** The built-in locale for a BCP 47 tag such as "sv-FI" or "zh-Hans", or "". */
export function matchLocale(tag) {
  const language = String(tag || '')
    .toLowerCase()
    .split(/[-_]/)[0];
  return (
    aliases[language] || locales.find((code) => code.toLowerCase().split('-')[0] === language) || ''
  );
}

/** The option, else the page's lang, else the browser's languages, else English. */
export function pickLocale(option) {
  const candidates = [
    option,
    document.documentElement.lang,
    ...(navigator.languages || [navigator.language]),
  ];
  for (const tag of candidates) {
    const code = matchLocale(tag);
    if (code) return code;
  }
  return 'en';
}

export const rightToLeft = (code) => code === 'ar' || code === 'he';
