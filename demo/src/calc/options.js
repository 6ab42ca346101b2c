// The options card: interval method, confidence level, trend period, how
// dates are read (time zone, day or month first) and the benchmark bands.
// The core validates every option; its message is shown beside the field.
import { bandLabel } from '../format.js';
import { $, debounce, element, markInvalid } from './dom.js';
import { writeLink } from './link.js';

// The core's defaults, once the engine has loaded them.
const defaultBands = (app) => app.engine.defaults?.bands ?? [];

/** The interval method in use: the one chosen, else the core's default. */
export const methodOf = (app) => app.settings.method || app.engine.defaults?.method || '';

/** The bands on screen, as [{name, lower}]: the core's defaults until edited. */
export function bandsOf(app) {
  const text = app.settings.bands;
  if (!text) return defaultBands(app).map((band) => ({ ...band }));
  return text.split(',').map((entry) => {
    const at = entry.lastIndexOf(':');
    return { name: decodeURIComponent(entry.slice(0, at)), lower: Number(entry.slice(at + 1)) };
  });
}

function bandsToLink(app, bands) {
  const defaults = defaultBands(app);
  const same =
    bands.length === defaults.length &&
    bands.every((band, i) => band.name === defaults[i].name && band.lower === defaults[i].lower);
  return same
    ? ''
    : bands.map((band) => `${encodeURIComponent(band.name)}:${band.lower}`).join(',');
}

/** The statistics options every call of the core takes. */
export function coreOptions(app) {
  const options = { confidence: Number(app.settings.confidence) };
  if (app.settings.method) options.method = app.settings.method;
  if (app.settings.bands) options.bands = bandsOf(app);
  return options;
}

/** The options of a file reader that concern dates. */
export function dateOptions(app) {
  const options = {};
  if (app.settings.utcOffset) options.utcOffset = app.settings.utcOffset;
  if (app.settings.dateOrder) options.dateOrder = app.settings.dateOrder;
  return options;
}

/** Whether a core error is about the bands, so it is shown in their editor. */
export const isBandsError = (failure) => /\bbands\b/.test(failure?.message ?? '');

function renderBandEditor(app) {
  const bands = bandsOf(app);
  $('band-rows').replaceChildren(
    ...bands.map((band, index) => {
      const name = element('input', {
        attributes: {
          type: 'text',
          value: bandLabel(band.name),
          'aria-label': `Band ${index + 1} name`,
          'data-band': index,
          'data-part': 'name',
        },
      });
      const lower = element('input', {
        attributes: {
          type: 'number',
          step: 'any',
          min: '-100',
          max: '100',
          value: String(band.lower),
          'aria-label': `Band ${index + 1} lower bound`,
          'data-band': index,
          'data-part': 'lower',
        },
      });
      if (index === 0) lower.readOnly = true;
      const remove = element('button', {
        className: 'icon-button',
        text: '×',
        attributes: {
          type: 'button',
          'aria-label': `Remove band ${index + 1} (${bandLabel(band.name)})`,
          'data-remove': index,
        },
      });
      remove.disabled = bands.length <= 1 || index === 0;
      return element('div', { className: 'band-row' }, [name, lower, remove]);
    }),
  );
}

// The editor shows names as people say them ("Very good"); a label that is
// one of the core's own names goes back as that name ("very-good"), so the
// default bands stay out of the link.
function bandsFromEditor(app) {
  const known = new Map(defaultBands(app).map((band) => [bandLabel(band.name), band.name]));
  return [...$('band-rows').querySelectorAll('.band-row')].map((row) => {
    const typed = row.querySelector('[data-part="name"]').value.trim();
    return {
      name: known.get(typed) ?? typed,
      lower: Number(row.querySelector('[data-part="lower"]').value),
    };
  });
}

/** Shows the core's defaults: its interval method and its benchmark bands. */
export function showDefaults(app) {
  const { method } = app.engine.defaults;
  for (const option of $('method').options) {
    const name = option.textContent.replace(/ \(default\)$/, '');
    option.textContent = option.value === method ? `${name} (default)` : name;
  }
  if (!app.settings.method) $('method').value = method;
  renderBandEditor(app);
}

/** `recompute()` runs whenever an option changes. */
export function setupOptions(app, recompute) {
  const { settings } = app;
  const recomputeSoon = debounce(recompute, 150);
  if (settings.method) $('method').value = settings.method;
  $('confidence').value = String(Number((Number(settings.confidence) * 100).toPrecision(6)));
  $('period').value = settings.period;
  $('min-group-size').value = settings.minGroupSize;
  $('min-group-size').addEventListener('input', () => {
    const value = Number($('min-group-size').value);
    const valid = Number.isSafeInteger(value) && value >= 0;
    markInvalid($('min-group-size'), !valid);
    if (!valid) return;
    settings.minGroupSize = String(value);
    recomputeSoon();
  });
  $('utc-offset').value = settings.utcOffset;
  $('date-order').value = settings.dateOrder;
  $('method').addEventListener('change', () => {
    // The core's default is left out of the link, so a link follows it.
    const chosen = $('method').value;
    settings.method = chosen === app.engine.defaults?.method ? '' : chosen;
    recompute();
  });
  for (const [id, key] of [
    ['period', 'period'],
    ['date-order', 'dateOrder'],
  ]) {
    $(id).addEventListener('change', () => {
      settings[key] = $(id).value;
      recompute();
    });
  }
  $('utc-offset').addEventListener('input', () => {
    const value = $('utc-offset').value.trim();
    // The core checks the offset; the field only waits for a complete one.
    if (value !== '' && !/^[+-]\d\d:\d\d$/.test(value)) {
      markInvalid($('utc-offset'), true);
      $('utc-offset-error').textContent =
        `UTC offset: expected ±HH:MM such as +02:00 or -05:00, or nothing for UTC; got “${value}”.`;
      return;
    }
    markInvalid($('utc-offset'), false);
    $('utc-offset-error').textContent = '';
    settings.utcOffset = value;
    recomputeSoon();
  });
  $('confidence').addEventListener('input', () => {
    const text = $('confidence').value.trim();
    const percent = Number(text);
    const valid = text !== '' && percent > 0 && percent < 100;
    markInvalid($('confidence'), !valid);
    $('confidence-error').textContent = valid
      ? ''
      : `Confidence level: expected a percentage between 0 and 100, got “${$('confidence').value}”.`;
    if (!valid) return;
    settings.confidence = String(Number((percent / 100).toPrecision(8)));
    recomputeSoon();
  });
  renderBandEditor(app);
  $('band-rows').addEventListener('input', () => {
    settings.bands = bandsToLink(app, bandsFromEditor(app));
    recomputeSoon();
  });
  $('band-rows').addEventListener('click', (event) => {
    const index = event.target.closest('[data-remove]')?.dataset.remove;
    if (index === undefined) return;
    const bands = bandsFromEditor(app);
    bands.splice(Number(index), 1);
    settings.bands = bandsToLink(app, bands);
    renderBandEditor(app);
    recompute();
  });
  $('band-add').addEventListener('click', () => {
    const bands = bandsFromEditor(app);
    const last = bands[bands.length - 1];
    bands.push({
      name: `band ${bands.length + 1}`,
      lower: Math.min(100, Math.round(((last?.lower ?? -100) + 100) / 2 + 50)),
    });
    settings.bands = bandsToLink(app, bands);
    renderBandEditor(app);
    recompute();
  });
  $('band-reset').addEventListener('click', () => {
    settings.bands = '';
    renderBandEditor(app);
    recompute();
  });
  writeLink(settings);
}
