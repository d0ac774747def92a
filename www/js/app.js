// The reading list page: wires the library, the stored state, the list, the
// article view, the sources of articles and the keyboard together.
import { loadReader, articleVersion } from './reader.js';
import { parseFiles, readFeed, IngestError } from './ingest.js';
import { setupFeedSettings } from './feed-settings.js';
import { setupSync } from './sync-settings.js';
import { openLibrary, restoreLibrary, openStaticCollection, summaryOf, addInSlices } from './library.js';
import { openStore, onArticlesChanged, emptyMark, exportReadingList, parseReadingList, ReadingListError } from './store.js';
import { fetchManifest, downloadCollection, isStaticCollection } from './collection.js';
import { StaticList } from './static-list.js';
import { filesFromInput, filesFromDrop, readFiles, fetchArticle, FetchError } from './importer.js';
import { VirtualList } from './virtual-list.js';
import { computeList, renderRow, fillSelect, sortedEntries } from './list-view.js';
import { renderArticle, updateMarks, readingPosition, restorePosition } from './article-view.js';
import { bindShortcuts, renderShortcutHelp } from './keyboard.js';
import { parseHash, listHash, articleHash, emptyListState } from './router.js';
import { setStatus, showProgress, hideProgress, notify } from './notices.js';
import { t, setLocale, resolveLocale } from './i18n.js';
import { debounce, downloadText, h } from './dom.js';
import { registerServiceWorker } from './sw-register.js';

const $ = (id) => document.getElementById(id);
const SEARCH_DELAY_MS = 120;
const FONT_SIZES = 7;
const DEFAULT_SETTINGS = { theme: 'system', locale: 'auto', fontSize: 3 };
/** The page is the browser extension's reading list (www/extension/). */
const IN_EXTENSION = /^(chrome|moz|safari-web)-extension:$/.test(location.protocol);

const app = {
  library: null,
  store: null,
  summaries: new Map(),
  marks: new Map(),
  settings: { ...DEFAULT_SETTINGS },
  /** Ids of the articles the reader added (kept in storage). */
  added: new Set(),
  /** Names of the articles the reader added. */
  addedNames: new Set(),
  list: emptyListState(),
  /** The search's hits, cached until the query or the library changes. */
  queryCache: null,
  view: { ids: [], snippets: new Map(), counts: null, sort: 'newest' },
  selected: -1,
  current: null,
  fromList: false,
  listScroll: 0,
  loading: true,
  pendingArticle: null,
  trackAfter: 0,
  /** A static collection next to the page (StaticSource), its list, and the articles opened from it. */
  static: null,
  staticList: null,
  staticArticles: new Map(),
};

// --- the list ---------------------------------------------------------------

const virtualList = new VirtualList($('list'), (index) => {
  const id = app.view.ids[index];
  const summary = app.summaries.get(id);
  if (!summary && app.staticList) {
    app.staticList.ensure(index);
    return h('li', { class: 'item loading', 'aria-busy': 'true' }, h('p', { class: 'item-meta' }, t('loading')));
  }
  return renderRow(summary, { mark: app.marks.get(id), snippet: app.view.snippets.get(id), selected: index === app.selected });
});

function queryHits() {
  const query = app.list.query.trim();
  if (!query) return null;
  if (app.queryCache?.query !== query) {
    const result = app.library.search(query, { limit: Math.max(app.summaries.size, 1), offset: 0 });
    app.queryCache = { query, hits: result.hits };
  }
  return app.queryCache.hits;
}

function libraryChanged() {
  app.queryCache = null;
  app.staticList?.invalidate();
}

/** Recomputes and redraws the list (keeping the selection on the same article). */
function refreshList() {
  // A static collection's rows arrive later: the selection waits for its row.
  const selectedId = app.view.ids[app.selected] ?? app.selectedId;
  app.view = app.staticList ? app.staticList.view(app.list)
    : computeList({ summaries: app.summaries, marks: app.marks, list: app.list, queryHits: queryHits() });
  app.selected = selectedId ? app.view.ids.indexOf(selectedId) : -1;
  app.selectedId = app.selected === -1 && (app.view.pending || app.view.ids.includes(undefined)) ? selectedId : null;
  renderFilters();
  virtualList.setCount(app.view.ids.length);
  const { ids, total } = app.view;
  $('result-count').textContent = app.view.pending ? t('loading')
    : ids.length === total ? t('resultCount', { count: total }) : t('resultCountOf', { count: ids.length, total });
  const empty = ids.length === 0 && !app.loading && !app.view.pending;
  $('empty').hidden = !empty;
  if (empty) {
    const filtered = listIsFiltered(false);
    const query = app.list.query.trim();
    $('empty-text').textContent = total === 0 ? t(IN_EXTENSION ? 'noArticlesExtension' : 'noArticles')
      : query && filtered ? t('noMatchBoth', { query })
        : query ? t('noMatch', { query }) : t('noMatchFilters');
    $('empty-clear').hidden = total === 0;
  }
  $('sort').value = app.view.sort;
  $('sort').querySelector('option[value="relevance"]').disabled = !app.list.query.trim();
}

const refreshSoon = throttle(refreshList, 300);
/** While articles pour in (an import, a first download): the list follows, a little less often. */
const refreshWhileAdding = throttle(refreshList, 1000);

function listIsFiltered(includeQuery = true) {
  const l = app.list;
  return Boolean((includeQuery && l.query) || l.category || l.source || l.year || l.from || l.to || l.unread || l.starred);
}

function renderFilters() {
  const { counts } = app.view;
  fillSelect($('filter-category'), sortedEntries(counts.categories), app.list.category, counts.totals.category);
  fillSelect($('filter-source'), sortedEntries(counts.sources), app.list.source, counts.totals.source);
  fillSelect($('filter-year'), sortedEntries(counts.years, true), app.list.year, counts.totals.year);
  $('filter-from').value = app.list.from;
  $('filter-to').value = app.list.to;
  $('filter-unread').checked = app.list.unread;
  $('filter-starred').checked = app.list.starred;
  // A large static collection counts its marks once a filter is reached.
  $('filter-unread-label').textContent = counts.unread == null ? t('unreadOnlyUncounted') : t('unreadOnly', { count: counts.unread });
  $('filter-starred-label').textContent = counts.starred == null ? t('starredOnlyUncounted') : t('starredOnly', { count: counts.starred });
  $('clear-filters').hidden = !listIsFiltered(false);
}

/** Changes the list state, writes it in the address (replacing), redraws. */
function setList(changes) {
  Object.assign(app.list, changes);
  if ('query' in changes && !changes.query?.trim() && app.list.sort === 'relevance') app.list.sort = '';
  history.replaceState(null, '', listHash(app.list));
  refreshList();
}

function select(index, { focus = true, scroll = true } = {}) {
  if (!app.view.ids.length) return;
  const previous = app.selected;
  app.selected = Math.max(0, Math.min(index, app.view.ids.length - 1));
  if (scroll) {
    const topOffset = document.querySelector('.bar').getBoundingClientRect().height + 8;
    virtualList.scrollIntoView(app.selected, topOffset);
  }
  for (const i of [previous, app.selected]) {
    const row = virtualList.row(i);
    if (row) {
      row.classList.toggle('selected', i === app.selected);
      if (i === app.selected) row.setAttribute('aria-current', 'true');
      else row.removeAttribute('aria-current');
    }
  }
  if (focus) virtualList.row(app.selected)?.querySelector('.item-link')?.focus({ preventScroll: true });
}

// --- marks ------------------------------------------------------------------

function markOf(id) {
  return app.marks.get(id) ?? emptyMark(id);
}

const saveMarks = (() => {
  const dirty = new Set();
  const write = debounce(async () => {
    const marks = [...dirty].map((id) => app.marks.get(id)).filter(Boolean);
    dirty.clear();
    try {
      await app.store.putMarks(marks);
    } catch (error) {
      for (const mark of marks) dirty.add(mark.id);
      storageProblem(error, t('whatMarks'));
    }
  }, 250);
  const save = (id) => {
    dirty.add(id);
    write();
  };
  save.flush = () => write.flush();
  return save;
})();

/** The sync session when sync is on (Settings → Sync), else null. */
const synced = () => app.syncControl?.sync() ?? null;

function setMark(id, changes) {
  const mark = { ...markOf(id), ...changes, updated: Date.now() };
  app.marks.set(id, mark);
  saveMarks(id);
  synced()?.markChanged(mark);
  app.staticList?.marksChanged();
  if (app.current === id) updateMarks(mark);
  virtualList.render(true);
  if (!$('list-view').hidden) renderFilters();
}

function toggleStar(id) {
  if (id) setMark(id, { starred: !markOf(id).starred });
}

function toggleRead(id) {
  if (id) setMark(id, { read: !markOf(id).read });
}

function storageProblem(error, what) {
  const message = error.quota ? t('storageFull', { what }) : t('storageError', { what, error: error.message });
  notify(message, { kind: 'error', id: 'storage' });
}

// --- the article view ---------------------------------------------------------

function neighbours(id) {
  let ids = app.view.ids;
  let index = ids.indexOf(id);
  if (index === -1) {
    ids = computeList({ summaries: app.summaries, marks: app.marks, list: emptyListState(), queryHits: null }).ids;
    index = ids.indexOf(id);
  }
  return {
    previous: index > 0 ? app.summaries.get(ids[index - 1]) : undefined,
    next: index !== -1 && index < ids.length - 1 ? app.summaries.get(ids[index + 1]) : undefined,
  };
}

function showArticle(id) {
  const article = app.library.article(id) ?? app.staticArticles.get(id);
  if (!article && app.static) {
    // A static collection: download the article's own file, then show it.
    setStatus(t('loading'));
    app.static.article(id, app.summaries.get(id)?.v).then((loaded) => {
      app.staticArticles.set(id, loaded);
      if (parseHash(location.hash).id === id) showArticle(id);
    }, () => {
      notify(t('notFound', { id }), { kind: 'error', id: 'not-found' });
      history.replaceState(null, '', listHash(app.list));
      showList();
    });
    return;
  }
  if (!article) {
    if (app.loading) {
      app.pendingArticle = id;
      setStatus(t('loading'));
      return;
    }
    notify(t('notFound', { id }), { kind: 'error', id: 'not-found' });
    history.replaceState(null, '', listHash(app.list));
    showList();
    return;
  }
  app.pendingArticle = null;
  document.querySelector('[data-notice-id="not-found"]')?.remove();
  if ($('article-view').hidden) app.listScroll = window.scrollY;
  app.current = id;
  const index = app.view.ids.indexOf(id);
  if (index !== -1) app.selected = index;
  const { previous, next } = neighbours(id);
  const mark = markOf(id);
  $('list-view').hidden = true;
  $('article-view').hidden = false;
  const shown = renderArticle(article, { mark, previous, next, onCategory: (category) => goToList({ ...emptyListState(), category }) });
  document.title = `${article.title} · Lectern`;
  $('remove-button').hidden = !app.added.has(id);
  const position = mark.position;
  if (!mark.read) setMark(id, { read: true });
  // Scrolling done here is not the reader's: do not record it as a position.
  app.trackAfter = performance.now() + 300;
  window.scrollTo(0, 0);
  if (position > 0.02 && position < 0.98) {
    shown.then(() => requestAnimationFrame(() => app.current === id && restorePosition(position)));
  }
  $('article-title').focus({ preventScroll: true });
}

function showList() {
  const wasArticle = !$('article-view').hidden;
  if (app.current) saveMarks.flush();
  app.current = null;
  $('article-view').hidden = true;
  $('list-view').hidden = false;
  document.title = 'Lectern';
  refreshList();
  if (wasArticle) {
    window.scrollTo(0, app.listScroll);
    virtualList.render(false);
    if (app.selected >= 0) select(app.selected);
  }
}

function openSelected() {
  const id = app.view.ids[app.selected];
  if (!id) return false;
  app.fromList = true;
  location.hash = articleHash(id);
  return true;
}

/** Back from an article to the list (the previous page when we came from it). */
function backToList() {
  if (app.fromList) {
    app.fromList = false;
    history.back();
  } else {
    location.hash = listHash(app.list);
  }
}

function goToList(list) {
  app.fromList = false;
  app.list = { ...list };
  location.hash = listHash(app.list);
}

function stepArticle(delta) {
  const { previous, next } = neighbours(app.current);
  const target = delta > 0 ? next : previous;
  if (target) location.replace(articleHash(target.id));
}

const trackPosition = throttle(() => {
  if (!app.current || $('article-view').hidden || performance.now() < app.trackAfter) return;
  const position = Math.round(readingPosition() * 1000) / 1000;
  const mark = markOf(app.current);
  if (Math.abs(mark.position - position) >= 0.01) {
    const moved = { ...mark, position, updated: Date.now() };
    app.marks.set(app.current, moved);
    saveMarks(app.current);
    synced()?.markChanged(moved);
  }
}, 400);

// --- routing ------------------------------------------------------------------

function route() {
  const target = parseHash(location.hash);
  if (target.view === 'article') {
    // app.fromList was set when the article was opened from the list (a click
    // or a key): then Esc and "All articles" go back to that page.
    showArticle(target.id);
  } else {
    app.fromList = false;
    app.list = target.list;
    $('search').value = app.list.query;
    showList();
  }
}

// --- sources of articles -------------------------------------------------------

function rememberSummaries(summaries) {
  for (const summary of summaries) app.summaries.set(summary.id, summary);
  libraryChanged();
}

/** Format of the saved copy of the served collection (bump when its shape changes). */
const COLLECTION_CACHE_FORMAT = 1;

/**
 * Opens the library: from the saved copy of the served collection when it was
 * made by this version of the core, else empty. Resolves to the files the
 * copy holds ({path: "modified:size"}), or null.
 */
async function openSavedLibrary() {
  await loadReader();
  let cache;
  try {
    cache = await app.store.collectionCache();
  } catch {
    cache = undefined;
  }
  if (cache?.format === COLLECTION_CACHE_FORMAT && cache.coreVersion === articleVersion() && cache.index) {
    try {
      app.library = await restoreLibrary(cache.index);
      rememberSummaries(app.library.summaries());
      return cache.files ?? {};
    } catch (error) {
      console.warn(`The saved copy of the collection cannot be used (${error.message}); downloading it again.`);
    }
  }
  app.library = await openLibrary();
  return null;
}

function fileSignature(file) {
  return `${file.modified}:${file.size}`;
}

/**
 * Loads the collection served next to the page: only the files that changed
 * since the saved copy (all of them the first time), then saves a new copy.
 */
async function loadCollection(savedFiles, fetched) {
  let manifest;
  try {
    if (fetched instanceof Error) throw fetched;
    manifest = fetched;
  } catch (error) {
    if (savedFiles) notify(t('offlineCollection'), { id: 'offline' });
    else notify(t('collectionFailed', { error: error.message }), { kind: 'error' });
    return;
  }
  if (!manifest) return;
  const saved = savedFiles ?? {};
  const listed = new Map(manifest.files.map((file) => [file.path, fileSignature(file)]));
  // Files gone from the server leave the list (unless the reader added one of that name).
  const byName = new Map([...app.summaries.values()].map((s) => [s.name, s.id]));
  let changed = !savedFiles;
  for (const path of Object.keys(saved)) {
    if (!listed.has(path) && !app.addedNames.has(path) && byName.has(path)) {
      app.library.remove(byName.get(path));
      app.summaries.delete(byName.get(path));
      changed = true;
    }
  }
  const wanted = manifest.files.filter((file) => saved[file.path] !== fileSignature(file));
  const total = wanted.length;
  const failures = [];
  const failedPaths = new Set();
  if (total) {
    changed = true;
    let parsed = 0;
    showProgress(t('downloading', { done: 0, total }), 0, total);
    const downloadFailures = await downloadCollection({ ...manifest, files: wanted }, {
      onProgress: (done) => showProgress(t('downloading', { done, total }), parsed, total),
      onBatch: async (files) => {
        // Articles the reader added take precedence over served ones of the same name.
        const fresh = files.filter((file) => !app.addedNames.has(file.name));
        parsed += files.length - fresh.length;
        await parseFiles(fresh, async (items) => {
          const articles = takeArticles(items, failures);
          parsed += items.length;
          await addInSlices(app.library, articles);
          rememberSummaries(articles.map(summaryOf));
          showProgress(t('downloading', { done: parsed, total }), parsed, total);
          if (app.pendingArticle && app.library.article(app.pendingArticle)) route();
          else if (!$('list-view').hidden) refreshWhileAdding();
        });
      },
    }).catch((error) => {
      if (!(error instanceof IngestError)) throw error;
      // The articles read so far stay; the rest are read next visit.
      return [{ name: 'collection', error: error.message }];
    });
    failures.push(...downloadFailures);
    hideProgress();
  }
  libraryChanged();
  for (const failure of failures) failedPaths.add(failure.name);
  if (failures.length) {
    notify(t('loadedWithFailures', { count: app.summaries.size, failed: failures.length }), {
      kind: 'error', details: failures.map((f) => `${f.name}: ${f.error}`),
    });
  }
  if (changed) {
    // Files that failed are not recorded, so the next visit tries them again.
    const files = Object.fromEntries([...listed].filter(([path]) => !failedPaths.has(path)));
    saveCollectionCopy(files);
  }
}

/** Saves a copy of the library for the next start (when the page is idle). */
function saveCollectionCopy(files) {
  const save = async () => {
    try {
      await app.store.putCollectionCache({
        format: COLLECTION_CACHE_FORMAT, coreVersion: articleVersion(), files, index: app.library.saveIndex(), saved: Date.now(),
      });
    } catch (error) {
      // Only a copy: the collection is downloaded again next time.
      console.warn(`Could not save a copy of the collection for the next visit (${error.message}).`);
    }
  };
  if ('requestIdleCallback' in window) requestIdleCallback(save, { timeout: 5000 });
  else setTimeout(save, 1000);
}

async function restoreAdded() {
  let records;
  try {
    records = await app.store.articles();
  } catch (error) {
    storageProblem(error, t('whatArticles', { count: '' }));
    return;
  }
  app.addedNames = new Set();
  await addRecords(records);
}

/** Puts stored added articles in the library (parsing again, in the ingest worker, those of another version). */
async function addRecords(records) {
  const version = articleVersion();
  const current = records.filter((r) => r.coreVersion === version && r.article);
  const stale = records.filter((r) => !(r.coreVersion === version && r.article));
  for (const record of records) {
    app.addedNames.add(record.name);
    app.added.add(record.id);
  }
  await addInSlices(app.library, current.map((r) => r.article));
  rememberSummaries(current.map((r) => summaryOf(r.article)));
  if (!stale.length) return;
  // Parsed by another version: read the kept source again.
  const byName = new Map(stale.map((r) => [r.name, r]));
  const failures = [];
  try {
    await parseFiles(stale.map(({ name, text, base }) => ({ name, text, ...(base ? { base } : {}) })), async (items) => {
      const articles = takeArticles(items, failures);
      await addInSlices(app.library, articles);
      rememberSummaries(articles.map(summaryOf));
      const updated = articles.map((article) => ({ ...byName.get(article.name), article, coreVersion: version })).filter((r) => r.id);
      await app.store.putArticles(updated).catch(() => {});
    });
  } catch (error) {
    notify(t('collectionFailed', { error: error.message }), { kind: 'error', id: 'reparse' });
  }
  for (const failure of failures) console.warn(`Could not read ${failure.name} again: ${failure.error}`);
}

/** The articles of a batch of parsed items; the failures go to `failures`. */
function takeArticles(items, failures) {
  const articles = [];
  for (const item of items) {
    if (item.error !== undefined) failures.push(item);
    else articles.push(item);
  }
  return articles;
}

/**
 * Removes an article the reader added (from this browser's storage too),
 * after asking, and goes back to the list.
 */
async function removeAdded(id) {
  const article = id && app.added.has(id) ? app.summaries.get(id) : undefined;
  if (!article || !window.confirm(t('confirmRemove', { title: article.title }))) return;
  try {
    await app.store.deleteArticles([id]);
  } catch (error) {
    storageProblem(error, t('whatArticles', { count: 1 }));
    return;
  }
  synced()?.articleRemoved(id);
  forget(id);
  notify(t('removed', { title: article.title }), { id: 'removed' });
  backToList();
}

/**
 * What sync (js/sync.js) reads of the page and brings to it: marks and added
 * articles from the other devices, each checked there before it comes here.
 */
const syncHandlers = {
  marks: () => app.marks,
  articles: () => app.store.articles(),
  article: (id) => app.store.article(id),
  async applyMarks(marks) {
    for (const mark of marks) app.marks.set(mark.id, mark);
    try {
      await app.store.putMarks(marks);
    } catch (error) {
      storageProblem(error, t('whatMarks'));
    }
    app.staticList?.marksChanged();
    if (app.current && marks.some((m) => m.id === app.current)) updateMarks(markOf(app.current));
    virtualList.render(true);
    if (!$('list-view').hidden) renderFilters();
  },
  async applyArticles(files) {
    if (!app.library) return;
    const { failures } = await addAndKeep(files.map(({ name, text, base }) => ({ name, text, ...(base ? { base } : {}) })));
    for (const failure of failures) console.warn(`sync: an added article from another device could not be read: ${failure.name}: ${failure.error}`);
    refreshList();
  },
  async removeArticles(ids) {
    const mine = ids.filter((id) => app.added.has(id));
    if (!mine.length) return;
    try {
      await app.store.deleteArticles(mine);
    } catch (error) {
      storageProblem(error, t('whatArticles', { count: mine.length }));
      return;
    }
    for (const id of mine) forget(id);
    refreshList();
  },
};

/** Drops an added article from the page (its stored copy is already gone). */
function forget(id) {
  const summary = app.summaries.get(id);
  app.library.remove(id);
  app.summaries.delete(id);
  app.added.delete(id);
  if (summary) app.addedNames.delete(summary.name);
  libraryChanged();
}

/**
 * Shows at once the added articles another page or worker of this origin
 * saved or removed (another tab; in the extension, "save this page").
 */
async function addedElsewhere(ids) {
  if (!app.library) return;
  let found;
  try {
    found = await Promise.all(ids.map((id) => app.store.article(id)));
  } catch (error) {
    storageProblem(error, t('whatArticles', { count: ids.length }));
    return;
  }
  const records = found.filter(Boolean);
  const gone = ids.filter((id, i) => !found[i] && app.added.has(id));
  for (const id of gone) forget(id);
  await addRecords(records);
  if (app.current && gone.includes(app.current)) backToList();
  else if (app.current && ids.includes(app.current)) showArticle(app.current);
  else if (app.pendingArticle && app.library.article(app.pendingArticle)) route();
  else if (!$('list-view').hidden) refreshList();
}

/**
 * Adds files the reader brought: reads them in batches, parses them in the
 * ingest worker (the list stays responsive and fills as they come), keeps
 * them in storage, lists the ones that failed.
 * @param {{file: File, path: string}[]} entries
 */
async function importEntries(entries) {
  if (!entries.length) {
    notify(t('noArticleFiles'), { kind: 'error' });
    return;
  }
  const total = entries.length;
  const failures = [];
  let addedCount = 0;
  let firstId = null;
  let done = 0;
  let stopped = null;
  const progress = () => showProgress(t('importing', { done, total }), done, total);
  progress();
  // While the worker parses one batch, the next is read from disk (two at most in flight).
  const inFlight = new Set();
  const readFailures = await readFiles(entries, {
    readFeed: readFeedFile,
    onBatch: async (files) => {
      if (stopped) {
        failures.push(...files.map((f) => ({ name: f.name, error: stopped.message })));
        return;
      }
      const work = addAndKeep(files, (items, added) => {
        done += items.length;
        addedCount += added.length;
        firstId ??= added[0]?.id ?? null;
        progress();
        refreshWhileAdding();
      }).then((result) => failures.push(...result.failures), (error) => {
        stopped = error;
        failures.push(...files.map((f) => ({ name: f.name, error: error.message })));
      });
      inFlight.add(work);
      work.finally(() => inFlight.delete(work));
      if (inFlight.size >= 2) await Promise.race(inFlight);
    },
    onProgress: () => {},
  });
  await Promise.all(inFlight);
  failures.push(...readFailures);
  hideProgress();
  refreshList();
  const message = t('imported', { count: addedCount });
  if (stopped) {
    // The files the stop left out are listed by name (the reason is said once).
    const left = failures.map((f) => (f.error === stopped.message ? f.name : `${f.name}: ${f.error}`));
    notify(`${message} ${stopped.message}`, { kind: 'error', id: 'import', details: left });
  } else if (failures.length) {
    notify(`${message} ${t('importFailures', { count: failures.length })}`, {
      kind: 'error', id: 'import', details: failures.map((f) => `${f.name}: ${f.error}`),
    });
  } else {
    notify(message, { id: 'import' });
  }
  setStatus(message);
  return firstId;
}

/** A feed file the reader added: its items, as article files (see lectern-feeds). */
async function readFeedFile(path, bytes) {
  let feed;
  try {
    feed = await readFeed(bytes, path);
  } catch (error) {
    throw new Error(t('feedFailed', { name: path, error: error.message }));
  }
  for (const note of feed.notes) console.info(`${path}: ${note}`);
  return feed.posts.map(({ name, text }) => ({ name, text }));
}

/** The feeds the added feed files came from (their posts' `feed` key), for the page's OPML export. */
async function knownFeeds() {
  const feeds = new Map();
  for (const record of await app.store.articles()) {
    const url = record.article?.extra?.feed;
    if (typeof url === 'string' && /^https?:\/\//.test(url) && !feeds.has(url)) {
      feeds.set(url, { url, title: record.article.categories?.[0] ?? null, site: null, category: null });
    }
  }
  return [...feeds.values()];
}

/**
 * Parses files in the ingest worker, adds the articles to the library as they
 * come and keeps them in storage (with their source file, in one transaction
 * for the batch). `onChunk(items, added)` follows each chunk. Resolves to
 * `{ added, failures }`; rejects with an IngestError when the ingest module
 * cannot start (nothing is added then).
 */
async function addAndKeep(files, onChunk = () => {}) {
  const byName = new Map(files.map((f) => [f.name, f]));
  const version = articleVersion();
  const added = [];
  const failures = [];
  const records = [];
  await parseFiles(files, async (items) => {
    const articles = takeArticles(items, failures);
    await addInSlices(app.library, articles);
    const summaries = articles.map(summaryOf);
    rememberSummaries(summaries);
    added.push(...summaries);
    for (const article of articles) {
      const file = byName.get(article.name) ?? {};
      app.added.add(article.id);
      app.addedNames.add(article.name);
      records.push({ id: article.id, name: article.name, ...(file.base ? { base: file.base } : {}), text: file.text, article, coreVersion: version, added: Date.now() });
    }
    onChunk(items, summaries);
  });
  if (records.length) {
    try {
      await app.store.putArticles(records);
    } catch (error) {
      storageProblem(error, t('whatArticles', { count: records.length }));
    }
    synced()?.articlesChanged(records);
  }
  return { added, failures };
}

async function importByUrl(address) {
  let file;
  let result;
  try {
    file = await fetchArticle(address);
    result = await addAndKeep([file]);
  } catch (error) {
    const message = error instanceof FetchError ? t(error.code, error.values) : String(error.message);
    notify(message, { kind: 'error', id: 'url' });
    return;
  }
  if (result.failures.length) {
    notify(t('importListFailed', { name: file.name, error: result.failures[0].error }), { kind: 'error', id: 'url' });
    return;
  }
  refreshList();
  notify(t('imported', { count: 1 }), { id: 'url' });
  $('add-dialog').close();
  location.hash = articleHash(result.added[0].id);
}

// --- export and import of the reading list ---------------------------------------

async function exportList() {
  let articles = [];
  try {
    articles = await app.store.articles();
  } catch (error) {
    storageProblem(error, t('whatArticles', { count: '' }));
    return;
  }
  const data = exportReadingList({ marks: app.marks.values(), articles, settings: app.settings });
  downloadText(`lectern-reading-list-${new Date().toISOString().slice(0, 10)}.json`, 'application/json', JSON.stringify(data, null, 1));
  notify(t('exported', { marks: data.marks.length, articles: data.articles.length }), { id: 'export' });
}

async function importList(file) {
  let data;
  try {
    data = parseReadingList(await file.text());
  } catch (error) {
    const reason = error instanceof ReadingListError ? t(error.code, error.values) : error.message;
    notify(t('importListFailed', { name: file.name, error: reason }), { kind: 'error', id: 'import-list' });
    return;
  }
  const failures = [];
  try {
    for (let start = 0; start < data.articles.length; start += 100) {
      const result = await addAndKeep(data.articles.slice(start, start + 100).map(({ name, text, base }) => ({ name, text, ...(base ? { base } : {}) })));
      failures.push(...result.failures);
      showProgress(t('importing', { done: start, total: data.articles.length }), start, data.articles.length);
    }
  } catch (error) {
    // The marks and settings are still restored; the articles left are listed.
    failures.push({ name: file.name, error: error.message });
  }
  hideProgress();
  for (const mark of data.marks) app.marks.set(mark.id, mark);
  try {
    await app.store.putMarks(data.marks);
  } catch (error) {
    storageProblem(error, t('whatMarks'));
  }
  for (const mark of data.marks) synced()?.markChanged(mark);
  await applySettings({ ...app.settings, ...pickSettings(data.settings) }, true);
  refreshList();
  notify(t('importedList', { marks: data.marks.length, articles: data.articles.length - failures.length }), {
    id: 'import-list', kind: failures.length ? 'error' : 'info', details: failures.map((f) => `${f.name}: ${f.error}`),
  });
}

// --- settings -----------------------------------------------------------------

function pickSettings(settings) {
  const out = {};
  if (['system', 'light', 'dark', 'sepia'].includes(settings?.theme)) out.theme = settings.theme;
  if (['auto', 'en', 'zh'].includes(settings?.locale)) out.locale = settings.locale;
  if (Number.isInteger(settings?.fontSize) && settings.fontSize >= 1 && settings.fontSize <= FONT_SIZES) out.fontSize = settings.fontSize;
  return out;
}

async function applySettings(settings, save) {
  const localeChanged = settings.locale !== app.settings.locale;
  app.settings = { ...DEFAULT_SETTINGS, ...pickSettings(settings) };
  const root = document.documentElement;
  if (app.settings.theme === 'system') delete root.dataset.theme;
  else root.dataset.theme = app.settings.theme;
  root.dataset.fontSize = String(app.settings.fontSize);
  $('theme-select').value = app.settings.theme;
  $('locale-select').value = app.settings.locale;
  $('smaller-button').disabled = app.settings.fontSize <= 1;
  $('larger-button').disabled = app.settings.fontSize >= FONT_SIZES;
  if (localeChanged || save === 'init') {
    setLocale(resolveLocale(app.settings.locale));
    renderShortcutHelp($('shortcut-list'));
    if (app.library) {
      if ($('article-view').hidden) refreshList();
      else showArticle(app.current);
    }
  }
  if (save === true) {
    try {
      await app.store.putSettings(app.settings);
    } catch (error) {
      storageProblem(error, t('whatSettings'));
    }
  }
}

// --- wiring -------------------------------------------------------------------

function throttle(fn, ms) {
  let last = 0;
  let timer = 0;
  return (...args) => {
    const wait = last + ms - Date.now();
    clearTimeout(timer);
    if (wait <= 0) {
      last = Date.now();
      fn(...args);
    } else {
      timer = setTimeout(() => {
        last = Date.now();
        fn(...args);
      }, wait);
    }
  };
}

function wire() {
  const feedSettings = setupFeedSettings({ extension: IN_EXTENSION, $, notify, knownFeeds, download: downloadText });
  app.syncControl = setupSync({ $, notify, handlers: syncHandlers });
  const search = $('search');
  const runSearch = debounce(() => {
    if (!$('article-view').hidden) goToList({ ...app.list, query: search.value });
    else setList({ query: search.value });
  }, SEARCH_DELAY_MS);
  search.addEventListener('input', () => runSearch());
  $('search-form').addEventListener('submit', (event) => {
    event.preventDefault();
    runSearch.flush();
    if (app.view.ids.length) select(0);
  });

  // On a static collection, a search's filter counts are fetched once a filter is reached.
  for (const id of ['filter-category', 'filter-source', 'filter-year', 'filter-unread', 'filter-starred']) {
    for (const type of ['focus', 'pointerdown']) $(id).addEventListener(type, () => app.staticList?.wantCounts());
  }
  $('filter-category').addEventListener('change', (e) => setList({ category: e.target.value }));
  $('filter-source').addEventListener('change', (e) => setList({ source: e.target.value }));
  $('filter-year').addEventListener('change', (e) => setList({ year: e.target.value }));
  $('filter-from').addEventListener('change', (e) => setList({ from: e.target.value }));
  $('filter-to').addEventListener('change', (e) => setList({ to: e.target.value }));
  $('filter-unread').addEventListener('change', (e) => setList({ unread: e.target.checked }));
  $('filter-starred').addEventListener('change', (e) => setList({ starred: e.target.checked }));
  $('sort').addEventListener('change', (e) => setList({ sort: e.target.value }));
  const clearFilters = () => setList({ category: '', source: '', year: '', from: '', to: '', unread: false, starred: false });
  $('clear-filters').addEventListener('click', clearFilters);
  $('empty-clear').addEventListener('click', () => {
    search.value = '';
    setList({ ...emptyListState(), sort: app.list.sort === 'relevance' ? '' : app.list.sort });
  });
  $('list').addEventListener('click', (event) => {
    const chip = event.target.closest('button.chip');
    if (chip) setList({ category: chip.dataset.category });
    const link = event.target.closest('a.item-link');
    if (link) app.fromList = true;
  });
  $('list').addEventListener('focusin', (event) => {
    const row = event.target.closest('li.item');
    if (row) {
      const index = app.view.ids.indexOf(row.dataset.id);
      if (index !== -1 && index !== app.selected) select(index, { focus: false, scroll: false });
    }
  });

  $('back-button').addEventListener('click', backToList);
  $('prev-button').addEventListener('click', () => stepArticle(-1));
  $('next-button').addEventListener('click', () => stepArticle(1));
  for (const id of ['prev-link', 'next-link']) {
    $(id).addEventListener('click', (event) => {
      event.preventDefault();
      stepArticle(id === 'next-link' ? 1 : -1);
    });
  }
  $('star-button').addEventListener('click', () => toggleStar(app.current));
  $('read-button').addEventListener('click', () => toggleRead(app.current));
  $('remove-button').addEventListener('click', () => removeAdded(app.current));
  $('smaller-button').addEventListener('click', () => applySettings({ ...app.settings, fontSize: app.settings.fontSize - 1 }, true));
  $('larger-button').addEventListener('click', () => applySettings({ ...app.settings, fontSize: app.settings.fontSize + 1 }, true));
  window.addEventListener('scroll', trackPosition, { passive: true });
  window.addEventListener('pagehide', () => saveMarks.flush());
  document.addEventListener('visibilitychange', () => document.hidden && saveMarks.flush());

  $('add-button').addEventListener('click', () => $('add-dialog').showModal());
  $('settings-button').addEventListener('click', () => {
    $('settings-dialog').showModal();
    feedSettings.refresh();
  });
  $('help-button').addEventListener('click', () => $('help-dialog').showModal());
  for (const dialog of document.querySelectorAll('dialog')) {
    dialog.addEventListener('click', (event) => {
      if (event.target === dialog) dialog.close();
    });
  }
  for (const id of ['file-input', 'folder-input']) {
    $(id).addEventListener('change', async (event) => {
      const entries = filesFromInput(event.target);
      event.target.value = '';
      $('add-dialog').close();
      await importEntries(entries);
    });
  }
  $('url-form').addEventListener('submit', (event) => {
    event.preventDefault();
    importByUrl($('url-input').value.trim());
  });
  $('theme-select').addEventListener('change', (e) => applySettings({ ...app.settings, theme: e.target.value }, true));
  $('locale-select').addEventListener('change', (e) => applySettings({ ...app.settings, locale: e.target.value }, true));
  $('export-button').addEventListener('click', exportList);

  $('import-input').addEventListener('change', async (event) => {
    const [file] = event.target.files;
    event.target.value = '';
    if (!file) return;
    $('settings-dialog').close();
    await importList(file);
  });

  // Drag and drop of files and folders anywhere on the page.
  let dragDepth = 0;
  const hasFiles = (event) => [...(event.dataTransfer?.types ?? [])].includes('Files');
  document.addEventListener('dragenter', (event) => {
    if (!hasFiles(event)) return;
    dragDepth++;
    $('drop-overlay').hidden = false;
  });
  document.addEventListener('dragleave', (event) => {
    if (!hasFiles(event)) return;
    dragDepth = Math.max(0, dragDepth - 1);
    if (!dragDepth) $('drop-overlay').hidden = true;
  });
  document.addEventListener('dragover', (event) => {
    if (hasFiles(event)) event.preventDefault();
  });
  document.addEventListener('drop', async (event) => {
    if (!hasFiles(event)) return;
    event.preventDefault();
    dragDepth = 0;
    $('drop-overlay').hidden = true;
    await importEntries(await filesFromDrop(event.dataTransfer));
  });

  bindShortcuts({
    next: () => (app.current ? stepArticle(1) : select(app.selected + 1)),
    previous: () => (app.current ? stepArticle(-1) : select(app.selected <= 0 ? 0 : app.selected - 1)),
    open: () => (app.current ? false : openSelected()),
    back: () => {
      if (app.current) backToList();
      else if (app.list.query) {
        search.value = '';
        setList({ query: '' });
      } else return false;
      return true;
    },
    star: () => toggleStar(app.current ?? app.view.ids[app.selected]),
    read: () => toggleRead(app.current ?? app.view.ids[app.selected]),
    search: () => {
      search.focus();
      search.select();
    },
    help: () => $('help-dialog').showModal(),
    clearSearch: () => {
      if (search.value) {
        search.value = '';
        runSearch.cancel();
        setList({ query: '' });
      } else {
        search.blur();
      }
    },
  });
  window.addEventListener('hashchange', route);
}

async function start() {
  history.scrollRestoration = 'manual';
  if (window.matchMedia('(max-width: 48rem)').matches) $('filters-panel').open = false;
  wire();
  app.store = await openStore();
  const [settings, marks] = await Promise.all([
    app.store.settings().catch((error) => (storageProblem(error, t('whatSettings')), {})),
    app.store.marks().catch((error) => (storageProblem(error, t('whatMarks')), new Map())),
  ]);
  app.marks = marks;
  await applySettings({ ...DEFAULT_SETTINGS, ...settings }, 'init');
  if (!app.store.persistent) notify(t('storageUnavailable'), { kind: 'error', id: 'storage' });
  setStatus(t('loading'));
  const started = performance.now();
  // An extension page has no collection next to it: only the reader's own articles.
  let manifest = null;
  try {
    if (!IN_EXTENSION) manifest = await fetchManifest();
  } catch (error) {
    manifest = error;
  }
  if (isStaticCollection(manifest)) {
    await startStatic(manifest, started);
    return;
  }
  let savedFiles;
  try {
    savedFiles = await openSavedLibrary();
  } catch (error) {
    setStatus(t('collectionFailed', { error: error.message }));
    notify(t('collectionFailed', { error: error.message }), { kind: 'error' });
    return;
  }
  await restoreAdded();
  onArticlesChanged(addedElsewhere);
  route();
  await loadCollection(savedFiles, manifest);
  app.loading = false;
  if (app.pendingArticle || parseHash(location.hash).view === 'article') route();
  else refreshList();
  setStatus(t('loaded', { count: app.summaries.size }));
  document.documentElement.dataset.ready = 'true';
  performance.mark('lectern-loaded', { detail: { ms: performance.now() - started } });
  registerServiceWorker();
  app.syncControl.startIfOn();
}

/** Says which files the collection's build skipped, and why (the manifest names the first of them). */
function reportSkipped(manifest) {
  const skipped = manifest.skippedFiles ?? [];
  if (!manifest.skipped) return;
  notify(t('loadedWithFailures', { count: manifest.articles, failed: manifest.skipped }), {
    kind: 'error', id: 'skipped', details: skipped.map((f) => `${f.name}: ${f.reason}`),
  });
}

/** The ids the reader read and starred (for *unread only* and *starred only* on a static collection). */
function markedIds() {
  const read = [];
  const starred = [];
  for (const mark of app.marks.values()) {
    if (mark.read) read.push(mark.id);
    if (mark.starred) starred.push(mark.id);
  }
  return { read, starred };
}

/**
 * The page over a static collection (built by `lectern index`, or served by
 * `lectern serve`): the list, searches and articles download only their own
 * pieces. The reader's own articles (Add articles) are kept in the page's
 * Library and searched with the collection as one list.
 */
async function startStatic(manifest, started) {
  try {
    await loadReader();
    app.library = await openLibrary();
    app.static = await openStaticCollection(manifest);
  } catch (error) {
    setStatus(t('collectionFailed', { error: error.message }));
    notify(t('collectionFailed', { error: error.message }), { kind: 'error' });
    return;
  }
  const redraw = () => {
    if ($('list-view').hidden) return;
    refreshList();
    if (app.pendingArticle) route();
  };
  app.staticList = new StaticList(app.static, app.summaries, redraw, (error) => notify(t('collectionFailed', { error: error.message }), { kind: 'error', id: 'static' }), {
    marks: markedIds,
    added: () => (app.library.size ? app.library : null),
    // While rows or counts are on their way (the tests wait for it to go).
    onBusy: (busy) => document.documentElement.toggleAttribute('data-list-busy', busy),
  });
  document.documentElement.dataset.collection = 'static';
  $('sort').querySelector('option[value="title"]').disabled = true;
  reportSkipped(manifest);
  await restoreAdded();
  onArticlesChanged(addedElsewhere);
  app.loading = false;
  route();
  try {
    await app.static.entries(0, 1);
  } catch (error) {
    notify(t('collectionFailed', { error: error.message }), { kind: 'error', id: 'static' });
  }
  setStatus(t('loaded', { count: app.static.size + app.added.size }));
  document.documentElement.dataset.ready = 'true';
  performance.mark('lectern-loaded', { detail: { ms: performance.now() - started } });
  registerServiceWorker();
  app.syncControl.startIfOn();
}

start();
