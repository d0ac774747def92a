// Pagefind (npm `pagefind`, its extended binary) on the benchmark's articles
// rendered as pages: one HTML page per article, indexed as one language so a
// search covers every article, as Lectern's does.
import { mkdirSync, writeFileSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { PAGEFIND } from './paths.mjs';

const escape = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/**
 * Writes `copies` replicas of every doc as pages under `dir` (x0/0.html, ...).
 * Returns the map from page URL ('/x0/0.html') to the doc's name in the same
 * form the other engines use ('x0/<name>').
 */
export function writeSite(docs, copies, dir) {
  const byUrl = new Map();
  for (let c = 0; c < copies; c++) {
    mkdirSync(path.join(dir, `x${c}`), { recursive: true });
    docs.forEach((doc, i) => {
      const paragraphs = doc.text.split('\n').filter((p) => p.trim()).map((p) => `<p>${escape(p)}</p>`).join('\n');
      const html = `<!doctype html>\n<html lang="${escape(doc.lang || 'en')}"><head><meta charset="utf-8"><title>${escape(doc.title)}</title></head>\n`
        + `<body><main data-pagefind-body>\n<h1>${escape(doc.title)}</h1>\n<p>${escape(doc.categories.replace(/\n/g, ' · '))}</p>\n<p>${escape(doc.author)}</p>\n${paragraphs}\n</main></body></html>\n`;
      writeFileSync(path.join(dir, `x${c}`, `${i}.html`), html);
      byUrl.set(`/x${c}/${i}.html`, `x${c}/${doc.name}`);
    });
  }
  return byUrl;
}

/** Runs the extended binary on `dir` (one index, language zh); resolves with its time. */
export function buildIndex(dir) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    execFile(PAGEFIND, ['--site', dir, '--output-subdir', 'pagefind', '--force-language', 'zh', '--quiet'], { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`pagefind failed: ${error.message}\n${stderr}`));
      else resolve({ ms: performance.now() - started });
    });
  });
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

/** Bytes of the bundle on disk (index, fragments, JS and WASM). */
export function bundleBytes(dir) {
  let total = 0;
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else total += statSync(full).size;
    }
  };
  walk(path.join(dir, 'pagefind'));
  return total;
}
