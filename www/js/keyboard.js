// Keyboard shortcuts: j/k next/previous, o or Enter open, Esc back (or clear
// the search), s star, m read/unread, / search, ? the list of shortcuts.
import { h } from './dom.js';
import { t } from './i18n.js';

/** The shortcuts, for the help dialog: [keys, i18n key]. */
export const SHORTCUTS = [
  [['j'], 'keyNext'],
  [['k'], 'keyPrevious'],
  [['o', 'Enter'], 'keyOpen'],
  [['Esc'], 'keyBack'],
  [['s'], 'keyStar'],
  [['m'], 'keyRead'],
  [['/'], 'keySearch'],
  [['?'], 'keyHelp'],
];

function typingIn(target) {
  return target instanceof HTMLElement
    && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));
}

/**
 * Listens for the shortcuts.
 * @param {{next, previous, open, back, star, read, search, help, clearSearch: () => boolean}} actions
 *        each returns nothing; `open` and `back` return false when they did nothing
 */
export function bindShortcuts(actions) {
  document.addEventListener('keydown', (event) => {
    if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
    if (document.querySelector('dialog[open]')) return;
    const { key, target } = event;
    if (typingIn(target)) {
      if (key === 'Escape' && target.id === 'search') {
        event.preventDefault();
        actions.clearSearch();
      }
      return;
    }
    // Enter on a link or button does what it always does.
    if (key === 'Enter' && target instanceof HTMLElement && target.closest('a, button, summary')) return;
    const action = {
      j: actions.next, k: actions.previous, o: actions.open, Enter: actions.open,
      Escape: actions.back, s: actions.star, m: actions.read, '/': actions.search, '?': actions.help,
    }[key];
    if (!action) return;
    if (action() !== false) event.preventDefault();
  });
}

/** Fills the help dialog's list. */
export function renderShortcutHelp(list) {
  list.replaceChildren(...SHORTCUTS.flatMap(([keys, description]) => [
    h('dt', {}, keys.flatMap((k, i) => (i ? [' / ', h('kbd', {}, k)] : [h('kbd', {}, k)]))),
    h('dd', {}, t(description)),
  ]));
}
