// The article library the page reads from: the WASM core's `Library`
// (parse + index, search, facets), held in Rust memory so the page never keeps
// every article's HTML. See README "Search" for its API and semantics.
import * as core from './core.js';
import { StaticSource } from './collection.js';

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

/**
 * A static collection (built by `lectern index`) from its manifest: list
 * pages, searches and articles that download only what they need (see
 * collection.js StaticSource). `baseUrl` is the folder holding its
 * `collection/` (default: the page's).
 */
export async function openStaticCollection(manifest, baseUrl = document.baseURI) {
  const engine = await core.createStaticCollection(manifest);
  return new StaticSource(manifest, engine, baseUrl);
}
