// The article data of the ingest and search benchmarks: the 2,207 article files
// of the shared corpora, and the plain text of each (Lectern's native parse of
// the same files), which the peers index. Loaded once per run.
import path from 'node:path';
import { articleFiles, sharedDir, ARTICLE_CORPORA } from './corpus.mjs';
import { parseNative } from './native.mjs';

let cached = null;

/**
 * `{ files: [{name, text}], docs: [{name, title, categories, author, text, lang}], skipped }`:
 * files Lectern could not parse are left out of both, so every engine gets the same articles.
 */
export async function benchArticles() {
  if (cached) return cached;
  const root = path.join(sharedDir(), 'corpus');
  const raw = articleFiles();
  const { articles, failures } = await parseNative(ARTICLE_CORPORA.map((c) => path.join(root, c)));
  const byName = new Map(articles.map((a) => [path.relative(root, a.file).split(path.sep).join('/'), a]));
  const files = [];
  const docs = [];
  for (const file of raw) {
    const article = byName.get(file.name);
    if (!article) continue;
    files.push({ name: file.name, text: file.text });
    docs.push({
      name: file.name,
      title: article.title ?? '',
      categories: (article.categories ?? []).join('\n'),
      author: article.author ?? '',
      text: article.text ?? '',
      lang: article.lang ?? '',
    });
  }
  cached = { files, docs, skipped: raw.length - files.length, failures: failures.map((f) => `${f.file}: ${f.error}`) };
  return cached;
}

/** Serves the data as /data/files.json and /data/docs.json (once per run). */
export async function serveBenchArticles(ctx) {
  const data = await benchArticles();
  if (!ctx.cache.has('articles-served')) {
    ctx.server.put('/data/files.json', JSON.stringify(data.files));
    ctx.server.put('/data/docs.json', JSON.stringify(data.docs.map(({ lang, ...doc }) => doc)));
    ctx.cache.set('articles-served', true);
  }
  return data;
}
