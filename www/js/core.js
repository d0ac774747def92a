// The one module that owns the WASM core: loads it once and exposes a small
// async API. Nothing else imports ../pkg/.
import init, * as wasm from '../pkg/lectern.js';

let ready = null;

/** Loads and initialises the WASM core (once, however often it is called). */
export function loadCore() {
  if (!ready) {
    ready = init({ module_or_path: new URL('../pkg/lectern_bg.wasm', import.meta.url) }).then(() => wasm);
  }
  return ready;
}

/**
 * Parses article files in batches, reporting progress.
 * @param {{name: string, text: string, base?: string}[]} files
 * @param {(done: number, total: number) => void} [onProgress]
 * @returns {Promise<{articles: object[], failures: {name: string, error: string}[]}>}
 */
export async function parseArticles(files, onProgress = () => {}) {
  const core = await loadCore();
  const articles = [];
  const failures = [];
  const batch = 64;
  for (let start = 0; start < files.length; start += batch) {
    const results = core.parseArticles(files.slice(start, start + batch));
    for (const item of results) {
      if (item.error !== undefined) failures.push(item);
      else articles.push(item);
    }
    onProgress(Math.min(start + batch, files.length), files.length);
    // Let the page paint between batches.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return { articles, failures };
}

/** Sanitises HTML with the core's policy. */
export async function sanitize(html) {
  return (await loadCore()).sanitize(html);
}

/** The core's sanitiser, synchronously; only after loadCore() resolved. */
export function sanitizeNow(html) {
  if (!ready) throw new Error('the Lectern core is not loaded yet');
  return wasm.sanitize(html);
}

/**
 * A new, empty Library: parsed articles and their search index, held by the
 * WASM core (see README "Search"). Resolves once the core is loaded.
 * @returns {Promise<object>} a `Library` (addFiles, addArticles, remove, article,
 *   summaries, search, facets, saveIndex, size)
 */
export async function createLibrary() {
  const core = await loadCore();
  return new core.Library();
}

/**
 * Restores a Library from bytes written by `lib.saveIndex()`. Rejects with an
 * Error that says so when the bytes come from another format version (rebuild
 * from the articles then) or are damaged.
 * @param {Uint8Array} bytes
 */
export async function loadLibrary(bytes) {
  const core = await loadCore();
  return core.Library.loadIndex(bytes);
}

/**
 * Adds article files to a Library in batches, reporting progress and letting
 * the page paint between batches.
 * @param {object} library a Library from createLibrary()
 * @param {{name: string, text: string, base?: string}[]} files
 * @param {(done: number, total: number) => void} [onProgress]
 * @returns {Promise<{added: object[], failures: {name: string, error: string}[]}>}
 */
export async function addFilesToLibrary(library, files, onProgress = () => {}) {
  const added = [];
  const failures = [];
  const batch = 64;
  for (let start = 0; start < files.length; start += batch) {
    const result = library.addFiles(files.slice(start, start + batch));
    added.push(...result.added);
    failures.push(...result.failures);
    onProgress(Math.min(start + batch, files.length), files.length);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return { added, failures };
}

/**
 * Splits a search snippet into plain and marked parts, for rendering with DOM
 * calls (`<mark>` via textContent). Ranges are Unicode code point offsets.
 * @param {{text: string, ranges: [number, number][]}} snippet
 * @returns {{text: string, marked: boolean}[]}
 */
export function snippetParts(snippet) {
  const chars = Array.from(snippet.text);
  const parts = [];
  let at = 0;
  for (const [start, end] of snippet.ranges) {
    if (start > at) parts.push({ text: chars.slice(at, start).join(''), marked: false });
    if (end > start) parts.push({ text: chars.slice(start, end).join(''), marked: true });
    at = Math.max(at, end);
  }
  if (at < chars.length) parts.push({ text: chars.slice(at).join(''), marked: false });
  return parts;
}

/**
 * Parses article files synchronously; only after loadCore() resolved. Returns
 * one item per file, in order: an article, or `{ name, error }`.
 * @param {{name: string, text: string, base?: string}[]} files
 */
export function parseArticlesNow(files) {
  if (!ready) throw new Error('the Lectern core is not loaded yet');
  return wasm.parseArticles(files);
}

/** The core's version (to tell whether stored parsed articles are current). */
export function coreVersion() {
  if (!ready) throw new Error('the Lectern core is not loaded yet');
  return wasm.version();
}

/**
 * The main article of a web page (its whole HTML and its URL), as an article
 * sanitised with the same policy (see README "Saving a web page"). Rejects
 * with an Error "no article found on this page: ..." when there is none.
 * @param {string} html
 * @param {string} url
 */
export async function extractArticle(html, url) {
  const core = await loadCore();
  return core.extractArticle(html, url);
}

/**
 * The core's reader of a static collection (see README "Static collections"),
 * from its parsed manifest. Throws when the manifest is of another format version.
 * @param {object} manifest
 */
export async function createStaticCollection(manifest) {
  const core = await loadCore();
  return new core.StaticCollection(manifest);
}
