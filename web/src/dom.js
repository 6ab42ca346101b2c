// DOM helpers shared by the lazy chunks. Text only ever goes in through
// textContent, so nothing a visitor or a host option supplies becomes markup.

/** createElement with attributes (false/null/undefined are left out) and children. */
export function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const name in attributes) {
    const value = attributes[name];
    if (value !== false && value != null) element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child != null) element.append(child);
  }
  return element;
}

/** An SVG element; SVG needs its namespace. */
export function svg(tag, attributes, ...children) {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const name in attributes) element.setAttribute(name, attributes[name]);
  children.forEach((child) => element.append(child));
  return element;
}

/** A string from the locale file with {name} placeholders filled in. */
export function translator(strings) {
  return (key, values) =>
    String(strings[key] ?? key).replace(/\{(\w+)\}/g, (match, name) =>
      values && name in values ? values[name] : match,
    );
}

/**
 * Sets custom properties on the shadow host. A constructed stylesheet keeps
 * them out of any style="" attribute (which a strict CSP blocks); browsers
 * without constructable stylesheets get the CSSOM, which CSP allows.
 */
export function hostProperties(root, host) {
  if ('adoptedStyleSheets' in root && 'replaceSync' in CSSStyleSheet.prototype) {
    const sheet = new CSSStyleSheet();
    root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    return (properties) => sheet.replaceSync(`:host{${serialize(properties)}}`);
  }
  return (properties) => {
    for (const name in properties) host.style.setProperty(name, properties[name]);
  };
}

const serialize = (properties) =>
  Object.keys(properties)
    .map((name) => `${name}:${properties[name]}`)
    .join(';');
