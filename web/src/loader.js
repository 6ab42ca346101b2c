// dist/npskit.js: the part every page view pays for. It reads the options,
// replays calls queued by the stub, has answers left in the queue delivered,
// watches the trigger, and only then fetches the survey UI, its styles and
// one locale. Nothing here may throw into the host page.
import { defaults, readOptions } from './options.js';
import { read, write, memoryStore, queueKey, changeQueue } from './storage.js';
import { armTrigger } from './triggers.js';
import { pickLocale, matchLocale } from './locale.js';
import { loadScript, loadJson, mountShadow } from './load.js';

const version = '0.1.0';
const day = 864e5;
const loadedAt = Date.now();
// The last survey shown on this site, whatever its key (the site-wide cap).
const siteKey = 'npskit:site';
// When this visit began, for minSecondsOnSite; a visit is a browser session.
const visitKey = 'npskit:visit';
const existing = window.NpsKit;

// The same script twice on a page keeps the first copy.
if (!(existing && existing.version)) {
  try {
    install(existing && existing.q);
  } catch (error) {
    console.warn('npskit could not start: ' + error.message);
  }
}

function install(queuedCalls) {
  const script = document.currentScript || document.querySelector('script[src*="npskit.js"]');
  const base = new URL('.', (script && script.src) || location.href).href;
  const options = Object.assign({}, defaults);
  const listeners = {};
  const localeFiles = {};
  const pageScores = [];
  let state = 'idle';
  let survey = null;
  let configured = false;
  let started = false;
  let replaying = true;
  let consented = false;
  let pageViews = 0;
  let disarm = () => {};

  // Until NpsKit.consent(true), a survey that requires consent shows nothing
  // and writes nothing to the device.
  const gated = () => options.consent === 'required' && !consented;
  // Global Privacy Control: payloads go without page and user, and the queue
  // of answers waiting for delivery stays in memory.
  const privacy = () => options.respectGpc && navigator.globalPrivacyControl === true;

  // Errors found while the script tag and the queued calls are read wait
  // until the queued on('error') handlers are in place.
  const early = [];

  function emit(name, detail) {
    if (replaying && name === 'error') return early.push(detail);
    const handlers = (listeners[name] || []).slice();
    if (name === 'error' && !handlers.length) console.warn('npskit: ' + detail.message);
    for (const handler of handlers) {
      try {
        handler(detail);
      } catch (error) {
        if (name !== 'error') fail('listener', error, `a '${name}' listener threw`);
      }
    }
  }

  function fail(code, error, context) {
    const message = (error && error.message) || String(error);
    emit('error', { code, message: context ? `${context}: ${message}` : message, error });
  }

  // Every entry point of the public API: a failure becomes an 'error' event.
  const guard = (name, body) =>
    function () {
      try {
        return body.apply(null, arguments);
      } catch (error) {
        fail('usage', error, 'NpsKit.' + name);
      }
    };

  // Sending lives in npskit-queue.js, fetched only when something waits in
  // the stored queue; `sender` is set once it has loaded.
  const durable = { read, write };
  const volatile = memoryStore();
  const queueStore = () => (privacy() ? volatile : durable);
  const store = {
    read: (key) => queueStore().read(key),
    write: (key, value) => queueStore().write(key, value),
  };
  let sender = null;
  let senderLoading = null;
  const waiting = () => (store.read(queueKey) || []).length > 0;
  const flush = () => {
    if (!waiting() || navigator.onLine === false) return;
    (senderLoading ||= loadScript(base + 'npskit-queue.js').then(
      (module) =>
        (sender = module.createQueue(store, emit, () => ({
          base: options.retryBaseSeconds * 1000,
          max: options.retryMaxSeconds * 1000,
        }))),
    ))
      .then((queue) => queue.flush())
      .catch((error) => {
        senderLoading = null;
        fail('delivery', error, 'answers wait in the queue');
      });
  };
  const flushOnHide = () => sender && sender.flushOnHide();

  const stateKey = () => 'npskit:survey:' + options.survey;
  const surveyState = () => read(stateKey()) || {};
  const saveState = (change) => write(stateKey(), Object.assign(surveyState(), change));

  // Comma-separated path patterns where * stands for any run of characters.
  const matchesPath = (patterns) =>
    patterns.split(',').some((pattern) => {
      const parts = pattern.trim().split('*');
      const escaped = parts.map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
      return parts.join('') !== '' && new RegExp(`^${escaped.join('.*')}$`).test(location.pathname);
    });

  // Targeting, throttling and sampling. The sampling draw is kept, so a
  // visitor is in or out of the sample for good, not anew on every page.
  function eligible() {
    if (options.urlInclude.trim() && !matchesPath(options.urlInclude)) return false;
    if (matchesPath(options.urlExclude)) return false;
    const now = Date.now();
    const site = read(siteKey);
    if (site && site.survey !== options.survey && now - site.shown < options.siteCooldownDays * day)
      return false;
    let saved = surveyState();
    if (saved.seed === undefined) saveState({ seed: Math.random() });
    saved = surveyState();
    if (saved.answered && now - saved.answered < options.resurveyDays * day) return false;
    if (saved.dismissed && now - saved.dismissed < options.dismissCooldownDays * day) return false;
    return saved.seed < options.sampleRate;
  }

  function secondsOnSite() {
    let since = loadedAt;
    try {
      since = Number(sessionStorage.getItem(visitKey)) || since;
      sessionStorage.setItem(visitKey, since);
    } catch {
      // Storage blocked: the visit counts from this page's load.
    }
    return (Date.now() - since) / 1000;
  }

  function configure(input, fromAttributes) {
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new Error(
        `expected an options object such as {survey: "acme-nps"}; got ${JSON.stringify(input)}`,
      );
    }
    const { accepted, problems } = readOptions(input, fromAttributes);
    Object.assign(options, accepted);
    const where = fromAttributes ? 'the npskit.js script tag' : 'NpsKit.init';
    problems.forEach((problem) => fail('config', new Error(problem), where));
    if (options.locale && !matchLocale(options.locale)) {
      fail(
        'config',
        new Error(
          `locale "${options.locale}" has no built-in strings; the page or browser language is used`,
        ),
        where,
      );
    }
  }

  function start() {
    if (gated()) return;
    if (!started) {
      started = true;
      pageViews = (surveyState().views || 0) + 1;
      saveState({ views: pageViews });
    }
    disarm();
    disarm = () => {};
    // Tells the host whether this page view may show the survey at all, e.g.
    // to offer its own feedback link when throttling or sampling say no.
    const allowed = eligible();
    emit('ready', { survey: options.survey, eligible: allowed });
    if (state !== 'idle' || !allowed) return;
    arm();
  }

  function arm() {
    const wait = options.minSecondsOnSite - secondsOnSite();
    if (wait > 0) {
      const timer = setTimeout(() => safely(arm), wait * 1000 + 20);
      disarm = () => clearTimeout(timer);
    } else if (
      options.trigger === 'immediate' ||
      (options.trigger === 'pageviews' && pageViews >= options.pageViews)
    )
      show();
    else disarm = armTrigger(options, show);
  }

  const whenReady = (callback) =>
    document.readyState === 'loading'
      ? document.addEventListener('DOMContentLoaded', callback, { once: true })
      : callback();

  function stringsFor(code) {
    return (localeFiles[code] ||= loadJson(`${base}locales/${code}.json`).catch((error) => {
      delete localeFiles[code];
      if (code === 'en') throw error;
      fail('load', error, `locale ${code}, showing English instead`);
      return stringsFor('en');
    }));
  }

  function findTarget(target, what) {
    const element = typeof target === 'string' ? target && document.querySelector(target) : target;
    if (!element)
      throw new Error(`${what} ${JSON.stringify(target)} matches no element on this page`);
    return element;
  }

  // Reached from triggers, host events and the API alike, so it never throws.
  function show(request) {
    const force = request && request.force;
    if (state === 'loading' || state === 'visible' || gated()) return;
    let mounted;
    const locale = pickLocale(options.locale);
    try {
      if (!force && (!eligible() || secondsOnSite() < options.minSecondsOnSite)) return;
      disarm();
      const parent =
        options.mode === 'inline' ? findTarget(options.target, 'the target') : document.body;
      mounted = mountShadow('npskit-survey', parent, base);
    } catch (error) {
      return fail('config', error, 'the survey could not be shown');
    }
    state = 'loading';
    Promise.all([loadScript(base + 'npskit-ui.js'), stringsFor(locale), mounted.ready])
      .then(([ui, strings]) => {
        if (state !== 'loading') return mounted.host.remove();
        survey = ui.open({
          options: Object.assign({}, options, privacy() && { anonymous: true }),
          strings,
          locale,
          root: mounted.root,
          host: mounted.host,
          record,
          closed,
          fail,
        });
        state = 'visible';
        write(siteKey, { survey: options.survey, shown: Date.now() });
        emit('shown', {
          survey: options.survey,
          metric: options.metric,
          mode: options.mode,
          locale,
        });
      })
      .catch((error) => {
        mounted.host.remove();
        state = 'idle';
        fail('load', error, 'the survey could not be shown');
      });
  }

  function closed(answered) {
    survey = null;
    state = answered ? 'answered' : 'idle';
    emit('hidden', { survey: options.survey });
  }

  const clone = (value) => JSON.parse(JSON.stringify(value));

  // Stored first, sent second: an answer survives the tab closing right now.
  function deliver(body) {
    if (!options.endpoint) return;
    const url = new URL(options.endpoint, location.href).href;
    changeQueue(
      (items) =>
        items.push({
          id: body.id,
          url,
          headers: options.headers || undefined,
          text: options.contentType === 'text' || undefined,
          payload: body,
          due: 0,
        }),
      store,
    )
      .then(flush)
      .catch((error) => fail('delivery', error, 'the answer could not be queued'));
  }

  // The UI hands over the finished npskit.response/1 payload. A companion
  // answer (answer_id) completes an answer already counted for throttling.
  function record(body) {
    const answered = body.type === 'response';
    if (!body.answer_id)
      saveState(
        answered ? { answered: Date.now(), views: 0 } : { dismissed: Date.now(), views: 0 },
      );
    if (answered && !body.metric) pageScores.push(body.score);
    if (answered || options.postDismissals) deliver(body);
    emit(body.type, clone(body));
  }

  // The panel itself lives in npskit-live.js; until that has loaded, calls
  // on the returned handle wait for it.
  function live(element, liveOptions) {
    liveOptions = Object.assign({ source: 'page' }, liveOptions);
    const mounted = mountShadow('npskit-live', findTarget(element, 'the selector'), base);
    const locale = pickLocale(liveOptions.locale || options.locale);
    const panel = Promise.all([
      loadScript(base + 'npskit-live.js'),
      stringsFor(locale),
      mounted.ready,
    ]).then(([module, strings]) =>
      module.mount({
        root: mounted.root,
        host: mounted.host,
        strings,
        locale,
        base,
        options: liveOptions,
        pageScores,
        on: api.on,
        fail,
      }),
    );
    const report = (error) => fail('live', error, 'the live panel');
    panel.catch(report);
    // A failed load is reported once, above; a failing call on the handle here.
    const after = (action) => (argument) => {
      panel
        .then(
          (view) => action(view, argument),
          () => {},
        )
        .catch(report);
    };
    return {
      update: after((view, source) => view.update(source)),
      destroy: after((view) => view.destroy()),
    };
  }

  const api = {
    version,
    init: guard('init', (input) => {
      configure(input, false);
      configured = true;
      if (!replaying) whenReady(safeStart);
    }),
    show: guard('show', (request) => whenReady(() => show(request))),
    hide: guard('hide', () => {
      if (state === 'loading') state = 'idle';
      if (survey) survey.close();
    }),
    on: guard('on', (name, handler) => {
      if (typeof handler !== 'function')
        throw new Error(`the handler for '${name}' is ${typeof handler}; expected a function`);
      (listeners[name] ||= []).push(handler);
      return () => api.off(name, handler);
    }),
    off: guard('off', (name, handler) => {
      listeners[name] = (listeners[name] || []).filter((entry) => entry !== handler);
    }),
    track: guard('track', (name) => {
      if (options.trigger === 'event' && name === options.event && started) show();
    }),
    live: guard('live', live),
    consent: guard('consent', (granted) => {
      consented = granted === true;
      if (consented) {
        if (configured && !replaying) whenReady(safeStart);
      } else {
        disarm();
        api.hide();
      }
    }),
  };
  window.NpsKit = api;

  try {
    if (script) configure(Object.assign({}, script.dataset), true);
    configured ||= !!(script && (script.dataset.endpoint || script.dataset.survey));
    for (const [name, args] of queuedCalls || []) {
      if (api[name]) api[name].apply(null, args);
      else
        fail(
          'config',
          new Error(`NpsKit.${name} is not a function of npskit ${version}`),
          'a queued call',
        );
    }
  } catch (error) {
    fail('internal', error, 'npskit start');
  }
  replaying = false;
  early.forEach((detail) => emit('error', detail));

  flush();
  addEventListener('online', flush);
  addEventListener('pagehide', flushOnHide);
  document.addEventListener('visibilitychange', () => (document.hidden ? flushOnHide() : flush()));
  // An answer or dismissal in another tab closes the survey here too.
  addEventListener('storage', (event) => {
    if (event.key === stateKey() && survey && state === 'visible' && !eligible()) survey.close();
  });
  if (configured) whenReady(safeStart);

  function safely(step) {
    try {
      step();
    } catch (error) {
      fail('config', error, 'npskit start');
    }
  }

  function safeStart() {
    safely(start);
  }
}
