// The dashboard: the calculator's views (headline with interval and band,
// distribution, trend with significant changes, segments, comparisons,
// planner, comment themes, response rate) for one survey of the collector.
// The core in WebAssembly computes every number: first from the counts of
// /api/summary (the headline, at once), then from the answers of
// /api/responses.jsonl streamed through its readers (everything). A poll of
// /api/summary with If-None-Match notices new answers without reading them.
import { createEngine } from '../../demo/src/calc/engine.js';
import { defaults } from '../../demo/src/calc/link.js';
import { createState } from '../../demo/src/calc/state.js';
import { coreOptions } from '../../demo/src/calc/options.js';
import { render, setupSorting, showError } from '../../demo/src/calc/render.js';
import { setupComparison } from '../../demo/src/calc/compare.js';
import { setupPlanner } from '../../demo/src/calc/planner.js';
import { setupExports } from '../../demo/src/calc/exports.js';
import { setupRatings } from '../../demo/src/calc/ratings.js';
import { exportMapping, readerOptions, showEngineMemory } from '../../demo/src/calc/files.js';
import { $, element } from '../../demo/src/calc/dom.js';
import * as format from '../../demo/src/format.js';
import { showOrigins } from './origins.js';
import { Unauthorized } from './session.js';

const pollInterval = 2000;

export function createDashboard(session) {
  // The calculator's state object, with the dashboard's engine and source.
  const app = createState({ ...defaults });
  app.engine.api = createEngine('engine-worker.js');
  app.files.collector = { available: true, token: '' };
  const live = { survey: '', etag: '', timer: 0, running: false, again: false };
  const dashboard = { app, onUnauthorized: () => {}, onSurveys: () => {} };

  const status = (text) => {
    $('live-status').textContent = text;
  };

  const failed = (failure) => {
    if (failure instanceof Unauthorized) dashboard.onUnauthorized(failure);
    else if (failure?.code === 'unauthorized')
      dashboard.onUnauthorized(new Unauthorized(failure.message));
    else showError(app, failure.message);
  };

  const query = (extra = '') =>
    `../api/summary?survey=${encodeURIComponent(live.survey)}&themes=0${extra}`;

  function fillSurveys(surveys) {
    const select = $('survey-select');
    const names = surveys.map((survey) => survey.survey);
    if (!names.includes(live.survey)) live.survey = names[0] ?? '';
    select.replaceChildren(
      ...surveys.map((survey) =>
        element('option', {
          text: `${survey.survey} (${format.answers(survey.answers)})`,
          attributes: { value: survey.survey },
        }),
      ),
    );
    select.value = live.survey;
    $('no-surveys').hidden = names.length > 0;
    $('results').hidden = names.length === 0;
  }

  // The answers of the survey through the core's readers: overall and by
  // segment in one, the trend in another. A segment column that no answer
  // has is left out, as the core refuses a named column that is absent.
  async function readAnswers(ticket) {
    const source = {
      url: `../api/responses.jsonl?survey=${encodeURIComponent(live.survey)}`,
      token: session.token || undefined,
    };
    let mapping = { ...exportMapping };
    for (;;) {
      const readers = [
        readerOptions(app, 'jsonl', mapping, mapping.segment ? 'segment' : 'none'),
        { ...readerOptions(app, 'jsonl', mapping, app.settings.period), themes: 0 },
      ];
      try {
        const result = await app.engine.api.read(source, readers);
        if (ticket !== app.inputs.ticket) return;
        showEngineMemory(app, result.memory);
        const [main, trend] = result.summaries;
        render(app, {
          summary: main,
          segments: mapping.segment ? main : null,
          trend,
          distribution: true,
          localRejections: [],
          label: `Survey ${live.survey}`,
        });
        return;
      } catch (failure) {
        const absent = ['segment', 'comment'].find(
          (role) =>
            mapping[role] &&
            failure.code === 'missing_column' &&
            failure.message.includes(`(the ${role} column)`),
        );
        if (!absent) throw failure;
        mapping = { ...mapping, [absent]: '' };
      }
    }
  }

  // A changed summary: the headline from its counts at once, then every view
  // from the answers.
  async function show(counts) {
    const ticket = ++app.inputs.ticket;
    const headline = await app.engine.api.summarize(
      { histogram: counts.histogram },
      coreOptions(app),
    );
    if (ticket !== app.inputs.ticket) return;
    if (!app.render.view || app.render.view.label !== `Survey ${live.survey}`) {
      render(app, {
        summary: headline,
        segments: null,
        trend: null,
        distribution: true,
        localRejections: [],
        label: `Survey ${live.survey}`,
      });
    }
    document.documentElement.dataset.headline = 'true';
    status('Reading the answers…');
    await readAnswers(ticket);
    if (ticket !== app.inputs.ticket) return;
    await showOrigins(live.survey, async (path) => (await session.api(path)).json());
    if (ticket !== app.inputs.ticket) return;
    status(`Up to date · ${format.answers(counts.n)} · checks for new answers every few seconds`);
    document.documentElement.dataset.rendered = String(ticket);
  }

  async function poll() {
    if (!live.survey) return;
    if (live.running) {
      live.again = true;
      return;
    }
    live.running = true;
    try {
      const response = await session.api(query(), {
        headers: live.etag ? { 'If-None-Match': live.etag } : {},
      });
      if (response.status !== 304) {
        live.etag = response.headers.get('ETag') ?? '';
        await show(await response.json());
      }
    } catch (failure) {
      failed(failure);
    } finally {
      live.running = false;
    }
    if (live.again) {
      live.again = false;
      await poll();
    }
  }

  async function refreshSurveys() {
    const surveys = (await (await session.api('../api/surveys')).json()).surveys;
    const before = live.survey;
    fillSurveys(surveys);
    dashboard.onSurveys(surveys);
    if (before !== live.survey) live.etag = '';
  }

  const schedule = () => {
    clearTimeout(live.timer);
    live.timer = setTimeout(async () => {
      try {
        if (!live.survey) await refreshSurveys();
        await poll();
      } catch (failure) {
        failed(failure);
      }
      if (live.timer) schedule();
    }, pollInterval);
  };

  let setUp = false;
  dashboard.start = async (surveys) => {
    if (!setUp) {
      setUp = true;
      setupSorting(app);
      setupComparison(app);
      setupPlanner(app);
      setupExports(app);
      setupRatings(app);
      $('period').value = app.settings.period;
      $('period').addEventListener('change', () => {
        app.settings.period = $('period').value;
        dashboard.refresh();
      });
      $('survey-select').addEventListener('change', () => {
        live.survey = $('survey-select').value;
        dashboard.refresh();
      });
      try {
        const [{ engine }, coreDefaults] = await Promise.all([
          app.engine.api.load(),
          app.engine.api.defaults(),
        ]);
        app.engine.kind = engine;
        app.engine.defaults = coreDefaults;
      } catch (failure) {
        showError(app, failure.message);
        return;
      }
    }
    fillSurveys(surveys);
    live.etag = '';
    await poll();
    live.timer = 1;
    schedule();
  };
  dashboard.stop = () => {
    clearTimeout(live.timer);
    live.timer = 0;
  };
  /** Shows the current survey again from the collector (an answer changed). */
  dashboard.refresh = async () => {
    live.etag = '';
    try {
      await refreshSurveys();
      await poll();
    } catch (failure) {
      failed(failure);
    }
  };
  return dashboard;
}
