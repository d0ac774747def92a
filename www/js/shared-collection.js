// Collections for <lectern-reader>: each collection a page shows is
// downloaded (through collection.js, the reading list's loader) and parsed
// into one Library (library.js) once, however many elements show it.
import { openLibrary } from './library.js';
import { fetchManifest, downloadCollection } from './collection.js';

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
 * One collection: downloaded once, parsed into one Library, however many
 * elements show it. Elements `subscribe` to its progress; `ready` settles
 * when it is complete (or rejects with a LoadError); `release()` by its last
 * user frees it.
 */
export class SharedCollection {
  library = null;
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
      onBatch: (files) => {
        if (this.#released) return;
        const result = library.addFiles(files);
        this.failures.push(...result.failures);
        for (const summary of result.added) this.summaries.set(summary.id, summary);
        this.#changed('articles');
      },
    }, this.base);
    this.failures.push(...downloadFailures);
    if (this.total > 0 && this.failures.length === this.total) {
      throw new LoadError('widgetFailed', { src: this.base, error: this.failures[0].error });
    }
  }
}
