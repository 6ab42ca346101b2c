// dist/npskit-ui.js: the survey, rendered into the shadow root the loader
// prepared (its stylesheet is already loaded). One form: the 0-10 scale, then
// the follow-up for the chosen category, then a thank-you that closes itself.
import { h, svg, translator, hostProperties } from './dom.js';
import { rightToLeft } from './locale.js';

// The three NPS categories by score: detractors 0-6, passives 7-8,
// promoters 9-10, exactly npskit::classify. The survey only needs this to
// pick its follow-up question and label the answer; fetching the scoring
// core (some 95 KB gzip) for it would multiply what a visitor downloads.
// The browser tests check this table against the core for every score.
const categoryOf = (score) => (score >= 9 ? 'promoter' : score >= 7 ? 'passive' : 'detractor');

document.currentScript.npskit = { open };

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

function open(kit) {
  const { options, locale, root, host } = kit;
  const t = translator(kit.strings);
  const mode = options.mode;
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

  const question =
    options.question ||
    (options.product ? t('question', { product: options.product }) : t('questionGeneric'));
  const radios = [];
  const scores = h('div', { class: 'scores' });
  for (let value = 0; value <= 10; value++) {
    const radio = h('input', {
      type: 'radio',
      name: 'score',
      id: 'score-' + value,
      value,
      class: 'visually-hidden',
      'aria-label': t('scoreLabel', { score: value }),
      'aria-describedby': value === 0 ? 'end-low' : value === 10 ? 'end-high' : null,
    });
    radios.push(radio);
    scores.append(
      radio,
      h('label', { for: 'score-' + value, class: 'score', 'aria-hidden': 'true' }, String(value)),
    );
  }

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
  const form = h(
    'form',
    { class: 'form', novalidate: true },
    // The panel is named by the question; a legend would make the group
    // carry it too and screen readers would read it twice.
    h(
      'div',
      { class: 'scale' },
      h('p', { id: 'question', class: 'question' }, question),
      scores,
      h(
        'div',
        { class: 'ends' },
        h('span', { id: 'end-low' }, t('low')),
        h('span', { id: 'end-high' }, t('high')),
      ),
    ),
    followUp,
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
  const closeButton = h(
    'button',
    { type: 'button', class: 'close', 'aria-label': t('close') },
    svg(
      'svg',
      { viewBox: '0 0 16 16', 'aria-hidden': 'true', focusable: 'false' },
      svg('path', { d: 'M3.5 3.5l9 9m0-9l-9 9' }),
    ),
  );
  const body = h('div', { class: 'body' }, form, thanks);
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

  const respond = (comment) =>
    kit.record(payload('response', { score, category: categoryOf(score), comment }));

  const followUpText = (category) => {
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
    thanks.hidden = false;
    thanks.focus({ preventScroll: true });
    if (options.thankYouSeconds > 0)
      thanksTimer = setTimeout(close, options.thankYouSeconds * 1000);
  });

  // Closing by the visitor: a confirmed score is an answer (sent without the
  // unsent comment); closing before confirming one is a dismissal.
  function closeByVisitor() {
    if (closing) return;
    if (!answered && score !== null && confirmed) {
      answered = true;
      respond('');
    } else if (!answered) {
      kit.record(payload('dismissal', {}));
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

  closeButton.addEventListener('click', closeByVisitor);
  panel.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') {
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
    const checked = radios.find((radio) => radio.checked) || radios[0];
    const stops = [
      form.hidden ? null : checked,
      ...panel.querySelectorAll('textarea, button'),
    ].filter((element) => element && element.getClientRects().length);
    const first = stops[0];
    const last = stops[stops.length - 1];
    const active = root.activeElement;
    const onFirst =
      active === first ||
      (first === checked && radios.includes(active)) ||
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
