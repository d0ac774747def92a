// The article library the page reads from: the reader module's `Library`
// (search, facets, the articles themselves), held in WASM memory so the page
// never keeps every article's HTML; and static collections, read a piece at a
// time. See README "Search" for the API and its semantics.
import * as reader from './reader.js';
import { StaticSource } from './collection.js';

/** Articles added per call: small enough that a call stays short. */
const SLICE = 8;
/** Main-thread time spent adding before the page gets to paint and answer input. */
const BUDGET_MS = 30;

/** Opens an empty library. */
export async function openLibrary() {
  return reader.createLibrary();
}

/**
 * A library from bytes made by `saveIndex()`. Throws when the bytes are of
 * another format or version (the caller then builds the library anew).
 */
export async function restoreLibrary(bytes) {
  return reader.loadLibrary(bytes);
}

/**
 * A static collection (built by `lectern index`) from its manifest: list
 * pages, searches and articles that download only what they need (see
 * collection.js StaticSource). `baseUrl` is the folder holding its
 * `collection/` (default: the page's).
 */
export async function openStaticCollection(manifest, baseUrl = document.baseURI) {
  const engine = await reader.createStaticCollection(manifest);
  return new StaticSource(manifest, engine, baseUrl);
}

/** What a list shows of an article: all of it but its body (html, text, outline). */
export function summaryOf(article) {
  const { html, text, outline, ...summary } = article;
  return summary;
}

/** Lets the page paint and answer input. */
function yieldToPage() {
  if (globalThis.scheduler?.yield) return globalThis.scheduler.yield();
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(null);
  });
}

/**
 * Adds parsed articles to a library a few at a time, giving the page the main
 * thread back every few tens of milliseconds, so that adding thousands (an
 * import, a restore at start) never freezes it.
 * @param {object} library a Library
 * @param {object[]} articles as the ingest module gives them
 */
export async function addInSlices(library, articles) {
  let started = performance.now();
  for (let at = 0; at < articles.length; at += SLICE) {
    library.addArticles(articles.slice(at, at + SLICE));
    if (at + SLICE < articles.length && performance.now() - started > BUDGET_MS) {
      await yieldToPage();
      started = performance.now();
    }
  }
}
