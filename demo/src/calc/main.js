// The calculator page: gathers the input (counts, histogram, pasted scores, a
// file streamed through the core's readers in a worker, or the collector's
// answers), asks the core for every statistic, and lays out the results as
// text, tables and charts. The page itself never computes a score. Every
// module works on the one state object made here.
import { onThemeChange, setupThemeToggle } from '../theme.js';
import { createEngine } from './engine.js';
import { $ } from './dom.js';
import { defaults } from './link.js';
import { createState } from './state.js';
import { setupOptions, showDefaults } from './options.js';
import { colorHistogram, recompute, selectInput, setupInputs, setupTabs } from './inputs.js';
import { detectCollector, setupFileInputs, showEngineMemory } from './files.js';
import { rerender, setupSorting, showError } from './render.js';
import { setupComparison } from './compare.js';
import { setupPlanner } from './planner.js';
import { setupExports } from './exports.js';
import { setupRatings } from './ratings.js';

async function start() {
  const app = createState();
  app.engine.api = createEngine();
  const { settings } = app;
  const run = () => recompute(app);
  setupThemeToggle($('theme-toggle'));
  setupTabs(app);
  setupInputs(app);
  setupOptions(app, run);
  setupFileInputs(app);
  setupSorting(app);
  setupComparison(app);
  setupPlanner(app);
  setupExports(app);
  setupRatings(app);
  onThemeChange(() => rerender(app));
  const collector = await detectCollector(app);
  if (settings.input === 'collector' && !collector) settings.input = defaults.input;
  selectInput(
    settings.input === 'sample' ? 'file' : settings.input === 'file' ? 'counts' : settings.input,
  );
  if (settings.input === 'file') settings.input = 'counts';
  try {
    const [{ engine, simd }, defaults] = await Promise.all([
      app.engine.api.load(),
      app.engine.api.defaults(),
    ]);
    app.engine.kind = engine;
    app.engine.simd = simd;
    app.engine.defaults = defaults;
    colorHistogram(defaults.categories);
    showDefaults(app);
    showEngineMemory(app, 0);
  } catch (failure) {
    showError(app, failure.message);
  }
  await recompute(app);
  document.documentElement.dataset.ready = 'true';
}

start();
