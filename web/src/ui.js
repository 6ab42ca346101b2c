// dist/npskit-ui.js: the survey, rendered into the shadow root the loader
// prepared (its stylesheet is already loaded). One form: the scale (NPS 0-10,
// or a standalone CSAT 1-5 or CES 1-7), then the follow-up for the chosen
// score; for NPS optionally a companion CSAT or CES step that can be skipped;
// then a thank-you that closes itself.
import { h, svg, translator, hostProperties } from './dom.js';
import { rightToLeft } from './locale.js';

// The three NPS categories by score: detractors 0-6, passives 7-8,
// promoters 9-10, exactly npskit::classify. The survey only needs this to
// pick its follow-up question and label the answer; fetching the scoring
// core (some 95 KB gzip) for it would multiply what a visitor downloads.
// The browser tests check this table against the core for every score.
const categoryOf = (score) => (score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor');

// The lowest and highest answer of each metric's scale.
const scales = { nps: [0, 10], csat: [1, 5], ces: [1, 7] };

// Loaded as a chunk, the survey hands `open` to the loader through its
// <script> element; the hosted survey page bundles it and imports it.
if (document.currentScript) document.currentScript.npskit = { open };

function uuid() {
  if (crypto.randomUUID) return crypto.randomUUID();
  // randomUUID exists only in secure contexts; plain-http pages get the
  // same version 4 layout from getRandomValues.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 15) | 64;
  bytes[8] = (bytes[8] & 63) | 128;
  const hex = Array.from(bytes, (byte) => (byte + 256).toString(16).slice(1)).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function open(kit) {
  const { options, locale, root, host } = kit;
  const t = translator(kit.strings);
  const mode = options.mode;
  // The hosted survey page is the survey: nothing to close it to.
  const closable = options.closable !== false;
  const modal = mode === 'modal';
  const popover = (mode === 'slide' || mode === 'bar') && 'showPopover' in HTMLElement.prototype;
  const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)');
  const previousFocus = document.activeElement;
  let score = null;
  // A score counts as an answer only once the visitor confirms it: a click,
  // Space or Enter on it, or Send. Moving through the scale with the arrow
  // keys (which checks each radio on the way) only previews it.
  let confirmed = false;
  let arrowing = false;
  let answered = false;
  let closing = false;
  let thanksTimer = 0;

  host.setAttribute('data-theme', options.theme);
  host.setAttribute('data-mode', mode);
  if (mode === 'slide') host.setAttribute('data-position', options.position);

  // The question or statement of a metric; data-question replaces that of
  // the survey's own metric, not the companion's.
  function questionOf(metric) {
    if (metric === 'csat')
      return options.product
        ? t('csatQuestion', { product: options.product })
        : t('csatQuestionGeneric');
    if (metric === 'ces')
      return t('cesStatement', {
        product: options.product || t('cesSubject'),
        task: options.effortTask || t('cesTask'),
      });
    return options.product ? t('question', { product: options.product }) : t('questionGeneric');
  }

  // A labelled radio group from the scale's lowest to highest answer, with
  // the two end labels; `prefix` names the radios, `ids` the question and the
  // end labels, so two groups in one survey stay apart.
  function scale(metric, prefix, legend, ids) {
    const [min, max] = scales[metric];
    const radios = [];
    const values = h('div', { class: 'scores' });
    for (let value = min; value <= max; value++) {
      const id = `${prefix}-${value}`;
      const radio = h('input', {
        type: 'radio',
        name: prefix,
        id,
        value,
        class: 'visually-hidden',
        'aria-label':
          metric === 'nps'
            ? t('scoreLabel', { score: value })
            : t('ratingLabel', { score: value, max }),
        'aria-describedby': value === min ? ids[1] : value === max ? ids[2] : null,
      });
      radios.push(radio);
      values.append(radio, h('label', { for: id, class: 'score', 'aria-hidden': 'true' }, value));
    }
    const ends = metric === 'nps' ? ['low', 'high'] : [metric + 'Low', metric + 'High'];
    // The panel is named by the first question; a legend would make the
    // group carry it too and screen readers would read it twice. The
    // companion group takes focus when its step opens, so it is named there.
    const companion = prefix !== 'score';
    const group = h(
      'div',
      {
        class: 'scale',
        tabindex: companion ? -1 : null,
        role: companion ? 'group' : null,
        'aria-labelledby': companion ? ids[0] : null,
      },
      h('p', { id: ids[0], class: 'question' }, legend),
      values,
      h(
        'div',
        { class: 'ends' },
        h('span', { id: ids[1] }, t(ends[0])),
        h('span', { id: ids[2] }, t(ends[1])),
      ),
    );
    return { group, radios, values };
  }

  const metric = options.metric;
  const main = scale(metric, 'score', options.question || questionOf(metric), [
    'question',
    'end-low',
    'end-high',
  ]);
  const radios = main.radios;
  const scores = main.values;

  const followUpLabel = h('label', {
    for: 'comment',
    id: 'follow-up-label',
    class: 'follow-up-label',
  });
  const comment = h('textarea', {
    id: 'comment',
    name: 'comment',
    rows: 3,
    maxlength: 2000,
    placeholder: t('placeholder'),
  });
  const followUp = h(
    'div',
    { class: 'follow-up', hidden: true },
    followUpLabel,
    comment,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'submit' }, t('submit'))),
  );
  const form = h('form', { class: 'form', novalidate: true }, main.group, followUp);
  // The companion step: asked once the NPS answer has gone out, so leaving
  // here loses nothing already given.
  const companionMetric = metric === 'nps' && options.companion;
  const second =
    companionMetric &&
    scale(companionMetric, 'companion', questionOf(companionMetric), [
      'companion-question',
      'companion-low',
      'companion-high',
    ]);
  const skip = h('button', { type: 'button', class: 'skip' }, t('skip'));
  const companion =
    second &&
    h(
      'form',
      { class: 'form companion', novalidate: true, hidden: true },
      second.group,
      h(
        'div',
        { class: 'actions' },
        skip,
        h('button', { type: 'submit', class: 'submit' }, t('submit')),
      ),
    );
  const thanks = h(
    'div',
    { class: 'thanks', hidden: true, tabindex: -1, role: 'status' },
    svg(
      'svg',
      { class: 'thanks-icon', viewBox: '0 0 24 24', 'aria-hidden': 'true', focusable: 'false' },
      svg('circle', { cx: 12, cy: 12, r: 10.5 }),
      svg('path', { d: 'M7.5 12.5l3 3 6-6.5' }),
    ),
    h('p', { class: 'thanks-title' }, t('thanks')),
    h('p', { class: 'thanks-detail' }, t('thanksDetail')),
  );
  const closeButton = closable
    ? h(
        'button',
        { type: 'button', class: 'close', 'aria-label': t('close') },
        svg(
          'svg',
          { viewBox: '0 0 16 16', 'aria-hidden': 'true', focusable: 'false' },
          svg('path', { d: 'M3.5 3.5l9 9m0-9l-9 9' }),
        ),
      )
    : null;
  const body = h('div', { class: 'body' }, form, companion, thanks);
  const panel = h(
    modal ? 'dialog' : mode === 'inline' ? 'section' : 'div',
    {
      class: 'panel',
      lang: locale,
      dir: rightToLeft(locale) ? 'rtl' : 'ltr',
      tabindex: -1,
      'aria-labelledby': 'question',
      role: modal || mode === 'inline' ? null : 'dialog',
      popover: popover ? 'manual' : null,
    },
    body,
    closeButton,
  );
  root.append(panel);

  const setProperties = hostProperties(root, host);
  const viewport = window.visualViewport;
  // Keep the form above the on-screen keyboard: phones shrink the visual
  // viewport, not the layout one that fixed positioning is relative to.
  function fitViewport() {
    if (!viewport) return;
    const zoomed = viewport.scale > 1.01;
    const covered = zoomed ? 0 : Math.max(0, innerHeight - viewport.height - viewport.offsetTop);
    setProperties({
      '--npskit-keyboard': covered + 'px',
      '--npskit-viewport-height': (zoomed ? innerHeight : viewport.height) + 'px',
    });
    const focused = root.activeElement;
    if (covered && focused && followUp.contains(focused))
      followUp.lastChild.scrollIntoView({ block: 'nearest' });
  }
  fitViewport();
  viewport?.addEventListener('resize', fitViewport);
  viewport?.addEventListener('scroll', fitViewport);

  if (modal) panel.showModal();
  else if (popover) panel.showPopover();
  // A card that pops up while the visitor is typing in the page must not
  // take the keystrokes; the modal takes focus always, it owns the page.
  const typing =
    previousFocus && previousFocus.matches('input, textarea, select, [contenteditable]');
  if (modal || (options.autoFocus && mode !== 'inline' && !typing)) {
    panel.focus({ preventScroll: mode !== 'modal' });
  }
  // An npskit.response/1 payload, fields in the documented order.
  function payload(type, fields) {
    const body = Object.assign(
      { schema: 'npskit.response/1', type, id: uuid(), survey: options.survey },
      fields,
      {
        submitted_at: new Date().toISOString(),
        locale,
      },
    );
    if (!options.anonymous) {
      body.page = location.origin + location.pathname;
      if (options.user) body.user = options.user;
    }
    if (options.properties) body.properties = options.properties;
    return body;
  }

  let answerId = '';
  function respond(comment) {
    const body = payload(
      'response',
      metric === 'nps'
        ? { score, category: categoryOf(score), comment }
        : { metric, score, comment },
    );
    answerId = body.id;
    kit.record(body);
  }

  const followUpText = (category) => {
    if (metric !== 'nps') return t('followUp');
    const key = 'followUp' + category[0].toUpperCase() + category.slice(1);
    return options[key] || t(key);
  };

  form.addEventListener('change', (event) => {
    if (event.target.name !== 'score') return;
    score = Number(event.target.value);
    confirmed = !arrowing;
    followUpLabel.textContent = followUpText(categoryOf(score));
    followUp.hidden = false;
  });
  scores.addEventListener('keydown', (event) => {
    if (/^(Arrow|Home$|End$)/.test(event.key)) arrowing = true;
    else if ((event.key === 'Enter' || event.key === ' ') && event.target.name === 'score') {
      // Space or Enter confirms the focused score (Enter without sending the
      // form); a radio already checked by the arrows gets no click from Space.
      event.preventDefault();
      if (!event.target.checked) {
        event.target.checked = true;
        event.target.dispatchEvent(new Event('change', { bubbles: true }));
      }
      confirmed = true;
    }
  });
  scores.addEventListener('keyup', () => (arrowing = false));
  scores.addEventListener('click', (event) => {
    if (event.target.name === 'score' && !arrowing) confirmed = true;
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (score === null || answered) return;
    answered = true;
    respond(comment.value.trim());
    form.hidden = true;
    if (companion) {
      companion.hidden = false;
      second.group.focus({ preventScroll: true });
    } else thank();
  });

  function thank() {
    if (companion) companion.hidden = true;
    thanks.hidden = false;
    thanks.focus({ preventScroll: true });
    if (options.thankYouSeconds > 0)
      thanksTimer = setTimeout(close, options.thankYouSeconds * 1000);
  }

  if (companion) {
    companion.addEventListener('submit', (event) => {
      event.preventDefault();
      const chosen = second.radios.find((radio) => radio.checked);
      if (!chosen) return;
      kit.record(
        payload('response', {
          metric: companionMetric,
          score: Number(chosen.value),
          answer_id: answerId,
        }),
      );
      thank();
    });
    // Enter on a focused radio sends that rating, not an unchosen one.
    second.values.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && event.target.name === 'companion') event.target.checked = true;
    });
    skip.addEventListener('click', thank);
  }

  // Closing by the visitor: a confirmed score is an answer (sent without the
  // unsent comment); closing before confirming one is a dismissal.
  function closeByVisitor() {
    if (closing) return;
    if (!answered && score !== null && confirmed) {
      answered = true;
      respond('');
    } else if (!answered) {
      kit.record(payload('dismissal', metric === 'nps' ? {} : { metric }));
    }
    close();
  }

  function close() {
    if (closing) return;
    closing = true;
    clearTimeout(thanksTimer);
    viewport?.removeEventListener('resize', fitViewport);
    viewport?.removeEventListener('scroll', fitViewport);
    const focusWasInside = [host, document.body, null].includes(document.activeElement);
    panel.classList.add('is-closing');
    const animations = reducedMotion.matches ? [] : panel.getAnimations({ subtree: true });
    Promise.all(animations.map((animation) => animation.finished))
      .catch(() => {})
      .then(() => {
        if (modal && panel.open) panel.close();
        host.remove();
        if (
          focusWasInside &&
          previousFocus &&
          previousFocus !== document.body &&
          previousFocus.isConnected
        ) {
          previousFocus.focus({ preventScroll: true });
        }
        kit.closed(answered);
      });
  }

  if (closeButton) closeButton.addEventListener('click', closeByVisitor);
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && closable) {
      event.preventDefault();
      closeByVisitor();
    } else if (event.key === 'Tab' && modal) {
      trapFocus(event);
    }
  });
  if (modal) {
    // Escape and the Android back gesture arrive as 'cancel' on a modal dialog.
    panel.addEventListener('cancel', (event) => {
      event.preventDefault();
      closeByVisitor();
    });
    // A click on the dialog box itself (not its content) is on the backdrop.
    panel.addEventListener('click', (event) => {
      if (event.target === panel) closeByVisitor();
    });
  }

  // The native modal dialog makes the page inert, but Tab can still leave
  // for the browser's own toolbar; keep it cycling inside the survey.
  function trapFocus(event) {
    const group = form.hidden ? (companion && !companion.hidden ? second.radios : []) : radios;
    const checked = group.find((radio) => radio.checked) || group[0];
    const stops = [checked, ...panel.querySelectorAll('textarea, button')].filter(
      (element) => element && element.getClientRects().length,
    );
    const first = stops[0];
    const last = stops[stops.length - 1];
    const active = root.activeElement;
    const onFirst =
      active === first ||
      (first === checked && group.includes(active)) ||
      (second && active === second.group) ||
      active === panel ||
      active === thanks;
    if (event.shiftKey && onFirst) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && active === last) {
      event.preventDefault();
      first.focus();
    }
  }

  return { close };
}
