// The list of articles: computing what it shows (search + filters + marks,
// sorted, with counts), drawing rows, and the filter controls.
import { h, highlighted } from './dom.js';
import { pageI18n } from './i18n.js';
import { articleHash } from './router.js';

/**
 * True when an article passes the filters: `categories`, `sources` and
 * `authors` keep articles having any of the listed values; `from` / `to` are
 * inclusive dates (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`, or RFC 3339) and drop
 * undated articles.
 */
function matchesFilters(article, filters = {}) {
  const { categories, sources, authors, from, to } = filters ?? {};
  if (categories?.length && !article.categories.some((c) => categories.includes(c))) return false;
  if (sources?.length && !sources.includes(article.source ?? '')) return false;
  if (authors?.length && !authors.includes(article.author ?? '')) return false;
  if (from || to) {
    if (!article.date) return false;
    if (from && article.date.slice(0, from.length) < from) return false;
    if (to && article.date.slice(0, to.length) > to) return false;
  }
  return true;
}

/** Inclusive date bounds from the year and date-range filters (YYYY-MM-DD). */
export function dateBounds(list) {
  let from = list.from || '';
  let to = list.to || '';
  if (list.year) {
    if (!from || `${list.year}-01-01` > from) from = `${list.year}-01-01`;
    if (!to || `${list.year}-12-31` < to) to = `${list.year}-12-31`;
  }
  return { from, to };
}

/** The library filters for a list state, without `except` ('category' | 'source' | 'year'). */
function libraryFilters(list, except) {
  const filters = {};
  if (list.category && except !== 'category') filters.categories = [list.category];
  if (list.source && except !== 'source') filters.sources = [list.source];
  const { from, to } = dateBounds(except === 'year' ? { ...list, year: '' } : list);
  if (from) filters.from = from;
  if (to) filters.to = to;
  return filters;
}

/**
 * What the list shows.
 * @param {{summaries: Map<string, object>, marks: Map<string, object>, list: object,
 *          queryHits: {id: string, score: number, snippet: object}[]|null}} input
 *        queryHits: the library's hits for the search (null when not searching);
 *        i18n (optional): the words to sort titles by (localized(); default the page's)
 * @returns {{ids: string[], snippets: Map<string, object>, counts: object, total: number, sort: string}}
 */
export function computeList({ summaries, marks, list, queryHits, i18n = pageI18n }) {
  const candidates = queryHits ? queryHits.map((hit) => summaries.get(hit.id)).filter(Boolean) : [...summaries.values()];
  const snippets = new Map(queryHits ? queryHits.map((hit) => [hit.id, hit.snippet]) : []);
  const all = libraryFilters(list);
  const noCategory = libraryFilters(list, 'category');
  const noSource = libraryFilters(list, 'source');
  const noYear = libraryFilters(list, 'year');
  const counts = {
    categories: new Map(), sources: new Map(), years: new Map(), unread: 0, starred: 0, all: 0,
    totals: { category: 0, source: 0, year: 0 },
  };
  const bump = (map, key) => key && map.set(key, (map.get(key) ?? 0) + 1);
  const kept = [];
  for (const summary of candidates) {
    const mark = marks.get(summary.id);
    const read = mark?.read === true;
    const starred = mark?.starred === true;
    const passUnread = !list.unread || !read;
    const passStarred = !list.starred || starred;
    const marksPass = passUnread && passStarred;
    const passAll = matchesFilters(summary, all);
    if (marksPass) {
      if (matchesFilters(summary, noCategory)) {
        counts.totals.category++;
        for (const c of new Set(summary.categories)) bump(counts.categories, c);
      }
      if (matchesFilters(summary, noSource)) {
        counts.totals.source++;
        bump(counts.sources, summary.source);
      }
      if (matchesFilters(summary, noYear)) {
        counts.totals.year++;
        bump(counts.years, summary.date?.slice(0, 4));
      }
    }
    if (passAll) {
      if (passStarred && !read) counts.unread++;
      if (passUnread && starred) counts.starred++;
      if (marksPass) kept.push(summary);
    }
  }
  counts.all = candidates.length;
  const sort = list.sort === 'relevance' && !queryHits ? 'newest' : list.sort || (queryHits ? 'relevance' : 'newest');
  if (sort === 'newest') kept.sort((a, b) => compareDates(b, a));
  else if (sort === 'oldest') kept.sort((a, b) => compareDates(a, b));
  else if (sort === 'title') {
    const compare = i18n.collator().compare;
    kept.sort((a, b) => compare(a.title, b.title));
  }
  // 'relevance': the library's order, kept.
  return { ids: kept.map((s) => s.id), snippets, counts, total: summaries.size, sort };
}

/** Dated articles first; then by date; ties by title. */
function compareDates(a, b) {
  if (!a.date !== !b.date) return a.date ? 1 : -1;
  return (a.date ?? '').localeCompare(b.date ?? '') || b.title.localeCompare(a.title);
}

/**
 * Builds one row. Its parts carry `part` names, so a <lectern-reader> host can
 * style them (`::part(item)`); in the page they mean nothing.
 * @param {object} summary
 * @param {{mark?: object, snippet?: object, selected: boolean, i18n?: object, href?: (summary: object) => string, marks?: boolean}} options
 *        marks: false leaves out read / unread / starred (a reader without marks); i18n: the words (localized(); default the page's); href: the address of the
 *        row's link (default the page's `#/article/<id>`)
 */
export function renderRow(summary, { mark, snippet, selected, i18n = pageI18n, href = (s) => articleHash(s.id), marks = true }) {
  const { t, relativeDate, exactDate } = i18n;
  const read = !marks || mark?.read === true;
  const starred = marks && mark?.starred === true;
  const classes = ['item', marks ? (read ? 'read' : 'unread') : '', starred ? 'starred' : '', selected ? 'selected' : ''].filter(Boolean).join(' ');
  const meta = [];
  if (summary.source) meta.push(h('span', { class: 'item-source', dir: 'auto' }, summary.source));
  if (summary.date) {
    meta.push(h('time', { datetime: summary.date, title: exactDate(summary.date) }, relativeDate(summary.date)));
  }
  meta.push(h('span', {}, t('minutes', { count: summary.readingMinutes })));
  const excerpt = snippet ? highlighted(snippet.text, snippet.ranges) : [summary.excerpt];
  const chips = summary.categories.slice(0, 4).map((category) => h('li', {},
    h('button', { type: 'button', class: 'chip', part: 'chip', 'data-category': category, title: t('filterByCategory', { category }) }, category)));
  return h('li', { class: classes, part: 'item', 'data-id': summary.id, 'aria-current': selected ? 'true' : undefined },
    h('div', { class: 'item-text' },
      h('h2', { class: 'item-title', part: 'item-title', lang: summary.lang, dir: summary.dir },
        h('a', { class: 'item-link', href: href(summary), part: 'item-link' },
          h('span', { class: 'visually-hidden' }, `${read ? '' : `${t('unread')}: `}${starred ? `${t('starred')}: ` : ''}`),
          summary.title)),
      h('p', { class: 'item-meta', part: 'item-meta' },
        starred ? h('span', { class: 'star-mark', 'aria-hidden': 'true' }, '★') : null,
        meta.flatMap((part, i) => (i ? [h('span', { class: 'sep', 'aria-hidden': 'true' }, '·'), part] : [part]))),
      h('p', { class: 'item-excerpt', part: 'item-excerpt', lang: summary.lang, dir: summary.dir }, excerpt),
      chips.length ? h('ul', { class: 'chips' }, chips) : null),
    summary.image
      ? h('img', { class: 'thumb', part: 'thumbnail', src: summary.image, alt: '', loading: 'lazy', decoding: 'async', referrerpolicy: 'no-referrer' })
      : null);
}

/** What each <select> shows (so that an unchanged one is not filled again). */
const shown = new WeakMap();

/** Fills a <select> with "All (n)" and values with counts, keeping `selected`. */
export function fillSelect(select, entries, selected, total, i18n = pageI18n) {
  const signature = JSON.stringify([i18n.locale, selected, total, entries]);
  if (shown.get(select) === signature) return;
  shown.set(select, signature);
  const options = [h('option', { value: '' }, i18n.t('all', { count: total }))];
  let present = false;
  for (const [value, count] of entries) {
    if (value === selected) present = true;
    // A value without a count: counts not fetched yet (a search on a static collection).
    options.push(h('option', { value }, count == null ? value : `${value} (${count})`));
  }
  if (selected && !present) options.push(h('option', { value: selected }, `${selected} (0)`));
  select.replaceChildren(...options);
  select.value = selected;
}

/** Count entries sorted by count (or by value, newest first, for years). */
export function sortedEntries(map, byValue = false) {
  const entries = [...map];
  if (byValue) entries.sort((a, b) => b[0].localeCompare(a[0]));
  else entries.sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return entries;
}
