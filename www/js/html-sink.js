// The one place article HTML enters the DOM. Article HTML was sanitised by
// Lectern's sanitiser when it was read (by `lectern index` or `lectern serve`,
// or by the ingest module in this browser); here it is checked again, by
// the browser, before anything of it is shown:
//
// - where the browser has the HTML Sanitizer API (`Element.setHTML`), with the
//   sanitiser's own policy (the reader module's `sanitizerConfig()`): the
//   browser keeps what the policy keeps and nothing that can run;
// - elsewhere, by the sanitiser itself, in the ingest worker (fetched only
//   then), through this module's Trusted Types policy ("lectern-html"), which
//   accepts only what that sanitiser returned.
//
// Either way the HTML is built in an inert document, where every image is set
// to send no Referer (a reader should not tell image hosts what it reads, and
// many hosts refuse hotlinked images that carry one), and only then moved into
// the page, so no request leaves with another policy.
import { loadReader, sanitizerConfig } from './reader.js';
import { sanitizeHtml } from './ingest.js';

/** The Trusted Types policy's name: a host page's CSP must list it in `trusted-types`. */
export const POLICY_NAME = 'lectern-html';

/** True where the browser can check HTML itself (the Sanitizer API). */
const NATIVE = typeof Element !== 'undefined' && typeof Element.prototype.setHTML === 'function';

let sanitizer = null;
let policy = null;
/** Strings the sanitiser returned and the policy may vouch for (each once). */
const vouched = new Set();

function htmlPolicy() {
  if (policy) return policy;
  const createHTML = (html) => {
    if (!vouched.delete(html)) throw new TypeError(`${POLICY_NAME}: refusing HTML that did not come from Lectern's sanitiser`);
    return html;
  };
  if (!globalThis.trustedTypes) {
    policy = { createHTML };
    return policy;
  }
  try {
    policy = globalThis.trustedTypes.createPolicy(POLICY_NAME, { createHTML });
  } catch (error) {
    throw new Error(`the page's Content-Security-Policy does not allow the Trusted Types policy '${POLICY_NAME}' `
      + `(add it to the trusted-types directive): ${error.message}`);
  }
  return policy;
}

/** An inert document: images parsed into it do not load. */
let inert = null;
/** The latest call per element: an answer that arrives after a newer call is dropped. */
const latest = new WeakMap();

/**
 * Replaces the content of `element` with article HTML, checked as above.
 * Resolves once it is in place (at once where the browser has the Sanitizer
 * API; after the ingest worker answered elsewhere).
 * @param {Element} element
 * @param {string} html
 * @returns {Promise<void>}
 */
export async function setArticleHtml(element, html) {
  const call = {};
  latest.set(element, call);
  inert ??= document.implementation.createHTMLDocument('');
  const holder = inert.createElement('div');
  if (NATIVE) {
    if (!sanitizer) {
      await loadReader();
      sanitizer ??= new Sanitizer(sanitizerConfig());
    }
    holder.setHTML(html, { sanitizer });
  } else {
    const clean = await sanitizeHtml(html);
    vouched.add(clean);
    holder.innerHTML = htmlPolicy().createHTML(clean);
  }
  if (latest.get(element) !== call) return;
  for (const image of holder.querySelectorAll('img')) image.setAttribute('referrerpolicy', 'no-referrer');
  element.replaceChildren(...document.adoptNode(holder).childNodes);
}

/**
 * Checks, before any article is shown, that this page lets Lectern show
 * article HTML; throws an Error naming the fix when it does not (a browser
 * without the Sanitizer API needs the Trusted Types policy).
 */
export function checkHtmlSink() {
  if (!NATIVE) htmlPolicy();
}
