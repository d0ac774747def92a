// The list over a static collection (built by `lectern index`, or served by
// `lectern serve`): what the list shows for a search, filters, marks and sort,
// fetched a window of rows at a time (list pages when nothing is searched or
// filtered, else the reader module's search on the collection's shards). The
// reader's own articles (a Library, when it has any) are searched with the
// collection as one list; *unread only* and *starred only* are filters by id.
// Rows not fetched yet are holes in `view.ids`.
import { dateBounds } from './list-view.js';

/** Rows fetched at a time: a list page when browsing, fewer for a search (each hit is a file). */
const BROWSE_WINDOW = 50;
const SEARCH_WINDOW = 10;
/** Values per facet when a search's counts are asked for. */
const FACET_LIMIT = 100;
/**
 * Blocks of facet values a search may read to count its facets before anyone
 * asked for them: a small collection's (one file holds them all) are counted
 * at once, a larger one's once a filter is reached.
 */
const EAGER_COUNT_BLOCKS = 1;

/** Library filters of a list state (category, source, year and date range). */
function filtersOf(list) {
  const filters = {};
  if (list.category) filters.categories = [list.category];
  if (list.source) filters.sources = [list.source];
  const { from, to } = dateBounds(list);
  if (from) filters.from = from;
  if (to) filters.to = to;
  return filters;
}

/** The same filters with the reader's marks: unread only leaves the read out, starred only keeps the starred. */
function withMarks(filters, list, marks) {
  const out = { ...filters };
  if (list.unread) out.exceptIds = marks.read;
  if (list.starred) out.ids = marks.starred;
  return out;
}

function countsOf(facets, total) {
  const map = (list, key = (v) => v) => new Map((list ?? []).map(({ value, count }) => [key(value), count]));
  return {
    categories: map(facets?.categories), sources: map(facets?.sources), years: map(facets?.years, String),
    unread: total, starred: 0, all: total, totals: { category: total, source: total, year: total },
  };
}

/**
 * The filter values of the whole collection without counts: what a search
 * shows until its counts are asked for (counting needs the facet values of
 * every match, which a search that only shows hits does not fetch).
 */
function uncountedOf(facets, total) {
  const counts = countsOf(facets, total);
  for (const key of ['categories', 'sources', 'years']) for (const value of counts[key].keys()) counts[key].set(value, null);
  counts.uncounted = true;
  return counts;
}

const NO_MARKS = { read: [], starred: [] };

export class StaticList {
  #source;
  #summaries;
  #onChange;
  #onError;
  #counts;
  #marks;
  #added;
  #countsWanted = false;
  #onBusy;
  /** Fetches and counts under way (the list is busy while there are any). */
  #inflight = 0;
  #key = null;
  #state = null;
  /** Bumped when the reader's own articles change: every view is computed anew. */
  #generation = 0;
  /** Bumped when the marks change: views filtered by them are computed anew. */
  #marksGeneration = 0;
  #asked = new Set();
  #view = { ids: [], snippets: new Map(), counts: countsOf(null, 0), total: 0, sort: 'newest' };

  /**
   * @param {import('./collection.js').StaticSource} source
   * @param {Map<string, object>} summaries where fetched entries are kept (by id)
   * @param {() => void} onChange called when rows or counts arrive
   * @param {(error: Error) => void} onError
   * @param {{counts?: boolean, marks?: () => {read: string[], starred: string[]}, added?: () => object|null}} [options]
   *   `counts: false`: a list that shows no facet counts (the whole
   *   collection's are not fetched when browsing, nor a search's). Otherwise a
   *   search's counts are fetched once they are wanted ({@link StaticList#wantCounts}),
   *   or when it filters by category or source (which reads the same files).
   *   `marks`: the ids the reader read and starred (for *unread only*,
   *   *starred only* and their counts). `added`: the Library of the reader's
   *   own articles, searched with the collection (null when it has none).
   */
  constructor(source, summaries, onChange, onError, { counts = true, marks = () => NO_MARKS, added = () => null, onBusy = () => {} } = {}) {
    this.#onBusy = onBusy;
    this.#source = source;
    this.#summaries = summaries;
    this.#onChange = onChange;
    this.#onError = onError;
    this.#counts = counts;
    this.#marks = marks;
    this.#added = added;
    this.#countsWanted = counts && Math.ceil(source.size / (source.manifest.docBlock || 1024)) <= EAGER_COUNT_BLOCKS;
  }

  /** True while rows or counts are being fetched. */
  get busy() {
    return this.#inflight > 0;
  }

  /** Counts `work` as under way until it settles (see `busy`). */
  #track(work) {
    if (this.#inflight++ === 0) this.#onBusy(true);
    const done = () => {
      if (--this.#inflight === 0) this.#onBusy(false);
    };
    work.then(done, done);
    return work;
  }

  /** The reader's own articles changed: the next view is computed anew. */
  invalidate() {
    this.#generation++;
  }

  /**
   * The reader's marks changed: a list filtered by them is computed anew;
   * another keeps its rows, and only its unread and starred counts are.
   */
  marksChanged() {
    this.#marksGeneration++;
    const state = this.#state;
    if (!state || state.unread || state.starred) return;
    state.marks = this.#marks();
    this.#countMarks(state, this.#key);
  }

  /** The view for a list state (starts fetching its first rows when the state is new). */
  view(list) {
    const query = list.query.trim();
    const marks = this.#marks();
    const added = this.#added();
    const base = filtersOf(list);
    const filters = withMarks(base, list, marks);
    const sort = list.sort === 'oldest' ? 'oldest' : list.sort === 'relevance' && query ? 'relevance'
      : list.sort === 'newest' || list.sort === 'title' || !query ? 'newest' : 'relevance';
    // The marks are in the key through their generation (marksChanged()), not as their ids.
    const marked = list.unread || list.starred;
    const key = JSON.stringify([query, base, Boolean(list.unread), Boolean(list.starred), sort, this.#generation, marked ? this.#marksGeneration : 0, Boolean(added)]);
    if (key !== this.#key) {
      this.#key = key;
      const plain = !query && !Object.keys(filters).length;
      this.#state = { query, base, filters, sort, added, marks, plain, browse: plain && !added, unread: Boolean(list.unread), starred: Boolean(list.starred) };
      this.#asked = new Set();
      const total = this.#state.browse ? this.#source.size : 0;
      this.#view = { ids: new Array(total), snippets: new Map(), counts: this.#view.counts, total: this.#source.size + (added?.size ?? 0), sort, pending: true };
      if (plain && this.#counts) this.#track(this.#wholeFacets(added)).then((facets) => {
        if (this.#key === key) {
          this.#view.counts = { ...countsOf(facets, this.#view.total), ...this.#view.marked };
          this.#onChange();
        }
      }, this.#onError);
      this.#countMarks(this.#state, key);
      this.ensure(0);
    }
    return this.#view;
  }

  /** The facets of the whole collection, with the reader's own articles' added in. */
  async #wholeFacets(added) {
    const facets = await this.#source.facets(FACET_LIMIT);
    if (!added) return facets;
    const own = added.facets({});
    const merge = (a = [], b = []) => {
      const counts = new Map(a.map(({ value, count }) => [value, count]));
      for (const { value, count } of b) counts.set(value, (counts.get(value) ?? 0) + count);
      return [...counts].map(([value, count]) => ({ value, count })).sort((x, y) => y.count - x.count || String(x.value).localeCompare(String(y.value)));
    };
    return { categories: merge(facets.categories, own.categories), sources: merge(facets.sources, own.sources), years: merge(facets.years, own.years) };
  }

  /**
   * Counts the unread and starred articles the current search and filters
   * leave (what *unread only* and *starred only* would show).
   */
  #countMarks(state, key) {
    const { marks, added } = state;
    // Counting marks reads the id shards of the marked articles: on a large
    // collection, once the counts are wanted (as with facets).
    if (!this.#countsWanted && (marks.read.length || marks.starred.length)) {
      this.#view.marked = { unread: null, starred: null };
      Object.assign(this.#view.counts, this.#view.marked);
      return;
    }
    // The newest list rows (which the list shows first, and which hold the
    // articles read lately) tell the collection their ids' slots: marks on
    // them need no id shard.
    const newest = marks.read.length || marks.starred.length ? this.#source.entries(0, BROWSE_WINDOW).catch(() => null) : null;
    const count = async (filters) => {
      await newest;
      const result = await this.#source.search(state.query, { offset: 0, limit: 0, filters, sort: state.sort, snippetChars: 0, facetLimit: 0 }, added);
      return result.total;
    };
    const matching = !state.query && !Object.keys(state.base).length && !added ? Promise.resolve(this.#source.size) : count(state.base);
    this.#track(Promise.all([
      marks.read.length ? count({ ...state.base, exceptIds: marks.read }) : matching,
      marks.starred.length ? count({ ...state.base, ids: marks.starred }) : Promise.resolve(0),
    ])).then(([unread, starred]) => {
      if (this.#key !== key) return;
      const view = this.#view;
      view.marked = { unread, starred };
      view.counts = { ...view.counts, unread, starred };
      this.#onChange();
    }, this.#onError);
  }

  /**
   * Says that the filter counts are wanted (a filter control was reached):
   * counts the current search's matches, and every search's from now on.
   */
  wantCounts() {
    if (!this.#counts || this.#countsWanted) return;
    this.#countsWanted = true;
    const state = this.#state;
    if (state && !state.browse && this.#view.counts.uncounted && !this.#view.pending) this.#countFacets(state, this.#key);
    if (state) this.#countMarks(state, this.#key);
  }

  /** True when a search of `state` counts its facets. */
  #counted(state) {
    return this.#counts && (this.#countsWanted || Boolean(state.filters.categories || state.filters.sources));
  }

  #countFacets(state, key) {
    this.#track(this.#source.search(state.query, { offset: 0, limit: 0, filters: state.filters, sort: state.sort, snippetChars: 0, facetLimit: FACET_LIMIT }, state.added)).then((result) => {
      if (this.#key !== key) return;
      this.#view.counts = { ...countsOf(result.facets, result.total), ...this.#view.marked };
      this.#onChange();
    }, this.#onError);
  }

  /** Fetches the window of rows holding `index`, unless it is there or coming. */
  ensure(index) {
    const window = this.#state?.browse ? BROWSE_WINDOW : SEARCH_WINDOW;
    const start = Math.floor(index / window) * window;
    if (this.#asked.has(start)) return;
    this.#asked.add(start);
    const key = this.#key;
    const state = this.#state;
    this.#track(this.#fetch(state, start)).then(() => {
      if (this.#key === key) this.#onChange();
    }, (error) => {
      this.#asked.delete(start);
      if (this.#key === key) this.#onError(error);
    });
  }

  async #fetch(state, start) {
    const view = this.#view;
    if (state.browse) {
      const entries = await this.#source.entries(start, start + BROWSE_WINDOW, state.sort === 'oldest');
      entries.forEach((entry, i) => {
        this.#summaries.set(entry.id, entry);
        view.ids[start + i] = entry.id;
      });
      view.pending = false;
      return;
    }
    // Listing everything: its counts are the whole collection's (see view), not a search's.
    const counted = !state.plain && this.#counted(state);
    const result = await this.#source.search(state.query, {
      offset: start, limit: SEARCH_WINDOW, filters: state.filters, sort: state.sort, snippetChars: state.query ? 160 : 0,
      facetLimit: counted ? FACET_LIMIT : 0,
    }, state.added);
    if (view.pending) {
      view.ids.length = result.total;
      // Listing everything: the reader's copies of collection articles count once.
      if (state.plain) view.total = result.total;
      if (!state.plain || !this.#counts) {
        view.counts = counted ? countsOf(result.facets, result.total)
          : this.#counts ? uncountedOf(await this.#source.facets(FACET_LIMIT), result.total) : countsOf(null, result.total);
      }
      if (view.marked) Object.assign(view.counts, view.marked);
      view.pending = false;
      // Counts wanted while this search was under way.
      if (!counted && !state.plain && this.#counted(state) && this.#view === view) this.#countFacets(state, this.#key);
    }
    result.hits.forEach((hit, i) => {
      this.#summaries.set(hit.id, hit.entry);
      view.ids[start + i] = hit.id;
      if (state.query) view.snippets.set(hit.id, hit.snippet);
    });
  }
}
