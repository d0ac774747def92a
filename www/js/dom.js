// Building DOM with text only: no HTML strings outside html-sink.js.

/**
 * Creates an element with attributes and children (strings become text nodes).
 * @param {string} tag
 * @param {Record<string, string|boolean|number|undefined|null>} [attrs]
 * @param {...(Node|string|null|undefined|false)} children
 */
export function h(tag, attrs = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false || value === null) continue;
    element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

/**
 * Text with highlighted parts: `ranges` are [start, end) code point offsets;
 * each becomes a <mark> element, the rest text nodes.
 * @param {string} text
 * @param {[number, number][]} ranges
 * @returns {(Node)[]}
 */
export function highlighted(text, ranges = []) {
  const points = Array.from(text);
  const nodes = [];
  let at = 0;
  for (const [start, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    const s = Math.max(start, at);
    const e = Math.min(end, points.length);
    if (e <= s) continue;
    if (s > at) nodes.push(document.createTextNode(points.slice(at, s).join('')));
    const mark = document.createElement('mark');
    mark.textContent = points.slice(s, e).join('');
    nodes.push(mark);
    at = e;
  }
  if (at < points.length) nodes.push(document.createTextNode(points.slice(at).join('')));
  return nodes;
}

/** Runs `fn` at most once per `ms`, the last call winning. */
export function debounce(fn, ms) {
  let timer = 0;
  const debounced = (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
  debounced.flush = (...args) => {
    clearTimeout(timer);
    fn(...args);
  };
  debounced.cancel = () => clearTimeout(timer);
  return debounced;
}

/** Saves `text` as a file named `name` (the browser's download). */
export function downloadText(name, type, text) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = h('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
