// In-page contenders of the sanitiser benchmark. Each turns one HTML string
// into one sanitised (or, for the template floor, re-serialised) HTML string.
// Lectern's sanitiser is the ingest module's `sanitize` (the reader module
// sanitises nothing: it shows what the ingest module sanitised).
import init, { sanitize as lecternSanitize } from '/pkg/ingest.js';
import DOMPurify from '/node_modules/dompurify/dist/purify.es.mjs';

let sets = null;
const contenders = {};

/** What the Sanitizer API config keeps: the elements and attributes Lectern's policy keeps. */
const KEPT_ELEMENTS = [
  'a', 'abbr', 'address', 'article', 'aside', 'audio', 'b', 'bdi', 'bdo', 'blockquote', 'br', 'caption', 'cite',
  'code', 'col', 'colgroup', 'dd', 'del', 'details', 'dfn', 'div', 'dl', 'dt', 'em', 'figcaption', 'figure',
  'footer', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hgroup', 'hr', 'i', 'img', 'ins', 'kbd', 'li',
  'main', 'mark', 'ol', 'p', 'picture', 'pre', 'q', 'rp', 'rt', 'ruby', 's', 'samp', 'section', 'small', 'source',
  'span', 'strong', 'sub', 'summary', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'time', 'tr', 'u',
  'ul', 'var', 'video', 'wbr',
];
const KEPT_ATTRIBUTES = [
  'title', 'lang', 'dir', 'href', 'hreflang', 'src', 'srcset', 'sizes', 'alt', 'width', 'height', 'loading',
  'decoding', 'referrerpolicy', 'media', 'type', 'poster', 'loop', 'muted', 'playsinline', 'cite', 'datetime',
  'colspan', 'rowspan', 'headers', 'scope', 'span', 'start', 'reversed', 'value', 'open', 'controls',
];

/**
 * Loads the contenders and the HTML sets (`{ [setId]: string[] }` at `dataUrl`).
 * Each contender's configuration is made once, here.
 */
export async function setup(dataUrl) {
  await init({ module_or_path: '/pkg/ingest_bg.wasm' });
  sets = await (await fetch(dataUrl)).json();

  contenders.lectern = (html) => lecternSanitize(html);

  DOMPurify.setConfig({ ADD_ATTR: ['referrerpolicy', 'loading'] });
  contenders.dompurify = (html) => DOMPurify.sanitize(html);

  // An element of an inert document: images in it are never fetched.
  const inert = document.implementation.createHTMLDocument('');
  const host = inert.createElement('div');
  const sanitizer = new Sanitizer({ elements: KEPT_ELEMENTS, attributes: KEPT_ATTRIBUTES });
  contenders.sethtml = (html) => {
    host.setHTML(html, { sanitizer });
    return host.innerHTML;
  };

  // The floor for any DOM-based approach: parse into an inert template and serialise.
  const template = document.createElement('template');
  contenders.template = (html) => {
    template.innerHTML = html;
    return template.innerHTML;
  };
  return Object.keys(contenders);
}

/** Checks that each contender keeps an image with its referrer policy (the configs are what they claim). */
export function check() {
  const probe = '<p onclick="x()">a<img src="https://e.com/a.png" referrerpolicy="no-referrer" loading="lazy"><script>x()</script></p>';
  return Object.fromEntries(Object.entries(contenders).map(([name, run]) => [name, run(probe)]));
}

/**
 * Runs one contender over a set `passes` times.
 * @returns {{ ms: number, outChars: number }}
 */
export function run(contender, setId, passes) {
  const sanitize = contenders[contender];
  const items = sets[setId];
  if (!sanitize || !items) throw new Error(`unknown contender '${contender}' or set '${setId}'`);
  let outChars = 0;
  const started = performance.now();
  for (let pass = 0; pass < passes; pass++) {
    for (const html of items) outChars += sanitize(html).length;
  }
  return { ms: performance.now() - started, outChars };
}
