// The one place sanitised article HTML enters the DOM. The page's CSP requires
// Trusted Types, and this module owns the only HTML policy ("lectern-html").
// The policy runs the core's sanitiser itself, so even a string that did not
// come from the core is sanitised before it can reach innerHTML.
//
// The policy is made on first use, once per page (however many views or
// <lectern-reader> elements use it), so a host page whose CSP does not allow
// it gets a message naming the fix instead of a module that fails to load.
import { sanitizeNow } from './core.js';

/** The Trusted Types policy's name: a host page's CSP must list it in `trusted-types`. */
export const POLICY_NAME = 'lectern-html';

let policy = null;

function htmlPolicy() {
  if (policy) return policy;
  const createHTML = (html) => sanitizeNow(html);
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
  inert ??= document.implementation.createHTMLDocument('');
  const holder = inert.createElement('div');
  holder.innerHTML = htmlPolicy().createHTML(html);
  for (const image of holder.querySelectorAll('img')) image.setAttribute('referrerpolicy', 'no-referrer');
  element.replaceChildren(...document.adoptNode(holder).childNodes);
}

/**
 * Checks, before any article is shown, that this page lets Lectern make its
 * Trusted Types policy; throws an Error naming the fix when it does not.
 */
export function checkHtmlSink() {
  htmlPolicy();
}
