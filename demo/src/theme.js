// Light, dark or automatic (the system's choice), remembered across visits.
// The choice lives on <html data-theme>; the stylesheet does the rest.

const storageKey = 'npskit.demo.theme';
const order = ['auto', 'light', 'dark'];
const labels = { auto: 'Theme: automatic', light: 'Theme: light', dark: 'Theme: dark' };
const listeners = new Set();
const systemDark = matchMedia('(prefers-color-scheme: dark)');

function stored() {
  try {
    const value = localStorage.getItem(storageKey);
    return order.includes(value) ? value : 'auto';
  } catch {
    return 'auto';
  }
}

export function currentTheme() {
  const choice = document.documentElement.dataset.theme || 'auto';
  if (choice === 'auto') return systemDark.matches ? 'dark' : 'light';
  return choice;
}

export function onThemeChange(listener) {
  listeners.add(listener);
}

function apply(choice, button) {
  if (choice === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = choice;
  if (button) {
    button.querySelector('.theme-toggle-text').textContent = labels[choice];
    button.dataset.choice = choice;
    button.setAttribute('aria-label', `${labels[choice]}. Change theme`);
  }
  for (const listener of listeners) listener(currentTheme());
}

export function setupThemeToggle(button) {
  let choice = stored();
  apply(choice, button);
  button?.addEventListener('click', () => {
    choice = order[(order.indexOf(choice) + 1) % order.length];
    try {
      localStorage.setItem(storageKey, choice);
    } catch {
      // Not remembered when storage is unavailable; the page still switches.
    }
    apply(choice, button);
  });
  systemDark.addEventListener('change', () => apply(choice, button));
}
