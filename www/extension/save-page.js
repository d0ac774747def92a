// "Save this page": a web page's HTML and URL → the ingest module's
// main-article extraction (sanitised with the one policy) → an added article
// in the reading list's store, the same record the reading list keeps for a
// file the reader added. Runs in the extension's background (service worker
// or event page), which has no page to keep responsive and cannot start
// workers: it calls the ingest module itself. Its glue is imported here (a
// service worker cannot import later); the WebAssembly is fetched and
// compiled on the first save, not when the background starts.
import init, { extractArticle, version } from '../pkg/ingest.js';
import { openStore } from '../js/store.js';

let store = null;
let ingest = null;

/** Loads the ingest module (once; again after a failed try). */
function loadIngest() {
  ingest ??= init({ module_or_path: new URL('../pkg/ingest_bg.wasm', import.meta.url) }).catch((error) => {
    ingest = null;
    throw new Error(`the ingest module could not start: ${error.message}`);
  });
  return ingest;
}

/**
 * The article as an article file (JSON front matter, then its sanitised
 * HTML), named by its URL: what the reading list exports, and what it parses
 * again when a newer core arrives. Parsing it gives the same id (both derive
 * from the URL).
 */
export function articleFile(article) {
  const front = {
    title: article.title,
    link: article.link,
    ...(article.date ? { date: article.date } : {}),
    ...(article.author ? { author: article.author } : {}),
    ...(article.siteName ? { siteName: article.siteName } : {}),
    ...(article.lang ? { lang: article.lang } : {}),
    ...(article.image ? { image: article.image } : {}),
    ...(article.excerpt ? { excerpt: article.excerpt } : {}),
  };
  return `${JSON.stringify(front, null, 1)}\n;;;\n<div>\n${article.html}\n</div>\n`;
}

/**
 * Saves a page. Resolves to `{ ok: true, id, title, updated }` (updated: the
 * URL was saved before, and its copy was replaced) or `{ ok: false, error }`
 * (no article on the page: nothing is saved).
 * @param {{html: string, url: string}} page
 */
export async function saveDocument({ html, url }) {
  if (typeof html !== 'string' || typeof url !== 'string' || !/^https?:/i.test(url)) {
    return { ok: false, error: `only web pages (http or https) can be saved, not ${String(url).slice(0, 80)}` };
  }
  let article;
  try {
    await loadIngest();
    article = extractArticle(html, url);
  } catch (error) {
    return { ok: false, error: error.message };
  }
  store ??= await openStore();
  if (!store.persistent) {
    store = null;
    return { ok: false, error: 'the browser does not let the extension store anything (IndexedDB is unavailable)' };
  }
  const existing = await store.article(article.id);
  const now = Date.now();
  const record = {
    id: article.id,
    name: article.name,
    base: article.link ?? url,
    text: articleFile(article),
    article,
    coreVersion: version(),
    added: existing?.added ?? now,
    saved: now,
    kind: 'web-page',
  };
  await store.putArticles([record]);
  return { ok: true, id: article.id, title: article.title, updated: Boolean(existing) };
}
