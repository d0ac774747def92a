// <lectern-reader>: a Lectern collection's reading list, embedded in any page.
//
//   <script type="module" src="/lectern/js/lectern-reader.js"></script>
//   <lectern-reader src="/lectern/" theme="auto" page-size="10" height="36rem"></lectern-reader>
//
// A thin element over the reading list's own modules: reader.js (the WASM,
// loaded once however many elements a page has), library.js, collection.js,
// list-view.js, article-view.js, html-sink.js (the one HTML sink) and i18n.js.
// It renders into shadow DOM, styled by css/lectern-reader.css, css/theme.css
// (the colours and fonts the reading list uses too) and css/article-body.css
// (constructed style sheets, shared by every instance).
//
// Collections are loaded by shared-collection.js (over collection.js and
// library.js), once per page however many elements show the same one: a
// folder is downloaded and parsed whole; a static collection built by
// `lectern index` is read piece by piece, each element's list through its own
// StaticList (static-list.js, as the page does), fetching the rows it shows.
//
// Importing this module defines <lectern-reader>, unless its URL ends with
// `?define=false`; `define(tag, registry)` registers it under another name.
import { loadReader } from './reader.js';
import { SharedCollection, LoadError, collectionBase } from './shared-collection.js';
import { StaticList } from './static-list.js';
import { computeList, renderRow } from './list-view.js';
import { renderArticle } from './article-view.js';
import { checkHtmlSink } from './html-sink.js';
import { localized, resolveLocale, translateTree } from './i18n.js';
import { emptyListState } from './router.js';
import { h, debounce } from './dom.js';

const THEMES = ['light', 'dark', 'auto'];
const DEFAULT_PAGE_SIZE = 10;
const MAX_PAGE_SIZE = 200;
const SEARCH_DELAY_MS = 150;
/** Start loading this far before the element scrolls into view. */
const LAZY_MARGIN = '300px';

// --- style sheets, shared by all instances ------------------------------------

// The theme after the element's own sheet: its .frame starts from `all: initial`.
const STYLE_FILES = ['../css/article-body.css', '../css/lectern-reader.css', '../css/theme.css'];
let styleSheets = null;

/** The element's style sheets, fetched and parsed once for the page. */
function loadStyleSheets() {
  styleSheets ??= Promise.all(STYLE_FILES.map(async (path) => {
    const url = new URL(path, import.meta.url);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`could not load ${url.href} (HTTP ${response.status})`);
    const sheet = new CSSStyleSheet();
    await sheet.replace(await response.text());
    return sheet;
  })).catch((error) => {
    styleSheets = null; // try again next time
    throw error;
  });
  return styleSheets;
}

/** Before the style sheets arrive: a block that keeps its place, nothing more. */
const baseSheet = new CSSStyleSheet();
baseSheet.replaceSync(`:host { display: block !important; }
:host([hidden]) { display: none !important; }
.frame:not(.styled) { visibility: hidden; min-height: var(--lectern-reader-height, 8em); }`);

// --- helpers --------------------------------------------------------------------

/** A CSS length from the `height` attribute ("480" means pixels); '' when not a length. */
function cssLength(value) {
  const text = String(value ?? '').trim();
  if (!text) return '';
  const length = /^\d+(\.\d+)?$/.test(text) ? `${text}px` : text;
  return CSS.supports('height', length) && !/^(inherit|initial|unset|revert|revert-layer)$/i.test(length) ? length : '';
}

function event(name, detail) {
  return new CustomEvent(name, { bubbles: true, composed: true, detail });
}

// --- the element ----------------------------------------------------------------

/**
 * A reading list of one collection. Attributes (each mirrored by a property):
 * `src`, `theme` (light / dark / auto), `lang` (the words: en or zh; default:
 * the page's language), `page-size`, `search` ("false" hides the search box),
 * `height` (a CSS length: the element scrolls inside it). Events (bubbling,
 * composed): `lectern-load`, `lectern-open`, `lectern-search`, `lectern-error`.
 */
export class LecternReaderElement extends HTMLElement {
  static observedAttributes = ['src', 'theme', 'lang', 'page-size', 'search', 'height'];

  #root;
  #parts = {};
  #i18n = localized('en');
  #observer = null;
  #visible = false;
  /** Bumped on each load: a load that is no longer the latest stops. */
  #generation = 0;
  /** The src of the last load started ('' before any). */
  #loadedSrc = null;
  /** The collection shown (shared with other elements showing it), and its listener. */
  #collection = null;
  #unsubscribe = null;
  /** The list over a static collection (null for a folder). */
  #staticList = null;
  #view = { ids: [], snippets: new Map() };
  #query = '';
  #category = '';
  #page = 0;
  #current = null;
  /** The article shown (of #current). */
  #article = null;
  /** A search whose lectern-search waits for its results (static collections). */
  #searchPending = false;
  /** The id of the article being fetched to be opened (static collections). */
  #opening = null;
  #error = null;
  #loading = false;
  #freeTimer = 0;
  #search = debounce(() => this.#runSearch(), SEARCH_DELAY_MS);

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open' });
    this.#root.adoptedStyleSheets = [baseSheet];
  }

  // --- properties mirroring attributes --------------------------------------

  /** The collection's address (see collectionBase). */
  get src() {
    return this.getAttribute('src') ?? '';
  }

  set src(value) {
    this.setAttribute('src', String(value));
  }

  /** 'light', 'dark' or 'auto' (anything else reads as 'auto'). */
  get theme() {
    const value = (this.getAttribute('theme') ?? '').toLowerCase();
    return THEMES.includes(value) ? value : 'auto';
  }

  set theme(value) {
    this.setAttribute('theme', String(value));
  }

  /** Articles per page (1–200; default 10). */
  get pageSize() {
    const value = Number.parseInt(this.getAttribute('page-size') ?? '', 10);
    return Number.isInteger(value) && value > 0 ? Math.min(value, MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  }

  set pageSize(value) {
    this.setAttribute('page-size', String(value));
  }

  /** Whether the search box shows (attribute `search="false"` hides it). */
  get search() {
    return (this.getAttribute('search') ?? '').toLowerCase() !== 'false';
  }

  set search(value) {
    this.setAttribute('search', value ? 'true' : 'false');
  }

  /** The height, a CSS length ('' = as tall as its content). */
  get height() {
    return this.getAttribute('height') ?? '';
  }

  set height(value) {
    if (value === null || value === undefined || value === '') this.removeAttribute('height');
    else this.setAttribute('height', String(value));
  }

  /** The number of articles loaded. */
  get size() {
    return this.#collection && !this.#error ? this.#collection.size : 0;
  }

  // --- lifecycle --------------------------------------------------------------

  connectedCallback() {
    clearTimeout(this.#freeTimer);
    for (const name of ['src', 'theme', 'pageSize', 'search', 'height']) this.#upgradeProperty(name);
    if (!this.#parts.frame) this.#build();
    this.#applyLocale();
    this.#applyTheme();
    this.#applyHeight();
    this.#applySearch();
    loadStyleSheets().then((sheets) => {
      this.#root.adoptedStyleSheets = [baseSheet, ...sheets];
      this.#parts.frame.classList.add('styled');
    }, (error) => this.#fail(new LoadError('widgetFailed', { src: this.src, error: error.message }, error)));
    // Load when scrolled into view (or nearly).
    this.#observer = new IntersectionObserver((entries) => {
      if (!entries.some((entry) => entry.isIntersecting)) return;
      this.#visible = true;
      this.#observer?.disconnect();
      this.#observer = null;
      this.#loadIfNeeded();
    }, { rootMargin: LAZY_MARGIN });
    if (this.#visible) this.#loadIfNeeded();
    else this.#observer.observe(this);
  }

  disconnectedCallback() {
    this.#observer?.disconnect();
    this.#observer = null;
    this.#search.cancel();
    // Moving the element disconnects and connects it at once: free the
    // library only when it stays out of the page.
    this.#freeTimer = setTimeout(() => {
      this.#generation++;
      this.#release();
      this.#loadedSrc = null;
      this.#visible = false;
    }, 1000);
  }

  attributeChangedCallback(name, previous, value) {
    if (!this.#parts.frame || previous === value) return;
    switch (name) {
      case 'src':
        this.#loadIfNeeded();
        break;
      case 'theme':
        this.#applyTheme();
        break;
      case 'lang':
        this.#applyLocale();
        this.#render();
        break;
      case 'page-size':
        this.#page = 0;
        this.#render();
        break;
      case 'search':
        this.#applySearch();
        break;
      case 'height':
        this.#applyHeight();
        break;
      default:
    }
  }

  /** A property set on the element before it was upgraded becomes the attribute. */
  #upgradeProperty(name) {
    if (Object.prototype.hasOwnProperty.call(this, name)) {
      const value = this[name];
      delete this[name];
      this[name] = value;
    }
  }

  // --- building -------------------------------------------------------------------

  #build() {
    const p = this.#parts;
    const tag = (name, attrs, ...children) => h(name, attrs, ...children);
    p.input = tag('input', {
      type: 'search', id: 'search', part: 'search-input', autocomplete: 'off', spellcheck: 'false',
      enterkeyhint: 'search', 'data-i18n-placeholder': 'widgetSearch',
    });
    p.searchForm = tag('form', { class: 'search', part: 'search' },
      tag('label', { class: 'visually-hidden', for: 'search', 'data-i18n': 'searchLabel' }),
      p.input);
    p.count = tag('p', { class: 'count', id: 'count', part: 'count', 'aria-live': 'polite' });
    p.categoryText = tag('span', {});
    p.category = tag('button', { type: 'button', class: 'filter-pill', part: 'button category', hidden: true },
      p.categoryText, tag('span', { 'aria-hidden': 'true' }, ' ×'));
    p.status = tag('p', { class: 'state', part: 'status', role: 'status' });
    p.errorText = tag('p', {});
    p.retry = tag('button', { type: 'button', class: 'button', part: 'button retry', 'data-i18n': 'tryAgain' });
    p.error = tag('div', { class: 'error', part: 'error', role: 'alert', hidden: true }, p.errorText, p.retry);
    p.list = tag('ol', { class: 'list', id: 'list', part: 'list' });
    p.prevPage = tag('button', { type: 'button', class: 'button', part: 'button previous-page', 'data-i18n': 'previousPage' });
    p.nextPage = tag('button', { type: 'button', class: 'button', part: 'button next-page', 'data-i18n': 'nextPage' });
    p.pageLabel = tag('span', { class: 'page-label' });
    p.pager = tag('div', { class: 'pager', part: 'pager', role: 'group', 'data-i18n-aria-label': 'pages' },
      p.prevPage, p.pageLabel, p.nextPage);
    p.listView = tag('div', { id: 'list-view', class: 'list-view' }, p.list, p.pager);
    p.back = tag('button', { type: 'button', class: 'button', id: 'back-button', part: 'button back-button' },
      tag('span', { 'aria-hidden': 'true' }, '← '), tag('span', { 'data-i18n': 'backToList' }));
    p.prevArticle = tag('button', { type: 'button', class: 'button icon-button', id: 'prev-button', part: 'button previous-article', 'data-i18n-aria-label': 'previous', title: ' ' },
      tag('span', { 'aria-hidden': 'true' }, '‹'));
    p.nextArticle = tag('button', { type: 'button', class: 'button icon-button', id: 'next-button', part: 'button next-article', 'data-i18n-aria-label': 'next', title: ' ' },
      tag('span', { 'aria-hidden': 'true' }, '›'));
    p.original = tag('a', { class: 'button', id: 'original-link', part: 'button original-link', target: '_blank', rel: 'noopener noreferrer', hidden: true },
      tag('span', { 'aria-hidden': 'true' }, '↗ '), tag('span', { 'data-i18n': 'openOriginal' }));
    p.title = tag('h2', { id: 'article-title', part: 'article-title', tabindex: '-1' });
    p.articleView = tag('article', { id: 'article-view', class: 'article-view', part: 'article', hidden: true },
      tag('div', { class: 'article-toolbar', role: 'toolbar', part: 'article-toolbar', 'data-i18n-aria-label': 'articleTools' },
        p.back, tag('span', { class: 'toolbar-gap' }), p.prevArticle, p.nextArticle, p.original),
      tag('header', { class: 'article-header' },
        p.title,
        tag('p', { class: 'meta', id: 'article-meta', part: 'article-meta' }),
        tag('ul', { class: 'chips', id: 'article-categories' })),
      tag('details', { class: 'outline', id: 'article-outline', hidden: true },
        tag('summary', { 'data-i18n': 'contents' }),
        tag('ol', { id: 'outline-list' })),
      tag('div', { class: 'article-body', id: 'article-body', part: 'article-body' }));
    p.scroller = tag('div', { class: 'scroller', part: 'scroller' }, p.status, p.error, p.listView, p.articleView);
    p.frame = tag('div', { class: 'frame', part: 'frame' },
      tag('div', { class: 'head', part: 'header' }, p.searchForm, p.count, p.category),
      p.scroller);
    this.#root.replaceChildren(p.frame);
    this.#wire();
    this.#setStatus('widgetWaiting');
  }

  #wire() {
    const p = this.#parts;
    p.input.addEventListener('input', () => this.#search());
    p.searchForm.addEventListener('submit', (e) => {
      e.preventDefault();
      this.#search.flush();
      p.list.querySelector('.item-link')?.focus();
    });
    p.input.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && p.input.value) {
        e.preventDefault();
        p.input.value = '';
        this.#search.flush();
      }
    });
    p.list.addEventListener('click', (e) => {
      const chip = e.target.closest('button.chip');
      if (chip) {
        this.#setCategory(chip.dataset.category);
        return;
      }
      const link = e.target.closest('a.item-link');
      if (!link || e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      this.#open(link.closest('li.item').dataset.id);
    });
    p.category.addEventListener('click', () => this.#setCategory(''));
    p.prevPage.addEventListener('click', () => this.#goToPage(this.#page - 1));
    p.nextPage.addEventListener('click', () => this.#goToPage(this.#page + 1));
    p.retry.addEventListener('click', () => {
      this.#loadedSrc = null;
      this.#loadIfNeeded();
    });
    p.back.addEventListener('click', () => this.#showList());
    p.prevArticle.addEventListener('click', () => this.#step(-1));
    p.nextArticle.addEventListener('click', () => this.#step(1));
    p.articleView.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && !e.defaultPrevented) {
        e.preventDefault();
        this.#showList();
      }
    });
  }

  // --- attributes applied ---------------------------------------------------------

  #applyLocale() {
    const declared = this.closest('[lang]')?.getAttribute('lang') || undefined;
    const code = resolveLocale(declared ?? 'auto', declared ? [declared] : undefined);
    this.#i18n = localized(code);
    this.#parts.frame.lang = code === 'zh' ? 'zh-CN' : 'en';
    this.#parts.frame.dir = 'ltr'; // the element's own words (its articles carry their own direction)
    translateTree(this.#root, this.#i18n);
    if (this.#error) this.#parts.errorText.textContent = this.#i18n.t(this.#error.code, this.#error.values);
    else if (this.#parts.status.dataset.key) this.#setStatus(this.#parts.status.dataset.key, JSON.parse(this.#parts.status.dataset.values || '{}'));
  }

  #applyTheme() {
    this.#parts.frame.dataset.theme = this.theme;
  }

  #applyHeight() {
    const length = cssLength(this.height);
    if (length) this.#parts.frame.style.setProperty('--lectern-reader-height', length);
    else this.#parts.frame.style.removeProperty('--lectern-reader-height');
    this.#parts.frame.classList.toggle('fixed-height', Boolean(length));
  }

  #applySearch() {
    const shown = this.search;
    this.#parts.searchForm.hidden = !shown;
    if (!shown && this.#query) {
      this.#parts.input.value = '';
      this.#runSearch();
    }
  }

  // --- loading ----------------------------------------------------------------------

  #loadIfNeeded() {
    if (!this.isConnected || !this.#visible) return;
    if (this.#loadedSrc === this.src) return;
    this.#load();
  }

  /** Stops showing the current collection (freed when no other element shows it). */
  #release() {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#staticList = null;
    this.#searchPending = false;
    this.#collection?.release();
    this.#collection = null;
  }

  get #library() {
    return this.#collection?.library ?? null;
  }

  get #summaries() {
    return this.#collection?.summaries ?? new Map();
  }

  async #load() {
    const generation = ++this.#generation;
    const src = this.src;
    this.#loadedSrc = src;
    this.#release();
    this.#current = null;
    this.#article = null;
    this.#query = '';
    this.#parts.input.value = '';
    this.#category = '';
    this.#page = 0;
    this.#error = null;
    this.#loading = true;
    this.#parts.error.hidden = true;
    this.#showList({ focus: false });
    this.#setStatus('widgetLoading');
    this.#render();
    const stale = () => generation !== this.#generation;
    try {
      if (!src.trim()) throw new LoadError('widgetNoSrc', {});
      let base;
      try {
        base = collectionBase(src);
      } catch (error) {
        throw new LoadError('widgetFailed', { src, error: error.message }, error);
      }
      await loadReader();
      checkHtmlSink();
      if (stale()) return;
      const collection = SharedCollection.acquire(base);
      this.#collection = collection;
      // The status follows each file; the list, each batch of parsed articles (once a frame at most).
      let frame = 0;
      const progress = (kind) => {
        if (stale()) return;
        if (collection.total && !collection.source) this.#setStatus('downloading', { done: collection.downloaded, total: collection.total });
        if (kind === 'articles' && !frame) {
          frame = requestAnimationFrame(() => {
            frame = 0;
            if (!stale() && this.#loading) this.#render();
          });
        }
      };
      this.#unsubscribe = collection.subscribe(progress);
      progress('articles');
      await collection.ready;
      if (stale()) return;
      this.#unsubscribe();
      this.#unsubscribe = null;
      this.#loading = false;
      this.#setStatus(null);
      this.#render();
      const { failures, total } = collection;
      if (failures.length) {
        const message = this.#i18n.t('widgetFilesFailed', { failed: failures.length, total });
        this.dispatchEvent(event('lectern-error', { message, src, failures }));
        this.#parts.status.textContent = message;
        this.#parts.status.hidden = false;
      }
      this.dispatchEvent(event('lectern-load', { src, count: collection.size, failed: failures.length }));
    } catch (error) {
      if (stale()) return;
      this.#loading = false;
      this.#release();
      this.#fail(error instanceof LoadError ? error : new LoadError('widgetFailed', { src, error: error.message }, error));
    }
  }

  /** Shows the error state and tells the host. */
  #fail(error) {
    this.#error = error;
    this.#setStatus(null);
    this.#parts.listView.hidden = true;
    this.#parts.articleView.hidden = true;
    this.#parts.error.hidden = false;
    const message = this.#i18n.t(error.code, error.values);
    this.#parts.errorText.textContent = message;
    this.#parts.count.textContent = '';
    this.dispatchEvent(event('lectern-error', { message, src: this.src, cause: error.cause ?? null }));
  }

  #setStatus(key, values = {}) {
    const status = this.#parts.status;
    if (!key) {
      status.hidden = true;
      status.textContent = '';
      delete status.dataset.key;
      return;
    }
    status.hidden = false;
    status.dataset.key = key;
    status.dataset.values = JSON.stringify(values);
    status.textContent = this.#i18n.t(key, values);
  }

  // --- the list ---------------------------------------------------------------------

  #runSearch() {
    this.#query = this.search ? this.#parts.input.value.trim() : '';
    this.#page = 0;
    this.#searchPending = Boolean(this.#library || this.#staticList);
    this.#render();
    this.#announceSearch();
  }

  /** Fires lectern-search once the search's total is known (at once for a folder). */
  #announceSearch() {
    if (!this.#searchPending || this.#view.pending) return;
    this.#searchPending = false;
    this.dispatchEvent(event('lectern-search', { query: this.#query, total: this.#view.ids.length }));
  }

  #setCategory(category) {
    this.#category = category;
    this.#page = 0;
    this.#showList({ focus: false });
    this.#render();
    (category ? this.#parts.category : this.#parts.list.querySelector('.item-link'))?.focus();
  }

  #goToPage(page) {
    this.#page = page;
    this.#render();
    this.#parts.scroller.scrollTop = 0;
    this.#parts.list.querySelector('.item-link')?.focus({ preventScroll: true });
  }

  #computeView() {
    const source = this.#collection?.source;
    if (source) {
      this.#staticList ??= this.#listOf(source);
      this.#view = this.#staticList.view({ ...emptyListState(), query: this.#query, category: this.#category });
      return;
    }
    let hits = null;
    if (this.#query && this.#library) {
      hits = this.#library.search(this.#query, { limit: Math.max(this.#summaries.size, 1), offset: 0 }).hits;
    }
    const list = { ...emptyListState(), category: this.#category };
    this.#view = computeList({ summaries: this.#summaries, marks: new Map(), list, queryHits: hits, i18n: this.#i18n });
  }

  /**
   * An element's list over a static collection: its rows fetched as they are
   * shown (shared summaries, so elements showing it fetch each entry once).
   */
  #listOf(source) {
    const generation = this.#generation;
    const current = () => generation === this.#generation && this.#staticList === list;
    const list = new StaticList(source, this.#collection.summaries, () => {
      if (!current()) return;
      this.#render();
      this.#announceSearch();
    }, (error) => {
      if (!current()) return;
      const message = this.#i18n.t('widgetFailed', { src: this.src, error: error.message });
      this.#parts.status.textContent = message;
      this.#parts.status.hidden = false;
      delete this.#parts.status.dataset.key;
      this.dispatchEvent(event('lectern-error', { message, src: this.src, cause: error }));
    }, { counts: false });
    return list;
  }

  #render() {
    if (!this.#parts.frame || this.#error) return;
    const { t } = this.#i18n;
    this.#computeView();
    const { ids, snippets, total, pending } = this.#view;
    const size = this.pageSize;
    const pages = Math.max(1, Math.ceil(ids.length / size));
    this.#page = Math.min(Math.max(this.#page, 0), pages - 1);
    const first = this.#page * size;
    // (Not slice: a static collection's rows not fetched yet are holes, which map skips.)
    const shown = Array.from({ length: Math.max(0, Math.min(size, ids.length - first)) }, (_, i) => ids[first + i]);
    this.#parts.list.replaceChildren(...shown.map((id, i) => {
      const summary = id === undefined ? undefined : this.#summaries.get(id);
      if (!summary) {
        this.#staticList?.ensure(first + i);
        return h('li', { class: 'item loading', part: 'item', 'aria-busy': 'true', 'aria-posinset': String(first + i + 1), 'aria-setsize': String(ids.length) },
          h('p', { class: 'item-meta', part: 'item-meta' }, t('loading')));
      }
      const row = renderRow(summary, {
        snippet: snippets.get(id), selected: false, i18n: this.#i18n, marks: false, href: (s) => this.#href(s),
      });
      row.setAttribute('aria-posinset', String(first + i + 1));
      row.setAttribute('aria-setsize', String(ids.length));
      return row;
    }));
    const p = this.#parts;
    const filtered = this.#query || this.#category;
    p.count.textContent = (this.#loading && !total) ? '' : pending && filtered ? t('loading')
      : filtered ? t('resultCountOf', { count: ids.length, total }) : t('resultCount', { count: total });
    p.category.hidden = !this.#category;
    p.categoryText.textContent = t('categoryFilter', { category: this.#category });
    p.category.title = t('clearCategory');
    p.pager.hidden = pages <= 1;
    p.prevPage.disabled = this.#page === 0;
    p.nextPage.disabled = this.#page >= pages - 1;
    p.pageLabel.textContent = ids.length ? t('pageRange', { from: first + 1, to: first + shown.length, total: ids.length }) : '';
    if (!ids.length && !this.#loading && !pending) {
      this.#parts.status.hidden = false;
      this.#parts.status.textContent = total === 0 ? t('widgetEmpty') : this.#query ? t('noMatch', { query: this.#query }) : t('noMatchFilters');
      delete this.#parts.status.dataset.key;
    } else if (!this.#loading && !this.#parts.status.dataset.key) {
      this.#parts.status.hidden = true;
    }
    if (this.#article && !this.#parts.articleView.hidden) this.#renderArticle(this.#article);
  }

  /** A row's link: the original article (opened in the element on a plain click). */
  #href(summary) {
    return summary.link || `#lectern-article-${summary.id}`;
  }

  // --- the article --------------------------------------------------------------------

  #neighbours(id) {
    const { ids } = this.#view;
    const index = ids.indexOf(id);
    return {
      previous: index > 0 ? this.#summaries.get(ids[index - 1]) : undefined,
      next: index !== -1 && index < ids.length - 1 ? this.#summaries.get(ids[index + 1]) : undefined,
    };
  }

  #renderArticle(article) {
    const { previous, next } = this.#neighbours(article.id);
    renderArticle(article, {
      mark: undefined, previous, next, root: this.#root, i18n: this.#i18n, href: (s) => this.#href(s),
      onCategory: (category) => this.#setCategory(category),
    });
    const { t } = this.#i18n;
    this.#parts.prevArticle.title = t('previous');
    this.#parts.nextArticle.title = t('next');
  }

  /**
   * Opens article `id`: at once from a folder's library; from a static
   * collection once its file arrived (the list stays until then).
   */
  #open(id) {
    const collection = this.#collection;
    if (!collection?.source) {
      const article = this.#library?.article(id);
      if (article) this.#show(article);
      return;
    }
    this.#opening = id;
    const summary = this.#summaries.get(id);
    collection.source.article(id, summary?.v).then((article) => {
      if (this.#opening !== id || this.#collection !== collection) return;
      this.#opening = null;
      this.#show(article);
    }, (error) => {
      if (this.#opening !== id || this.#collection !== collection) return;
      this.#opening = null;
      const message = this.#i18n.t('widgetArticleFailed', { title: summary?.title ?? id, error: error.message });
      this.#parts.status.textContent = message;
      this.#parts.status.hidden = false;
      delete this.#parts.status.dataset.key;
      this.dispatchEvent(event('lectern-error', { message, src: this.src, cause: error }));
    });
  }

  /** Shows an article (whole, as the core gives it) in place of the list. */
  #show(article) {
    const { id } = article;
    this.#current = id;
    this.#article = article;
    this.#renderArticle(article);
    const index = this.#view.ids.indexOf(id);
    if (index !== -1) {
      this.#page = Math.floor(index / this.pageSize);
      // A static collection's neighbours may not be fetched yet: they come, and the article is drawn again.
      if (index > 0) this.#staticList?.ensure(index - 1);
      if (index + 1 < this.#view.ids.length) this.#staticList?.ensure(index + 1);
    }
    this.#parts.listView.hidden = true;
    this.#parts.status.hidden = true;
    this.#parts.articleView.hidden = false;
    this.#parts.scroller.scrollTop = 0;
    if (this.getBoundingClientRect().top < 0) this.scrollIntoView({ block: 'start' });
    this.#parts.title.focus({ preventScroll: true });
    this.dispatchEvent(event('lectern-open', { id, title: article.title, link: article.link ?? null }));
  }

  #step(delta) {
    const { previous, next } = this.#neighbours(this.#current);
    const target = delta > 0 ? next : previous;
    if (target) this.#open(target.id);
  }

  #showList({ focus = true } = {}) {
    const was = this.#current;
    this.#current = null;
    this.#article = null;
    this.#opening = null;
    this.#parts.articleView.hidden = true;
    this.#parts.listView.hidden = Boolean(this.#error);
    if (was) {
      this.#render();
      const row = this.#parts.list.querySelector(`li.item[data-id="${CSS.escape(was)}"] .item-link`);
      if (focus) (row ?? this.#parts.input).focus();
    }
  }
}

/**
 * Registers the element as `tag` (default `lectern-reader`) in `registry`
 * (default the page's). Each name gets its own subclass, so one page can
 * register it under several names. Returns the registered class.
 */
export function define(tag = 'lectern-reader', registry = customElements) {
  const existing = registry.get(tag);
  if (existing) return existing;
  const element = class extends LecternReaderElement {};
  registry.define(tag, element);
  return element;
}

export { collectionBase };

if (new URL(import.meta.url).searchParams.get('define') !== 'false') define();
