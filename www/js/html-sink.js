// The one place sanitised article HTML enters the DOM. The page's CSP requires
// Trusted Types, and this module owns the only policy ("lectern-html"). The
// policy runs the core's sanitiser itself, so even a string that did not come
// from the core is sanitised before it can reach innerHTML.
import { sanitizeNow } from './core.js';

const policy = globalThis.trustedTypes
  ? globalThis.trustedTypes.createPolicy('lectern-html', { createHTML: (html) => sanitizeNow(html) })
  : { createHTML: (html) => sanitizeNow(html) };

/**
 * Replaces the content of `element` with article HTML, sanitised by the core.
 * @param {Element} element
 * @param {string} html
 */
export function setArticleHtml(element, html) {
  element.innerHTML = policy.createHTML(html);
}
