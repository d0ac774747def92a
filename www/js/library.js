// The article library the page reads from: the WASM core's `Library`
// (parse + index, search, facets), held in Rust memory so the page never keeps
// every article's HTML. See README "Search" for its API and semantics.
import * as core from './core.js';

/** Opens an empty library. */
export async function openLibrary() {
  return core.createLibrary();
}

/**
 * A library from bytes made by `saveIndex()`. Throws when the bytes are of
 * another format or version (the caller then builds the library anew).
 */
export async function restoreLibrary(bytes) {
  return core.loadLibrary(bytes);
}
