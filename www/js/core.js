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
