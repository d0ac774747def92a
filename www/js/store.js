// What the page remembers, in IndexedDB (through the `idb` wrapper): read and
// starred marks with reading positions, the articles the reader added (their
// source files, and the parsed article for a quick start), and settings.
// Plus the reading-list file format for export and import.
import { openDB } from '../vendor/idb.js';

const DB_NAME = 'lectern';
const DB_VERSION = 2;

/** Size of the pieces the saved collection is stored in. */
const CHUNK_BYTES = 8 * 1024 * 1024;

/** Format name and version of an exported reading list. */
export const READING_LIST_FORMAT = 'lectern-reading-list';
export const READING_LIST_VERSION = 1;

/** A storage failure, with `quota` true when the browser ran out of space. */
export class StorageError extends Error {
  constructor(cause) {
    super(cause?.message || String(cause));
    this.name = 'StorageError';
    this.quota = isQuotaError(cause);
    this.cause = cause;
  }
}

function isQuotaError(error) {
  if (!error) return false;
  if (error.name === 'QuotaExceededError') return true;
  return isQuotaError(error.cause) || (error.inner && isQuotaError(error.inner));
}

/**
 * Added articles changed in another page or worker of this origin (another
 * tab of the reading list, the extension's "save this page"): one channel for
 * the whole context, so a page does not hear its own announcements.
 */
const changes = typeof BroadcastChannel === 'function' ? new BroadcastChannel('lectern-store') : null;

/**
 * Calls `callback(ids)` when another page or worker of this origin saved,
 * replaced or removed added articles. Returns a function that stops listening.
 * @param {(ids: string[]) => void} callback
 */
export function onArticlesChanged(callback) {
  if (!changes) return () => {};
  const listener = (event) => {
    if (event.data?.type === 'articles' && Array.isArray(event.data.ids)) callback(event.data.ids.filter((id) => typeof id === 'string'));
  };
  changes.addEventListener('message', listener);
  return () => changes.removeEventListener('message', listener);
}

/** A mark: read / starred / position (0..1 of the article scrolled). */
export function emptyMark(id) {
  return { id, read: false, starred: false, position: 0, updated: 0 };
}

/**
 * Opens the store. Resolves to a Store; when IndexedDB is unavailable (some
 * private modes) to a Store that keeps everything in memory, with `persistent`
 * false so the page can say so.
 */
export async function openStore() {
  try {
    const db = await openDB(DB_NAME, DB_VERSION, {
      upgrade(database, oldVersion) {
        if (oldVersion < 1) {
          database.createObjectStore('marks', { keyPath: 'id' });
          database.createObjectStore('articles', { keyPath: 'id' });
          database.createObjectStore('settings');
        }
        // Version 2: a copy of the served collection, to start without downloading it.
        if (oldVersion < 2) database.createObjectStore('collection');
      },
      blocked() {},
    });
    return new Store(db);
  } catch (error) {
    console.warn(`IndexedDB is unavailable: ${error.message}`);
    return new Store(null);
  }
}

class Store {
  #db;
  #memory = { marks: new Map(), articles: new Map(), settings: new Map() };

  constructor(db) {
    this.#db = db;
  }

  /** False when nothing survives a reload. */
  get persistent() {
    return this.#db !== null;
  }

  async #run(work) {
    try {
      return await work();
    } catch (error) {
      throw new StorageError(error);
    }
  }

  /** Every mark, as a Map id → mark. */
  async marks() {
    if (!this.#db) return new Map(this.#memory.marks);
    const all = await this.#run(() => this.#db.getAll('marks'));
    return new Map(all.map((mark) => [mark.id, mark]));
  }

  /** Saves marks (one transaction: all or none). */
  async putMarks(marks) {
    if (!this.#db) {
      for (const mark of marks) this.#memory.marks.set(mark.id, mark);
      return;
    }
    await this.#run(async () => {
      const tx = this.#db.transaction('marks', 'readwrite');
      await Promise.all([...marks.map((mark) => tx.store.put(mark)), tx.done]);
    });
  }

  /** The added articles: [{id, name, base, text, article, coreVersion, added}]. */
  async articles() {
    if (!this.#db) return [...this.#memory.articles.values()];
    return this.#run(() => this.#db.getAll('articles'));
  }

  /** One added article by id, or undefined. */
  async article(id) {
    if (!this.#db) return this.#memory.articles.get(id);
    return this.#run(() => this.#db.get('articles', id));
  }

  /**
   * Saves added articles (one transaction: all or none), and tells the other
   * pages of this origin (see onArticlesChanged).
   */
  async putArticles(records) {
    if (!this.#db) {
      for (const record of records) this.#memory.articles.set(record.id, record);
      return;
    }
    await this.#run(async () => {
      const tx = this.#db.transaction('articles', 'readwrite');
      await Promise.all([...records.map((record) => tx.store.put(record)), tx.done]);
    });
    if (records.length) changes?.postMessage({ type: 'articles', ids: records.map((record) => record.id) });
  }

  /** Removes added articles by id, and tells the other pages of this origin. */
  async deleteArticles(ids) {
    if (!this.#db) {
      for (const id of ids) this.#memory.articles.delete(id);
      return;
    }
    await this.#run(async () => {
      const tx = this.#db.transaction('articles', 'readwrite');
      await Promise.all([...ids.map((id) => tx.store.delete(id)), tx.done]);
    });
    if (ids.length) changes?.postMessage({ type: 'articles', ids: [...ids] });
  }

  /** The saved copy of the served collection ({..., index: Uint8Array}), or undefined. */
  async collectionCache() {
    if (!this.#db) return undefined;
    return this.#run(async () => {
      const tx = this.#db.transaction('collection');
      const record = await tx.store.get('served');
      if (!record) return undefined;
      const chunks = await Promise.all(Array.from({ length: record.chunks }, (_, i) => tx.store.get(`served-${i}`)));
      if (chunks.some((chunk) => !(chunk instanceof Uint8Array))) return undefined;
      const index = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
      let at = 0;
      for (const chunk of chunks) {
        index.set(chunk, at);
        at += chunk.length;
      }
      return { ...record, index };
    });
  }

  /**
   * Saves the copy of the served collection, replacing the previous one, in
   * one transaction. The index is kept in pieces: browsers refuse single
   * values of a few hundred megabytes.
   */
  async putCollectionCache({ index, ...record }) {
    if (!this.#db) return;
    const size = CHUNK_BYTES;
    const chunks = Math.ceil(index.length / size);
    await this.#run(async () => {
      const tx = this.#db.transaction('collection', 'readwrite');
      const writes = [tx.store.clear()];
      for (let i = 0; i < chunks; i++) writes.push(tx.store.put(index.slice(i * size, (i + 1) * size), `served-${i}`));
      writes.push(tx.store.put({ ...record, chunks }, 'served'));
      await Promise.all([...writes, tx.done]);
    });
  }

  /** The settings object ({} when none saved). */
  async settings() {
    if (!this.#db) return Object.fromEntries(this.#memory.settings);
    const value = await this.#run(() => this.#db.get('settings', 'settings'));
    return value ?? {};
  }

  /** Saves the settings object. */
  async putSettings(settings) {
    if (!this.#db) {
      this.#memory.settings = new Map(Object.entries(settings));
      return;
    }
    await this.#run(() => this.#db.put('settings', settings, 'settings'));
  }
}

/**
 * The reading list as a JSON-ready object.
 * @param {{marks: Iterable<object>, articles: object[], settings: object}} state
 */
export function exportReadingList({ marks, articles, settings }) {
  return {
    format: READING_LIST_FORMAT,
    version: READING_LIST_VERSION,
    exported: new Date().toISOString(),
    marks: [...marks].filter((m) => m.read || m.starred || m.position > 0).map(({ id, read, starred, position, updated }) => ({ id, read, starred, position, updated })),
    articles: articles.map(({ name, base, text, added }) => ({ name, ...(base ? { base } : {}), text, added })),
    settings,
  };
}

/** A reading-list file that cannot be imported, with the reason as `code`. */
export class ReadingListError extends Error {
  constructor(code, values = {}) {
    super(code);
    this.code = code;
    this.values = values;
  }
}

/**
 * Reads an exported reading list; throws ReadingListError ('badJson',
 * 'notReadingList', 'newerReadingList') when it cannot be used. Entries with
 * the wrong shape are skipped.
 */
export function parseReadingList(text) {
  let data;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new ReadingListError('badJson', { error: error.message });
  }
  if (!data || typeof data !== 'object' || data.format !== READING_LIST_FORMAT) throw new ReadingListError('notReadingList');
  if (!Number.isInteger(data.version) || data.version > READING_LIST_VERSION || data.version < 1) {
    throw new ReadingListError('newerReadingList', { version: data.version, supported: READING_LIST_VERSION });
  }
  const marks = (Array.isArray(data.marks) ? data.marks : [])
    .filter((m) => m && typeof m.id === 'string')
    .map((m) => ({
      id: m.id,
      read: m.read === true,
      starred: m.starred === true,
      position: Number.isFinite(m.position) ? Math.min(Math.max(m.position, 0), 1) : 0,
      updated: Number.isFinite(m.updated) ? m.updated : 0,
    }));
  const articles = (Array.isArray(data.articles) ? data.articles : [])
    .filter((a) => a && typeof a.name === 'string' && typeof a.text === 'string')
    .map((a) => ({ name: a.name, text: a.text, ...(typeof a.base === 'string' ? { base: a.base } : {}), added: Number.isFinite(a.added) ? a.added : Date.now() }));
  const settings = data.settings && typeof data.settings === 'object' ? data.settings : {};
  return { marks, articles, settings };
}
