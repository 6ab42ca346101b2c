// The collector's owner pages at /admin/: sign in with the admin token, then
// the dashboard (the calculator's views of one survey, kept up to date) and
// the inbox (every answer, its follow-up, erasure). One state object made
// here is handed to every module.
import { onThemeChange, setupThemeToggle } from '../../demo/src/theme.js';
import { rerender } from '../../demo/src/calc/render.js';
import { $ } from '../../demo/src/calc/dom.js';
import { createSession, Unauthorized } from './session.js';
import { createDashboard } from './dashboard.js';
import { createInbox } from './inbox.js';

const views = ['dashboard', 'inbox'];

function showView(name) {
  for (const view of views) {
    $(view).hidden = view !== name;
    const link = $(`nav-${view}`);
    if (view === name) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
}

function currentView() {
  const name = location.hash.slice(1);
  return views.includes(name) ? name : 'dashboard';
}

async function start() {
  const session = createSession();
  setupThemeToggle($('theme-toggle'));
  const dashboard = createDashboard(session);
  const inbox = createInbox(session, { onChange: () => dashboard.refresh() });
  onThemeChange(() => rerender(dashboard.app));

  const showSignIn = (message = '') => {
    dashboard.stop();
    for (const view of views) $(view).hidden = true;
    $('views-nav').hidden = true;
    $('sign-out').hidden = true;
    $('sign-in').hidden = false;
    $('sign-in-error').textContent = message;
    const input = $('token-input');
    if (message) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
    input.value = '';
    input.focus();
  };

  // Signed in means the collector answered a guarded read with this token
  // (or guards nothing, on a loopback address without a token).
  const enter = async () => {
    try {
      const surveys = await (await session.api('../api/surveys')).json();
      $('sign-in').hidden = true;
      $('views-nav').hidden = false;
      $('sign-out').hidden = !session.token;
      showView(currentView());
      await Promise.all([dashboard.start(surveys.surveys), inbox.start(surveys.surveys)]);
    } catch (failure) {
      if (!(failure instanceof Unauthorized)) throw failure;
      const refused = Boolean(session.token);
      session.signOut();
      showSignIn(refused ? failure.message : '');
    }
  };

  dashboard.onUnauthorized = inbox.onUnauthorized = (failure) => {
    session.signOut();
    showSignIn(failure.message);
  };
  dashboard.onSurveys = (surveys) => inbox.setSurveys(surveys);

  $('sign-in-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const token = $('token-input').value.trim();
    if (!token) {
      $('sign-in-error').textContent = 'Enter the admin token.';
      $('token-input').setAttribute('aria-invalid', 'true');
      return;
    }
    session.signIn(token);
    await enter();
  });
  $('sign-out').addEventListener('click', () => {
    session.signOut();
    showSignIn();
  });
  window.addEventListener('hashchange', () => {
    if (!$('sign-in').hidden) return;
    showView(currentView());
  });
  await enter();
  document.documentElement.dataset.ready = 'true';
}

start();
