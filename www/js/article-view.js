// The article view: header, outline, the sanitised body (through the one
// HTML sink), and the toolbar state (star, read, previous / next).
import { h } from './dom.js';
import { pageI18n } from './i18n.js';
import { setArticleHtml } from './html-sink.js';
import { articleHash } from './router.js';

/** The element `id` under `root` (a document or a shadow root); parts a root lacks are skipped. */
const byId = (root, id) => root.getElementById(id);

/** Outlines with fewer headings than this are not worth showing. */
const OUTLINE_MIN_HEADINGS = 3;

/**
 * Shows an article in the elements of `root` with the ids below (the page's
 * document, or a <lectern-reader>'s shadow root; a part the root lacks is
 * left out): article-view, article-title, article-meta, article-categories,
 * article-outline, outline-list, article-body, original-link, prev-link,
 * next-link, prev-button, next-button, and the marks' buttons.
 * @param {object} article the full article (with html, outline)
 * @param {{mark: object, previous?: object, next?: object, onCategory: (c: string) => void,
 *          root?: Document|ShadowRoot, i18n?: object, href?: (summary: object) => string}} context
 *        i18n: the words (localized(); default the page's); href: the address of an
 *        article's link (default the page's `#/article/<id>`)
 * @returns {Promise<void>} settles once the body is in place (see html-sink.js)
 */
export function renderArticle(article, { mark, previous, next, onCategory, root = document, i18n = pageI18n, href = (s) => articleHash(s.id) }) {
  const { t, relativeDate, exactDate } = i18n;
  const $ = (id) => byId(root, id);
  const view = $('article-view');
  for (const id of ['article-title', 'article-meta', 'article-categories', 'article-body', 'outline-list']) {
    const element = $(id);
    if (!element) continue;
    element.lang = article.lang || '';
    element.dir = article.dir || 'auto';
  }
  view.dataset.id = article.id;
  view.dataset.lang = (article.lang || '').split('-')[0];
  $('article-title').textContent = article.title;

  const meta = [];
  if (article.source) meta.push(h('span', { dir: 'auto' }, article.source));
  if (article.author && article.author !== article.source) meta.push(h('span', { dir: 'auto' }, article.author));
  if (article.date) meta.push(h('time', { datetime: article.date, title: exactDate(article.date) }, relativeDate(article.date)));
  meta.push(h('span', {}, t('minutes', { count: article.readingMinutes })));
  $('article-meta').replaceChildren(...meta.flatMap((part, i) => (i ? [h('span', { class: 'sep', 'aria-hidden': 'true' }, ' · '), part] : [part])));

  $('article-categories')?.replaceChildren(...article.categories.map((category) => {
    const chip = h('button', { type: 'button', class: 'chip', part: 'chip', title: t('filterByCategory', { category }) }, category);
    chip.addEventListener('click', () => onCategory(category));
    return h('li', {}, chip);
  }));

  renderOutline(root, article.outline ?? []);
  const body = $('article-body');
  const shown = setArticleHtml(body, article.html).catch((error) => {
    body.replaceChildren(h('p', { class: 'article-error', role: 'alert' }, t('articleBodyFailed', { error: error.message })));
  });

  const original = $('original-link');
  if (original) {
    original.hidden = !article.link;
    if (article.link) original.href = article.link;
    else original.removeAttribute('href');
  }

  footerLink($('prev-link'), previous, t('previousArticle', { title: previous?.title }), href);
  footerLink($('next-link'), next, t('nextArticle', { title: next?.title }), href);
  if ($('prev-button')) $('prev-button').disabled = !previous;
  if ($('next-button')) $('next-button').disabled = !next;
  updateMarks(mark, root, i18n);
  return shown;
}

function footerLink(link, summary, text, href) {
  if (!link) return;
  link.hidden = !summary;
  if (!summary) {
    link.removeAttribute('href');
    link.textContent = '';
    return;
  }
  link.href = href(summary);
  link.lang = summary.lang || '';
  link.dir = 'auto';
  link.textContent = text;
}

function renderOutline(root, outline) {
  const $ = (id) => byId(root, id);
  const details = $('article-outline');
  if (!details) return;
  details.hidden = outline.length < OUTLINE_MIN_HEADINGS;
  if (details.hidden) {
    $('outline-list').replaceChildren();
    return;
  }
  const top = Math.min(...outline.map((heading) => heading.level));
  $('outline-list').replaceChildren(...outline.map((heading, index) => {
    const button = h('button', { type: 'button', class: `outline-item depth-${Math.min(heading.level - top, 3)}` }, heading.text);
    button.addEventListener('click', () => headingElement(root, index)?.scrollIntoView({ block: 'start' }));
    return h('li', {}, button);
  }));
  // Open beside the text on wide screens; folded on narrow ones.
  // (In a widget, folded: it has no room beside the text.)
  details.open = root === document && window.matchMedia('(min-width: 72rem)').matches;
}

/** The body's n-th non-empty heading (the outline lists exactly those, in order). */
function headingElement(root, index) {
  const headings = [...byId(root, 'article-body').querySelectorAll('h1, h2, h3, h4, h5, h6')]
    .filter((element) => element.textContent.trim() !== '');
  return headings[index];
}

/** Updates the star and read buttons (when `root` has them). */
export function updateMarks(mark, root = document, { t } = pageI18n) {
  const $ = (id) => byId(root, id);
  const starred = mark?.starred === true;
  const read = mark?.read === true;
  const star = $('star-button');
  if (!star) return;
  star.setAttribute('aria-pressed', String(starred));
  star.querySelector('.star-icon').textContent = starred ? '★' : '☆';
  $('star-label').textContent = starred ? t('unstar') : t('star');
  star.title = `${starred ? t('unstar') : t('star')} (s)`;
  const readButton = $('read-button');
  readButton.setAttribute('aria-pressed', String(read));
  $('read-label').textContent = read ? t('markUnread') : t('markRead');
  readButton.title = `${read ? t('markUnread') : t('markRead')} (m)`;
}

/** How far the article is scrolled, 0..1. */
export function readingPosition() {
  const body = byId(document, 'article-body');
  const rect = body.getBoundingClientRect();
  const span = rect.height - window.innerHeight;
  if (span <= 0) return 1;
  return Math.min(1, Math.max(0, -rect.top / span));
}

/** Scrolls to a reading position saved by readingPosition(). */
export function restorePosition(position) {
  const body = byId(document, 'article-body');
  const rect = body.getBoundingClientRect();
  const span = rect.height - window.innerHeight;
  const top = rect.top + window.scrollY;
  window.scrollTo(0, span > 0 ? top + position * span : 0);
}
