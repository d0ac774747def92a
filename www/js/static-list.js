// The list over a static collection (built by `lectern index`): what the list
// shows for a search, filters and sort, fetched a window of rows at a time
// (list pages when nothing is searched or filtered, else the core's search on
// the collection's shards). Rows not fetched yet are holes in `view.ids`.
import { dateBounds } from './list-view.js';

/** Rows fetched at a time: a list page when browsing, fewer for a search (each hit is a file). */
const BROWSE_WINDOW = 50;
const SEARCH_WINDOW = 10;
/** Values per facet when a search's counts are asked for. */
const FACET_LIMIT = 100;

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

function countsOf(facets, total) {
  const map = (list, key = (v) => v) => new Map((list ?? []).map(({ value, count }) => [key(value), count]));
  return {
    categories: map(facets?.categories), sources: map(facets?.sources), years: map(facets?.years, String),
    unread: 0, starred: 0, all: total, totals: { category: total, source: total, year: total },
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

export class StaticList {
  #source;
  #summaries;
  #onChange;
  #onError;
  #counts;
  #countsWanted = false;
  #key = null;
  #state = null;
  #asked = new Set();
  #view = { ids: [], snippets: new Map(), counts: countsOf(null, 0), total: 0, sort: 'newest' };

  /**
   * @param {import('./collection.js').StaticSource} source
   * @param {Map<string, object>} summaries where fetched entries are kept (by id)
   * @param {() => void} onChange called when rows or counts arrive
   * @param {(error: Error) => void} onError
   * @param {{counts?: boolean}} [options] `counts: false`: a list that shows no
   *   facet counts (the whole collection's are not fetched when browsing, nor
   *   a search's). Otherwise a search's counts are fetched once they are
   *   wanted ({@link StaticList#wantCounts}), or when it filters by category
   *   or source (which reads the same files).
   */
  constructor(source, summaries, onChange, onError, { counts = true } = {}) {
    this.#source = source;
    this.#summaries = summaries;
    this.#onChange = onChange;
    this.#onError = onError;
    this.#counts = counts;
  }

  /** The view for a list state (starts fetching its first rows when the state is new). */
  view(list) {
    const query = list.query.trim();
    const filters = filtersOf(list);
    const sort = list.sort === 'oldest' ? 'oldest' : list.sort === 'relevance' && query ? 'relevance'
      : list.sort === 'newest' || list.sort === 'title' || !query ? 'newest' : 'relevance';
    const key = JSON.stringify([query, filters, sort]);
    if (key !== this.#key) {
      this.#key = key;
      this.#state = { query, filters, sort, browse: !query && !Object.keys(filters).length };
      this.#asked = new Set();
      const total = this.#state.browse ? this.#source.size : 0;
      this.#view = { ids: new Array(total), snippets: new Map(), counts: this.#view.counts, total: this.#source.size, sort, pending: true };
      if (this.#state.browse && this.#counts) this.#source.facets().then((facets) => {
        if (this.#key === key) {
          this.#view.counts = countsOf(facets, this.#source.size);
          this.#onChange();
        }
      }, this.#onError);
      this.ensure(0);
    }
    return this.#view;
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
  }

  /** True when a search of `state` counts its facets. */
  #counted(state) {
    return this.#counts && (this.#countsWanted || Boolean(state.filters.categories || state.filters.sources));
  }

  #countFacets(state, key) {
    this.#source.search(state.query, { offset: 0, limit: 0, filters: state.filters, sort: state.sort, snippetChars: 0, facetLimit: FACET_LIMIT }).then((result) => {
      if (this.#key !== key) return;
      this.#view.counts = countsOf(result.facets, result.total);
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
    this.#fetch(state, start).then(() => {
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
    const counted = this.#counted(state);
    const result = await this.#source.search(state.query, {
      offset: start, limit: SEARCH_WINDOW, filters: state.filters, sort: state.sort, snippetChars: state.query ? 160 : 0,
      facetLimit: counted ? FACET_LIMIT : 0,
    });
    if (view.pending) {
      view.ids.length = result.total;
      view.counts = counted ? countsOf(result.facets, result.total)
        : this.#counts ? uncountedOf(await this.#source.facets(FACET_LIMIT), result.total) : countsOf(null, result.total);
      view.pending = false;
      // Counts wanted while this search was under way.
      if (!counted && this.#counted(state) && this.#view === view) this.#countFacets(state, this.#key);
    }
    result.hits.forEach((hit, i) => {
      this.#summaries.set(hit.id, hit.entry);
      view.ids[start + i] = hit.id;
      if (state.query) view.snippets.set(hit.id, hit.snippet);
    });
  }
}
