// dist/survey/assets/survey.js: the hosted survey page, the target of the
// links in invitation e-mails and of shared survey links. It shows the
// widget's own survey (inline, not closable) in the visitor's language with
// the score of the link already chosen, and records nothing on its own: the
// answer goes out when the person sends it, or when they leave the page
// after having touched the survey. A mail scanner that fetches the link, or
// even runs the page, records nothing.
import { open } from './ui.js';
import { defaults } from './options.js';
import { pickLocale, rightToLeft } from './locale.js';
import { loadJson, mountShadow } from './load.js';
import { read, write, changeQueue } from './storage.js';
import { createQueue } from './queue.js';

const script = document.currentScript;
const assets = new URL('.', script.src).href;
const params = new URLSearchParams(location.search);
const main = document.getElementById('survey');
const channels = ['email', 'link', 'web'];

function problem(text) {
  main.replaceChildren(
    Object.assign(document.createElement('p'), { className: 'problem', textContent: text }),
  );
}

// /s/KEY on the collector; ?survey=KEY or data-survey on a static host.
function surveyKey() {
  const match = /\/s\/([^/]+)\/?$/.exec(location.pathname);
  if (match) return decodeURIComponent(match[1]);
  return params.get('survey') || script.dataset.survey || '';
}

// Characters the collector refuses in a campaign or contact id; a field it
// would refuse is left out so the answer still counts (anonymously).
const unprintable = /[\u0000-\u001f\u007f-\u009f]/u;
const fits = (text, max) => !unprintable.test(text) && [...text].length <= max;

/** The link's channel, campaign and signed contact, as the payload carries them. */
function linkFields() {
  const fields = { channel: channels.includes(params.get('ch')) ? params.get('ch') : 'link' };
  const campaign = (params.get('cmp') || '').trim();
  if (campaign && fits(campaign, 100)) fields.campaign = campaign;
  const contact = params.get('c') || '';
  const sig = params.get('sig') || '';
  if (contact && fits(contact, 200)) {
    fields.contact = contact;
    if (/^[A-Za-z0-9_-]{1,128}$/.test(sig)) fields.sig = sig;
  }
  return fields;
}

function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 15) | 64;
  bytes[8] = (bytes[8] & 63) | 128;
  const hex = Array.from(bytes, (byte) => (byte + 256).toString(16).slice(1)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function start() {
  const survey = surveyKey();
  const locale = pickLocale(params.get('lang') || script.dataset.locale);
  document.documentElement.lang = locale;
  document.documentElement.dir = rightToLeft(locale) ? 'rtl' : 'ltr';
  if (!survey) {
    problem('This link names no survey (expected /s/SURVEY or ?survey=SURVEY).');
    return;
  }
  const endpoint = new URL(script.dataset.endpoint || '/api/responses', location.href).href;
  const fields = linkFields();
  // One id for this page's answer whichever way it leaves (Send, the
  // retrying queue, the beacon on leaving), so the collector keeps it once.
  const answerId = uuid();
  const store = { read, write };
  const queue = createQueue(
    store,
    (name, detail) => {
      if (name === 'error') console.warn('npskit: ' + detail.message);
    },
    () => ({ base: defaults.retryBaseSeconds * 1000, max: defaults.retryMaxSeconds * 1000 }),
  );
  // Answers left from an earlier visit that could not be delivered then.
  queue.flush();

  const scoreText = params.get('score') || '';
  const preselected = /^(10|[0-9])$/.test(scoreText) ? Number(scoreText) : null;
  const product = params.get('p') || script.dataset.product || '';
  let sent = false;
  let leaving = false;
  let touched = false;
  let form = null;
  let root = null;

  function record(body) {
    if (body.type !== 'response' || sent) return;
    sent = true;
    body.id = answerId;
    Object.assign(body, fields);
    if (leaving && navigator.sendBeacon) {
      const blob = new Blob([JSON.stringify(body)], { type: 'text/plain;charset=UTF-8' });
      if (navigator.sendBeacon(endpoint, blob)) return;
    }
    const item = { id: body.id, url: endpoint, text: true, payload: body, due: 0 };
    changeQueue((items) => {
      if (!items.some((queued) => queued.id === item.id)) items.push(item);
    }, store)
      .then(() => (leaving ? queue.flushOnHide() : queue.flush()))
      .catch((error) => console.warn('npskit: the answer could not be queued: ' + error.message));
  }

  // Leaving after choosing sends what was chosen, through the survey's own
  // Send, so the payload is the one Send would have made. A score that only
  // came with the link is not a choice made on this page.
  function leave() {
    if (sent) return queue.flushOnHide();
    if (!form || !touched || !root.querySelector('input[name="score"]:checked')) return;
    leaving = true;
    try {
      form.requestSubmit();
    } finally {
      leaving = false;
    }
  }
  addEventListener('pagehide', leave);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'hidden') leave();
  });

  const mounted = mountShadow('npskit-survey', main, assets);
  for (const type of ['pointerdown', 'keydown', 'input', 'change']) {
    mounted.host.addEventListener(type, (event) => {
      if (event.isTrusted) touched = true;
    });
  }
  Promise.all([loadJson(`${assets}locales/${locale}.json`), mounted.ready])
    .then(([strings]) => {
      const options = Object.assign({}, defaults, {
        survey,
        product,
        mode: 'inline',
        closable: false,
        thankYouSeconds: 0,
        autoFocus: false,
      });
      open({
        options,
        strings,
        locale,
        root: mounted.root,
        host: mounted.host,
        record,
        closed: () => {},
        fail: (code, error) => console.warn('npskit: ' + error.message),
      });
      root = mounted.root;
      form = root.querySelector('form.form:not(.companion)');
      const question = root.getElementById('question');
      if (question) document.title = question.textContent;
      if (preselected !== null) {
        const radio = root.getElementById('score-' + preselected);
        radio.checked = true;
        radio.dispatchEvent(new Event('change', { bubbles: true }));
        radio.focus({ preventScroll: true });
      } else {
        root.querySelector('input[name="score"]').focus({ preventScroll: true });
      }
    })
    .catch((error) => {
      mounted.host.remove();
      problem('The survey could not be loaded: ' + error.message);
    });
}

try {
  start();
} catch (error) {
  problem('The survey could not be shown: ' + error.message);
}
