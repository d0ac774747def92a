// The one place sanitised article HTML enters the DOM. The page's CSP requires
// Trusted Types, and this module owns the only HTML policy ("lectern-html").
// The policy runs the core's sanitiser itself, so even a string that did not
// come from the core is sanitised before it can reach innerHTML.
import { sanitizeNow } from './core.js';

const policy = globalThis.trustedTypes
  ? globalThis.trustedTypes.createPolicy('lectern-html', { createHTML: (html) => sanitizeNow(html) })
  : { createHTML: (html) => sanitizeNow(html) };

/** An inert document: images parsed into it do not load. */
const inert = document.implementation.createHTMLDocument('');

/**
 * Replaces the content of `element` with article HTML, sanitised by the core.
 *
 * The HTML is parsed in an inert document first, where every image is set to
 * send no Referer (whatever `referrerpolicy` the article asked for: a reader
 * should not tell image hosts what it reads, and many hosts refuse hotlinked
 * images that carry one); only then is it moved into the page, so no request
 * leaves with another policy.
 * @param {Element} element
 * @param {string} html
 */
export function setArticleHtml(element, html) {
  const holder = inert.createElement('div');
  holder.innerHTML = policy.createHTML(html);
  for (const image of holder.querySelectorAll('img')) image.setAttribute('referrerpolicy', 'no-referrer');
  element.replaceChildren(...document.adoptNode(holder).childNodes);
}
