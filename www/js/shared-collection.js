// Collections for <lectern-reader>: each collection a page shows is opened
// once, however many elements show it. A static collection (built by
// `lectern index`, or served by `lectern serve DIR`) is opened as one
// StaticSource (collection.js), which downloads only the list pages, shards
// and articles asked for, with the reader module alone. A plain folder of
// article files on a static host (`./build.sh dist`) is downloaded through
// collection.js, the reading list's loader, parsed by the ingest module in a
// worker (ingest.js) and kept in one Library (library.js).
import { openLibrary, openStaticCollection, addInSlices, summaryOf } from './library.js';
import { parseFiles } from './ingest.js';
import { fetchManifest, downloadCollection, isStaticCollection } from './collection.js';

/**
 * The folder of a collection from a `src`: the address `lectern serve` prints,
 * a static copy's folder (the one holding collection/), or a page in it.
 */
export function collectionBase(src, baseUri = document.baseURI) {
  const url = new URL(src, baseUri);
  url.hash = '';
  url.search = '';
  const last = url.pathname.split('/').pop();
  if (last && !last.includes('.')) url.pathname += '/';
  return new URL('./', url).href;
}

/** Why a load failed: `code` is an i18n key filled with `values`. */
export class LoadError extends Error {
  constructor(code, values, cause) {
    super(code);
    this.code = code;
    this.values = values;
    this.cause = cause;
  }
}

/** Collections this page loaded, by base address: elements showing the same one share it. */
const collections = new Map();

/**
 * One collection, however many elements show it: a folder downloaded once and
 * parsed into one Library (`library`), or a static collection opened once
 * (`source`, a StaticSource). Elements `subscribe` to its progress; `ready`
 * settles when it can be shown (or rejects with a LoadError); `release()` by
 * its last user frees it.
 */
export class SharedCollection {
  library = null;
  /** A static collection's StaticSource (null for a folder). */
  source = null;
  /** Article summaries by id: all of a folder's; the list entries fetched so far of a static collection. */
  summaries = new Map();
  failures = [];
  total = 0;
  downloaded = 0;
  #users = 0;
  #listeners = new Set();
  #released = false;

  constructor(base) {
    this.base = base;
    this.ready = this.#load();
    // Failed: forget it, so "Try again" asks the server anew.
    this.ready.catch(() => collections.get(base) === this && collections.delete(base));
  }

  /** The number of articles (of a folder: those parsed so far). */
  get size() {
    return this.source ? this.source.size : this.summaries.size;
  }

  static acquire(base) {
    let collection = collections.get(base);
    if (!collection) {
      collection = new SharedCollection(base);
      collections.set(base, collection);
    }
    collection.#users++;
    return collection;
  }

  /**
   * Calls `listener(kind)` as the download goes: 'progress' for each file
   * downloaded, 'articles' when parsed articles were added. Returns the
   * unsubscribe function.
   */
  subscribe(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  release() {
    if (--this.#users > 0) return;
    this.#released = true;
    if (collections.get(this.base) === this) collections.delete(this.base);
    this.library?.free?.();
    this.library = null;
    this.source?.free();
    this.source = null;
  }

  #changed(kind) {
    for (const listener of this.#listeners) listener(kind);
  }

  async #load() {
    let manifest;
    try {
      manifest = await fetchManifest(this.base);
    } catch (error) {
      if (error instanceof TypeError) throw new LoadError('widgetUnreachable', { src: this.base }, error);
      throw new LoadError('widgetFailed', { src: this.base, error: error.message }, error);
    }
    if (!manifest) throw new LoadError('widgetNoCollection', { src: this.base });
    if (isStaticCollection(manifest)) {
      await this.#openStatic(manifest);
      return;
    }
    const library = await openLibrary();
    if (this.#released) {
      library.free?.();
      return;
    }
    this.library = library;
    this.total = manifest.files.length;
    const downloadFailures = await downloadCollection(manifest, {
      onProgress: (done) => {
        this.downloaded = done;
        this.#changed('progress');
      },
      onBatch: (files) => parseFiles(files, async (items) => {
        if (this.#released) return;
        const articles = items.filter((item) => item.error === undefined);
        this.failures.push(...items.filter((item) => item.error !== undefined));
        await addInSlices(library, articles);
        for (const article of articles) this.summaries.set(article.id, summaryOf(article));
        this.#changed('articles');
      }),
    }, this.base).catch((error) => {
      throw new LoadError('widgetFailed', { src: this.base, error: error.message }, error);
    });
    this.failures.push(...downloadFailures);
    if (this.total > 0 && this.failures.length === this.total) {
      throw new LoadError('widgetFailed', { src: this.base, error: this.failures[0].error });
    }
  }

  /**
   * Opens a static collection: the core's reader of its manifest (which
   * refuses another format version) and the list page of its newest
   * article, nothing more (the index, shards and articles come when a
   * search or an article asks for them).
   */
  async #openStatic(manifest) {
    let source = null;
    try {
      source = await openStaticCollection(manifest, this.base);
      if (source.size > 0) await source.entries(0, 1);
    } catch (error) {
      source?.free();
      if (error instanceof TypeError && /fetch/i.test(error.message)) throw new LoadError('widgetUnreachable', { src: this.base }, error);
      throw new LoadError('widgetFailed', { src: this.base, error: error.message }, error);
    }
    if (this.#released) {
      source.free();
      return;
    }
    this.source = source;
  }
}
