// The article library the page reads from: parse + index, search, facets.
//
// SEAM. The Rust search engine (a WASM `Library`, created through
// `createLibrary()` in core.js) has exactly the API of the `Library` class
// below. `openLibrary()` returns the Rust one as soon as core.js exports
// `createLibrary`; until then it returns this JavaScript stand-in, which
// parses with the core's `parseArticles` and matches substrings. Nothing else
// in the page knows which one it has: keep it that way, and keep this the only
// file to change when the Rust engine lands.
//
// Search semantics of the stand-in: the query is split into terms at
// whitespace ("quoted phrases" stay one term); an article matches when every
// term occurs, case-insensitively, in its title, categories, author or text.
// A query without spaces (any CJK word, say) is one term: a plain substring.
import * as core from './core.js';

/** Opens an empty library (the Rust engine when present, else the stand-in). */
export async function openLibrary() {
  await core.loadCore();
  if (typeof core.createLibrary === 'function') return core.createLibrary();
  return new Library();
}

/**
 * A library from bytes made by `saveIndex()`. Throws when the bytes are of
 * another format or version (the caller then builds the library anew).
 */
export async function restoreLibrary(bytes) {
  await core.loadCore();
  if (typeof core.createLibrary === 'function') {
    // The Rust engine: its static Library.loadIndex, exposed by core.js.
    if (typeof core.loadLibrary !== 'function') throw new Error('this core cannot load a saved library');
    return core.loadLibrary(bytes);
  }
  return Library.loadIndex(bytes);
}

const SNIPPET_CHARS = 180;
const SNIPPET_LEAD = 50;
const INDEX_FORMAT = 'lectern-js-library';
const INDEX_VERSION = 1;

/** Lower-cases for matching. Keeps UTF-16 offsets aligned with the input
 *  whenever lower-casing keeps the length (all but a few exotic letters). */
function fold(text) {
  return text.toLowerCase();
}

/** Splits a query into folded terms ("quoted phrases" kept together). */
export function queryTerms(query) {
  const terms = [];
  const pattern = /"([^"]*)"|(\S+)/g;
  for (const match of String(query ?? '').matchAll(pattern)) {
    const term = fold((match[1] ?? match[2]).replace(/\s+/g, ' ').trim());
    if (term && !terms.includes(term)) terms.push(term);
  }
  return terms;
}

/** A field prepared for matching: the text, its folded form, and (only when
 *  folding changed lengths) a map from folded offsets back to the original. */
function prepare(text) {
  const original = text ?? '';
  const folded = fold(original);
  if (folded.length === original.length) return { original, folded, map: null };
  // Slow path: fold code point by code point, remembering where each came from.
  let out = '';
  const map = [];
  let index = 0;
  for (const char of original) {
    const lower = fold(char);
    for (let k = 0; k < lower.length; k++) map.push(index);
    out += lower;
    index += char.length;
  }
  map.push(index);
  return { original, folded: out, map };
}

function toOriginal(field, offset) {
  return field.map ? field.map[offset] : offset;
}

function countOccurrences(haystack, needle, cap) {
  let count = 0;
  let at = haystack.indexOf(needle);
  while (at !== -1 && count < cap) {
    count++;
    at = haystack.indexOf(needle, at + needle.length);
  }
  return count;
}

/** An article without its heavy parts (html, text, outline). */
function summarise(article) {
  const { html, text, outline, ...summary } = article;
  return summary;
}

function yearOf(article) {
  return article.date ? article.date.slice(0, 4) : null;
}

/**
 * True when an article passes the filters: `categories`, `sources` and
 * `authors` keep articles having any of the listed values; `from` / `to` are
 * inclusive dates (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`, or RFC 3339) and drop
 * undated articles.
 */
export function matchesFilters(article, filters = {}) {
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

function countInto(map, value) {
  if (value === null || value === undefined || value === '') return;
  map.set(value, (map.get(value) ?? 0) + 1);
}

function sortedCounts(map, byValueDescending = false) {
  const list = [...map].map(([value, count]) => ({ value, count }));
  if (byValueDescending) list.sort((a, b) => b.value.localeCompare(a.value));
  else list.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
  return list;
}

/** Facet counts (categories, sources, years) over some articles. */
export function facetsOf(articles) {
  const categories = new Map();
  const sources = new Map();
  const years = new Map();
  for (const article of articles) {
    for (const category of new Set(article.categories)) countInto(categories, category);
    countInto(sources, article.source);
    countInto(years, yearOf(article));
  }
  return { categories: sortedCounts(categories), sources: sortedCounts(sources), years: sortedCounts(years, true) };
}

/** The JavaScript stand-in for the Rust `Library` (same API). */
export class Library {
  /** @type {Map<string, {article: object, fields: object|null}>} */
  #entries = new Map();
  #lastQuery = null;

  /**
   * Parses and adds article files; a file whose name is already in the
   * library replaces it.
   * @param {{name: string, text: string, base?: string}[]} files
   * @returns {{added: object[], failures: {name: string, error: string}[]}}
   */
  addFiles(files) {
    const added = [];
    const failures = [];
    for (const item of core.parseArticlesNow(files)) {
      if (item.error !== undefined) failures.push({ name: item.name, error: item.error });
      else {
        this.#put(item);
        added.push(summarise(item));
      }
    }
    return { added, failures };
  }

  /** Adds already-parsed articles (e.g. restored from storage). Returns how many. */
  addArticles(articles) {
    let count = 0;
    for (const article of articles ?? []) {
      if (article && typeof article.id === 'string' && typeof article.title === 'string') {
        this.#put(article);
        count++;
      }
    }
    return count;
  }

  #put(article) {
    this.#entries.set(article.id, { article, fields: null });
    this.#lastQuery = null;
  }

  /** Removes an article; true when it was there. */
  remove(id) {
    this.#lastQuery = null;
    return this.#entries.delete(id);
  }

  /** The full article (with html, text, outline), or undefined. */
  article(id) {
    return this.#entries.get(id)?.article;
  }

  /** Every article without html, text and outline. */
  summaries() {
    return [...this.#entries.values()].map((entry) => summarise(entry.article));
  }

  #fields(entry) {
    if (!entry.fields) {
      const { article } = entry;
      entry.fields = {
        title: prepare(article.title),
        meta: fold([...article.categories, article.author ?? ''].join('\n')),
        text: prepare(article.text),
      };
    }
    return entry.fields;
  }

  /** Ids and scores of the articles matching every term (memoised per query). */
  #match(terms) {
    const key = terms.join('\u0000');
    if (this.#lastQuery?.key === key) return this.#lastQuery.matches;
    const matches = [];
    for (const entry of this.#entries.values()) {
      const fields = this.#fields(entry);
      let score = 0;
      let all = true;
      for (const term of terms) {
        const inTitle = fields.title.folded.includes(term);
        const inMeta = fields.meta.includes(term);
        const inText = countOccurrences(fields.text.folded, term, 10);
        if (!inTitle && !inMeta && !inText) {
          all = false;
          break;
        }
        score += (inTitle ? 10 + (fields.title.folded.startsWith(term) ? 2 : 0) : 0) + (inMeta ? 4 : 0) + inText;
      }
      if (all) matches.push({ entry, score });
    }
    matches.sort((a, b) => b.score - a.score || (b.entry.article.date ?? '').localeCompare(a.entry.article.date ?? ''));
    this.#lastQuery = { key, matches };
    return matches;
  }

  /**
   * Searches. `options`: `limit` (20), `offset` (0), `filters` (see
   * matchesFilters). Snippet ranges are code point offsets into snippet.text.
   */
  search(query, options = {}) {
    const { limit = 20, offset = 0, filters = {} } = options ?? {};
    const terms = queryTerms(query);
    const matched = terms.length
      ? this.#match(terms).filter((m) => matchesFilters(m.entry.article, filters))
      : [...this.#entries.values()].filter((entry) => matchesFilters(entry.article, filters)).map((entry) => ({ entry, score: 0 }));
    const page = matched.slice(offset, offset + limit);
    return {
      total: matched.length,
      hits: page.map(({ entry, score }) => ({ id: entry.article.id, score, snippet: this.#snippet(entry, terms) })),
      facets: facetsOf(matched.map((m) => m.entry.article)),
    };
  }

  /** Facet counts over the articles passing `filters`. */
  facets(filters = {}) {
    return facetsOf([...this.#entries.values()].map((e) => e.article).filter((a) => matchesFilters(a, filters)));
  }

  #snippet(entry, terms) {
    const field = this.#fields(entry).text;
    const { original, folded } = field;
    let first = -1;
    for (const term of terms) {
      const at = folded.indexOf(term);
      if (at !== -1 && (first === -1 || at < first)) first = at;
    }
    const firstOriginal = first === -1 ? 0 : toOriginal(field, first);
    // A window of about SNIPPET_CHARS code points, the first hit SNIPPET_LEAD in.
    let start = 0;
    if (firstOriginal > SNIPPET_LEAD) {
      start = firstOriginal;
      for (let n = 0; n < SNIPPET_LEAD && start > 0; n++) start -= isLowSurrogate(original, start - 1) ? 2 : 1;
      const space = original.lastIndexOf(' ', start + 12);
      if (space > start && space < firstOriginal) start = space + 1;
    }
    let end = start;
    for (let n = 0; n < SNIPPET_CHARS && end < original.length; n++) end += isHighSurrogate(original, end) ? 2 : 1;
    end = Math.min(end, original.length);
    const prefix = start > 0 ? '…' : '';
    const suffix = end < original.length ? '…' : '';
    const text = prefix + original.slice(start, end).replace(/\s+/g, ' ') + suffix;
    // Ranges of every term inside the window, merged, in code points.
    const spans = [];
    for (const term of terms) {
      let at = folded.indexOf(term);
      while (at !== -1) {
        const s = toOriginal(field, at);
        const e = toOriginal(field, at + term.length);
        if (s >= end) break;
        if (e > start) spans.push([Math.max(s, start), Math.min(e, end)]);
        at = folded.indexOf(term, at + Math.max(term.length, 1));
      }
    }
    spans.sort((a, b) => a[0] - b[0]);
    const merged = [];
    for (const span of spans) {
      const last = merged[merged.length - 1];
      if (last && span[0] < last[1]) last[1] = Math.max(last[1], span[1]);
      else merged.push([...span]);
    }
    // Whitespace runs were collapsed: count code points in the collapsed window.
    const window = original.slice(start, end);
    const lead = prefix ? 1 : 0;
    const position = (index) => lead + collapsedCodePoints(window, index - start);
    return { text, ranges: merged.map(([s, e]) => [position(s), position(e)]) };
  }

  /** The library as bytes (a versioned JSON of its articles). */
  saveIndex() {
    const payload = { format: INDEX_FORMAT, version: INDEX_VERSION, articles: [...this.#entries.values()].map((e) => e.article) };
    return new TextEncoder().encode(JSON.stringify(payload));
  }

  /** A library from saveIndex() bytes; throws on another format or version. */
  static loadIndex(bytes) {
    const payload = JSON.parse(new TextDecoder().decode(bytes));
    if (payload?.format !== INDEX_FORMAT) throw new Error('not a saved Lectern library');
    if (payload.version !== INDEX_VERSION) {
      throw new Error(`saved library format version ${payload.version} is not supported (this page reads version ${INDEX_VERSION})`);
    }
    const library = new Library();
    library.addArticles(payload.articles);
    return library;
  }
}

function isHighSurrogate(text, index) {
  const c = text.charCodeAt(index);
  return c >= 0xd800 && c <= 0xdbff;
}

function isLowSurrogate(text, index) {
  const c = text.charCodeAt(index);
  return c >= 0xdc00 && c <= 0xdfff;
}

/** Code points in `text.slice(0, end)` once whitespace runs count as one. */
function collapsedCodePoints(text, end) {
  let count = 0;
  let inSpace = false;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const space = /\s/.test(text[i]);
    if (space) {
      if (!inSpace) count++;
      inSpace = true;
      continue;
    }
    inSpace = false;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < end) i++;
    count++;
  }
  return count;
}
