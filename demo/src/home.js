// The widget demo page: switches the survey's display mode and language,
// shows the live score, and sends answers to the npskit collector when this
// page is served by it, or keeps them in this browser otherwise.
import { setupThemeToggle, onThemeChange, currentTheme } from './theme.js';

const $ = (id) => document.getElementById(id);
const storeKey = 'npskit.demo.answers';
const keptAnswers = 500;
let collector = false;
let livePanel = null;

function storedAnswers() {
  try {
    const answers = JSON.parse(localStorage.getItem(storeKey) ?? '[]');
    return Array.isArray(answers) ? answers : [];
  } catch {
    return [];
  }
}

function storeAnswer(answer) {
  const answers = storedAnswers();
  answers.push({
    score: answer.score,
    category: answer.category,
    comment: answer.comment ?? '',
    submitted_at: answer.submitted_at,
    locale: answer.locale,
  });
  try {
    localStorage.setItem(storeKey, JSON.stringify(answers.slice(-keptAnswers)));
  } catch {
    // A full or unavailable storage: the answer still counts on this page.
  }
}

function widget() {
  return new Promise((resolve) => {
    if (window.NpsKit?.version) return resolve(window.NpsKit);
    document
      .querySelector('script[src$="npskit.js"]')
      .addEventListener('load', () => resolve(window.NpsKit), { once: true });
  });
}

async function detectCollector() {
  try {
    const response = await fetch('api/health', { cache: 'no-store' });
    return response.ok;
  } catch {
    return false;
  }
}

async function collectorAnswers() {
  const response = await fetch('api/responses.jsonl', { cache: 'no-store' });
  if (!response.ok) return [];
  return (await response.text())
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => {
      try {
        return JSON.parse(line);
      } catch {
        return null;
      }
    })
    .filter((answer) => answer && answer.type !== 'dismissal');
}

async function answers() {
  return collector ? collectorAnswers() : storedAnswers();
}

async function renderAnswers() {
  const list = await answers();
  $('answers-empty').hidden = list.length > 0;
  const latest = list.slice(-6).reverse();
  $('answers-list').replaceChildren(
    ...latest.map((answer) => {
      const item = document.createElement('li');
      const badge = document.createElement('span');
      // The category the widget's answer carries (npskit.response/1), so the
      // page never classifies a score itself.
      badge.className = `score-badge score-${answer.category ?? 'unknown'}`;
      badge.textContent = String(answer.score);
      const text = document.createElement('span');
      text.textContent = answer.comment || '(no comment)';
      if (answer.comment) {
        // Arabic or Hebrew comments run right to left; the answer's locale
        // lets a screen reader pick the voice.
        text.dir = 'auto';
        if (answer.locale) text.lang = answer.locale;
      } else text.className = 'muted';
      item.append(badge, text);
      return item;
    }),
  );
  const link = $('analyse-link');
  if (collector) link.href = 'calculator.html#in=collector';
  else {
    const params = new URLSearchParams({
      in: 'scores',
      scores: list.map((answer) => answer.score).join(' '),
    });
    link.href = list.length ? `calculator.html#${params}` : 'calculator.html';
  }
  livePanel?.update(collector ? 'api/responses.jsonl' : list.map((answer) => answer.score));
}

function describeStore() {
  const note = $('store-note');
  note.classList.toggle('store-collector', collector);
  $('store-text').textContent = collector
    ? 'Answers are sent to the npskit collector serving this page (api/responses) and stored in its database.'
    : 'No collector answered at api/health, so answers stay in this browser (local storage) and are never sent anywhere.';
  $('clear-answers').hidden = collector;
  $('live-hint').textContent = collector
    ? 'Every answer the collector has stored, scored in the browser by the WebAssembly core.'
    : 'Every answer kept in this browser, scored here by the WebAssembly core.';
}

async function start() {
  setupThemeToggle($('theme-toggle'));
  const [kit, found] = await Promise.all([widget(), detectCollector()]);
  collector = found;
  describeStore();
  const configure = () =>
    kit.init({
      endpoint: collector ? 'api/responses' : '',
      mode: $('mode').value,
      locale: $('locale').value,
      target: '#inline-target',
      theme: currentTheme(),
    });
  configure();
  kit.on('response', (answer) => {
    if (collector) return;
    storeAnswer(answer);
    renderAnswers();
  });
  // With a collector, its stored answers are shown once it has acknowledged.
  kit.on('delivered', () => renderAnswers());
  kit.on('error', (problem) => {
    $('store-text').textContent = `The survey reported a problem: ${problem.message}`;
  });
  livePanel = kit.live($('live-panel'), { source: [] });
  // A survey on screen closes first; the new one opens once it is gone.
  let visible = false;
  let reopen = false;
  const open = () => {
    configure();
    kit.show({ force: true });
  };
  kit.on('shown', () => {
    visible = true;
    // Inline, the survey is drawn further down the page: bring it into view
    // and move the focus there, or the button seems to do nothing.
    if ($('mode').value === 'inline') {
      const target = $('inline-target');
      const smooth = !matchMedia('(prefers-reduced-motion: reduce)').matches;
      target.scrollIntoView({ block: 'center', behavior: smooth ? 'smooth' : 'auto' });
      target.focus({ preventScroll: true });
    }
  });
  kit.on('hidden', () => {
    visible = false;
    if (reopen) {
      reopen = false;
      open();
    }
  });
  const show = () => {
    if (!visible) return open();
    reopen = true;
    kit.hide();
  };
  $('show-survey').addEventListener('click', show);
  $('show-survey-2').addEventListener('click', show);
  // Choosing a mode or a language only sets up the next survey: an arrow key
  // on a select changes its value, and a change of setting must not open
  // anything or move the focus (WCAG 3.2.2). The buttons show the survey.
  $('mode').addEventListener('change', configure);
  $('locale').addEventListener('change', configure);
  $('clear-answers').addEventListener('click', () => {
    localStorage.removeItem(storeKey);
    renderAnswers();
  });
  onThemeChange(() => configure());
  await renderAnswers();
  document.documentElement.dataset.ready = 'true';
}

start();
