// The one module that owns the reader WebAssembly module (pkg/reader.js, built
// from crates/wasm-reader): it loads it once and exposes a small async API.
// The reader shows and searches collections that are already read: a Library
// of parsed articles held in WASM memory, and static collections built by
// `lectern index`. It parses nothing; reading files is ingest.js's job (the
// ingest module, in a Web Worker). Nothing else imports ../pkg/reader.js.
import init, * as wasm from '../pkg/reader.js';

let ready = null;

/** Loads and initialises the reader module (once, however often it is called). */
export function loadReader() {
  if (!ready) {
    ready = init({ module_or_path: new URL('../pkg/reader_bg.wasm', import.meta.url) }).then(() => wasm);
    ready.catch(() => { ready = null; }); // a failed download is tried again next time
  }
  return ready;
}

/**
 * A new, empty Library: parsed articles and their search index, held by the
 * reader module (see README "Search"). Articles come from the ingest module
 * (`ingest.js` parseFiles) or from storage, through `library.addArticles`.
 * @returns {Promise<object>} a `Library` (addArticles, remove, article,
 *   summaries, search, facets, saveIndex, size)
 */
export async function createLibrary() {
  const reader = await loadReader();
  return new reader.Library();
}

/**
 * Restores a Library from bytes written by `lib.saveIndex()`. Rejects with an
 * Error that says so when the bytes come from another format version (rebuild
 * from the articles then) or are damaged.
 * @param {Uint8Array} bytes
 */
export async function loadLibrary(bytes) {
  const reader = await loadReader();
  return reader.Library.loadIndex(bytes);
}

/**
 * The reader of a static collection (see README "Static collections"), from
 * its parsed manifest. Throws when the manifest is of another format version.
 * @param {object} manifest
 */
export async function createStaticCollection(manifest) {
  const reader = await loadReader();
  return new reader.StaticCollection(manifest);
}

/**
 * The version of the article format the modules share (to tell whether stored
 * parsed articles are current); only after loadReader() resolved.
 */
export function articleVersion() {
  if (!ready) throw new Error('the Lectern reader is not loaded yet');
  return wasm.version();
}

/**
 * The sanitiser's policy as a Sanitizer API configuration (the elements and
 * attributes Lectern's sanitiser keeps), for html-sink.js; only after
 * loadReader() resolved.
 */
export function sanitizerConfig() {
  if (!ready) throw new Error('the Lectern reader is not loaded yet');
  return wasm.sanitizerConfig();
}
