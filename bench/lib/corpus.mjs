// The shared corpora (../shared, read in place, never copied into the repo) as
// the benchmark uses them: article files, HTML sets for the sanitiser, and the
// plain text the peers index (Lectern's own parse of the same files).
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths.mjs';

/** The shared data folder; a missing one is an error that says where it was looked for. */
export function sharedDir() {
  const dir = process.env.LECTERN_SHARED || path.join(ROOT, '..', 'shared');
  if (!existsSync(path.join(dir, 'corpus'))) {
    throw new Error(`the shared corpora are missing: expected ${path.join(dir, 'corpus')} (set LECTERN_SHARED to the shared folder)`);
  }
  return dir;
}

/** The article corpora of the search and ingest benchmarks (2,207 Markdown files). */
export const ARTICLE_CORPORA = ['rsshub', 'rust-blog', 'i2p-blog', 'kriheli-blog'];

function walk(dir, keep) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full, keep));
    else if (keep(entry.name)) out.push(full);
  }
  return out;
}

const isArticle = (name) => /\.md$/i.test(name) && !/^(readme|license|licence|changelog)/i.test(name);

/**
 * The article files of the corpora, sorted: `{ name, corpus, path, text }`,
 * `name` being the path under `corpus/` (the article's id comes from it).
 */
export function articleFiles(corpora = ARTICLE_CORPORA) {
  const root = path.join(sharedDir(), 'corpus');
  return corpora.flatMap((corpus) => {
    const dir = path.join(root, corpus);
    if (!existsSync(dir)) throw new Error(`corpus folder missing: ${dir}`);
    return walk(dir, isArticle).map((file) => ({
      name: path.relative(root, file).split(path.sep).join('/'),
      corpus,
      path: file,
      text: readFileSync(file, 'utf8'),
    }));
  });
}

/**
 * Splits an article file into front matter and body: a `---` (YAML) or `+++`
 * (TOML) fence after optional blank lines, closed by the same fence on its own
 * line. A file without one is all body.
 */
export function splitFrontMatter(text) {
  const start = text.replace(/^\uFEFF/, '').match(/^(?:[ \t]*\r?\n)*(---|\+\+\+)[ \t]*\r?\n/);
  if (!start) return { format: null, frontMatter: '', body: text };
  const fence = start[1];
  const rest = text.slice(start[0].length);
  const close = rest.match(new RegExp(`^${fence.replace(/\+/g, '\\+')}[ \\t]*(?:\\r?\\n|$)`, 'm'));
  if (!close) return { format: null, frontMatter: '', body: text };
  return {
    format: fence === '---' ? 'yaml' : 'toml',
    frontMatter: rest.slice(0, close.index),
    body: rest.slice(close.index + close[0].length),
  };
}

/**
 * The three HTML sets of the sanitiser benchmark, each `{ id, label, items: string[], bytes }`:
 * the RSSHub posts' bodies (small), Readability's expected.html (medium) and source.html (large).
 */
export function sanitizeSets() {
  const root = path.join(sharedDir(), 'corpus');
  const rsshub = walk(path.join(root, 'rsshub'), isArticle).map((file) => splitFrontMatter(readFileSync(file, 'utf8')).body);
  const pages = readdirSync(path.join(root, 'readability-test-pages')).sort()
    .map((name) => path.join(root, 'readability-test-pages', name))
    .filter((dir) => statSync(dir).isDirectory());
  const read = (name) => pages.filter((dir) => existsSync(path.join(dir, name))).map((dir) => readFileSync(path.join(dir, name), 'utf8'));
  const set = (id, label, items) => ({ id, label, items, bytes: items.reduce((n, s) => n + Buffer.byteLength(s), 0) });
  return [
    set('rsshub', 'RSSHub posts (small)', rsshub),
    set('expected', 'Readability expected.html (medium)', read('expected.html')),
    set('source', 'Readability source.html (large)', read('source.html')),
  ];
}
