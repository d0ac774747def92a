// The article view: header, outline, the sanitised body (through the one
// HTML sink), and the toolbar state (star, read, previous / next).
import { h } from './dom.js';
import { t, relativeDate, exactDate } from './i18n.js';
import { setArticleHtml } from './html-sink.js';
import { articleHash } from './router.js';

const $ = (id) => document.getElementById(id);

/** Outlines with fewer headings than this are not worth showing. */
const OUTLINE_MIN_HEADINGS = 3;

/**
 * Shows an article.
 * @param {object} article the full article (with html, outline)
 * @param {{mark: object, previous?: object, next?: object, onCategory: (c: string) => void}} context
 */
export function renderArticle(article, { mark, previous, next, onCategory }) {
  const view = $('article-view');
  for (const id of ['article-title', 'article-meta', 'article-categories', 'article-body', 'outline-list']) {
    const element = $(id);
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

  $('article-categories').replaceChildren(...article.categories.map((category) => {
    const chip = h('button', { type: 'button', class: 'chip', title: t('filterByCategory', { category }) }, category);
    chip.addEventListener('click', () => onCategory(category));
    return h('li', {}, chip);
  }));

  renderOutline(article.outline ?? []);
  setArticleHtml($('article-body'), article.html);

  const original = $('original-link');
  original.hidden = !article.link;
  if (article.link) original.href = article.link;
  else original.removeAttribute('href');

  footerLink($('prev-link'), previous, 'previousArticle');
  footerLink($('next-link'), next, 'nextArticle');
  $('prev-button').disabled = !previous;
  $('next-button').disabled = !next;
  updateMarks(mark);
  document.title = `${article.title} · Lectern`;
}

function footerLink(link, summary, key) {
  link.hidden = !summary;
  if (!summary) {
    link.removeAttribute('href');
    link.textContent = '';
    return;
  }
  link.href = articleHash(summary.id);
  link.lang = summary.lang || '';
  link.dir = 'auto';
  link.textContent = t(key, { title: summary.title });
}

function renderOutline(outline) {
  const details = $('article-outline');
  details.hidden = outline.length < OUTLINE_MIN_HEADINGS;
  if (details.hidden) {
    $('outline-list').replaceChildren();
    return;
  }
  const top = Math.min(...outline.map((heading) => heading.level));
  $('outline-list').replaceChildren(...outline.map((heading, index) => {
    const button = h('button', { type: 'button', class: `outline-item depth-${Math.min(heading.level - top, 3)}` }, heading.text);
    button.addEventListener('click', () => headingElement(index)?.scrollIntoView({ block: 'start' }));
    return h('li', {}, button);
  }));
  // Open beside the text on wide screens; folded on narrow ones.
  details.open = window.matchMedia('(min-width: 72rem)').matches;
}

/** The body's n-th non-empty heading (the outline lists exactly those, in order). */
function headingElement(index) {
  const headings = [...$('article-body').querySelectorAll('h1, h2, h3, h4, h5, h6')]
    .filter((element) => element.textContent.trim() !== '');
  return headings[index];
}

/** Updates the star and read buttons. */
export function updateMarks(mark) {
  const starred = mark?.starred === true;
  const read = mark?.read === true;
  const star = $('star-button');
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
  const body = $('article-body');
  const rect = body.getBoundingClientRect();
  const span = rect.height - window.innerHeight;
  if (span <= 0) return 1;
  return Math.min(1, Math.max(0, -rect.top / span));
}

/** Scrolls to a reading position saved by readingPosition(). */
export function restorePosition(position) {
  const body = $('article-body');
  const rect = body.getBoundingClientRect();
  const span = rect.height - window.innerHeight;
  const top = rect.top + window.scrollY;
  window.scrollTo(0, span > 0 ? top + position * span : 0);
}
