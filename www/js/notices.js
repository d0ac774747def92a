// Messages to the reader: a polite status line, a progress bar for long work,
// and notices (errors, import failures) that stay until dismissed.
import { h } from './dom.js';
import { t } from './i18n.js';

const $ = (id) => document.getElementById(id);

/** Sets the one-line status (announced politely). */
export function setStatus(text) {
  $('status').textContent = text;
}

/** Shows the progress bar with a label; `total` 0 means "unknown yet". */
export function showProgress(label, done, total) {
  $('progress').hidden = false;
  const bar = $('progress-bar');
  if (total > 0) {
    bar.max = total;
    bar.value = done;
  } else {
    bar.removeAttribute('value');
  }
  $('progress-label').textContent = label;
}

/** Hides the progress bar. */
export function hideProgress() {
  $('progress').hidden = true;
}

/**
 * Adds a notice. `kind` 'error' is announced at once (role=alert).
 * `details` are listed under the message (e.g. "file: error" lines).
 * @returns {HTMLElement} the notice (remove it to dismiss)
 */
export function notify(message, { kind = 'info', details = [], id } = {}) {
  if (id) document.querySelector(`[data-notice-id="${CSS.escape(id)}"]`)?.remove();
  const close = h('button', { type: 'button', class: 'notice-close', 'aria-label': t('dismiss'), title: t('dismiss') }, '×');
  const list = details.length
    ? h('ul', { class: 'notice-details' }, details.map((line) => h('li', { dir: 'auto' }, line)))
    : null;
  const notice = h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status', 'data-notice-id': id },
    h('div', { class: 'notice-text' }, h('p', {}, message), list),
    close);
  close.addEventListener('click', () => notice.remove());
  $('notices').prepend(notice);
  return notice;
}
