// Pagefind (npm `pagefind`, its extended binary) on the benchmark's articles
// rendered as pages: one HTML page per article, indexed as one language so a
// search covers every article, as Lectern's does.
import { mkdirSync, writeFileSync, readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { PAGEFIND } from './paths.mjs';
import { folderSize } from './files.mjs';
import { measureCommand, parseNativeEach } from './native.mjs';

const escape = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** An article's page: title, categories and author as text, then `bodyHtml`, inside Pagefind's body. */
function pageHtml({ lang, title, categories, author }, bodyHtml) {
  return `<!doctype html>\n<html lang="${escape(lang || 'en')}"><head><meta charset="utf-8"><title>${escape(title)}</title></head>\n`
    + `<body><main data-pagefind-body>\n<h1>${escape(title)}</h1>\n<p>${escape(categories.join(' · '))}</p>\n<p>${escape(author)}</p>\n${bodyHtml}\n</main></body></html>\n`;
}

/**
 * Writes `copies` replicas of every doc as pages under `dir` (x0/0.html, ...),
 * the body being the doc's plain text as paragraphs. Returns the map from page
 * URL ('/x0/0.html') to the doc's name in the same form the other engines use
 * ('x0/<name>').
 */
export function writeSite(docs, copies, dir) {
  const byUrl = new Map();
  for (let c = 0; c < copies; c++) {
    mkdirSync(path.join(dir, `x${c}`), { recursive: true });
    docs.forEach((doc, i) => {
      const paragraphs = doc.text.split('\n').filter((p) => p.trim()).map((p) => `<p>${escape(p)}</p>`).join('\n');
      writeFileSync(path.join(dir, `x${c}`, `${i}.html`), pageHtml({ ...doc, categories: doc.categories.split('\n').filter(Boolean) }, paragraphs));
      byUrl.set(`/x${c}/${i}.html`, `x${c}/${doc.name}`);
    });
  }
  return byUrl;
}

/**
 * Writes every article of the folders `sources` as a page under `dir`
 * (p0/0.html, ... 1,000 a folder), its body the article's sanitised HTML
 * (Lectern's native parse, streamed: fit for 100,000 articles). Resolves with
 * `{ pages, failures }`.
 */
export async function writeArticlePages(sources, dir) {
  let pages = 0;
  const { failures } = await parseNativeEach(sources, (article) => {
    const folder = path.join(dir, `p${Math.floor(pages / 1000)}`);
    if (pages % 1000 === 0) mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, `${pages % 1000}.html`), pageHtml({ ...article, categories: article.categories ?? [] }, article.html ?? ''));
    pages++;
  });
  return { pages, failures };
}

/**
 * Runs the extended binary on `dir` (one index, language zh); resolves with
 * `{ ms, peakRssBytes }`, or rejects with its error output.
 */
export async function buildIndex(dir) {
  const run = await measureCommand(PAGEFIND, ['--site', dir, '--output-subdir', 'pagefind', '--force-language', 'zh', '--quiet']);
  if (run.code !== 0 || run.signal) throw new Error(`pagefind failed (${run.signal ? `signal ${run.signal}` : `exit ${run.code}`}): ${run.stderr}`);
  return { ms: run.ms, peakRssBytes: run.peakRssBytes };
}

/** Result id (fragment name) → page URL, read from the bundle's fragment files. */
export function fragmentUrls(dir) {
  const fragments = path.join(dir, 'pagefind', 'fragment');
  const out = new Map();
  for (const file of readdirSync(fragments)) {
    const text = gunzipSync(readFileSync(path.join(fragments, file))).toString('utf8').replace(/^pagefind_dcd/, '');
    try {
      const data = JSON.parse(text);
      if (data.url) out.set(file.replace(/\.pf_fragment$/, ''), data.url);
    } catch {
      // A bundled fragment file: its results are mapped in the page instead.
    }
  }
  return out;
}

/** `{ files, bytes }` of the bundle on disk (index, fragments, JS and WASM). */
export function bundleSize(dir) {
  return folderSize(path.join(dir, 'pagefind'));
}

/**
 * What a file of the bundle is to a search: 'code' (Pagefind's JS, CSS and
 * WASM, the same for any site), 'startup' (the entry file and the index's
 * metadata, fetched once before the first query) or 'data' (index chunks,
 * fragments, filters: what each query fetches).
 */
export function pagefindFileKind(urlPath) {
  if (/(^|\/)(pagefind[a-z-]*\.(js|css)|wasm\.[a-z-]+\.pagefind)$/.test(urlPath)) return 'code';
  if (/(^|\/)pagefind-entry\.json$|\.pf_meta$/.test(urlPath)) return 'startup';
  return 'data';
}
