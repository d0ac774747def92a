#!/usr/bin/env node
// Derived articles for scale runs: N article files made from the shared corpora
// (../shared/corpus, read in place), deterministic from a seed, written to a
// folder outside the repository (never committed).
//
// Each derived article takes the shape of a real one (YAML front matter with an
// HTML body like the RSSHub posts, TOML with Markdown like the Rust blog, YAML
// with Markdown like the I2P and Kriheli blogs), a title and categories from
// real articles of the same corpus, a date drawn between 2015 and 2024, and a
// body of 2 to 12 real paragraphs (HTML blocks or Markdown paragraphs) from
// that corpus, so languages, markup and sizes stay those of real articles.
//
//   node bench/lib/generate.mjs --count 10000 --seed 1 --out /tmp/lectern-10k
//
// From code: `generateArticles({ count, seed, out })` resolves to a summary.
import { mkdirSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { articleFiles, splitFrontMatter, sharedDir, ARTICLE_CORPORA } from './corpus.mjs';
import { parseNative } from './native.mjs';
import { createRng } from './rng.mjs';

const FILES_PER_FOLDER = 1000;
const START = Date.UTC(2015, 0, 1) / 1000;
const END = Date.UTC(2024, 11, 31) / 1000;

/** Splits an HTML body into blocks at paragraph-level boundaries. */
function htmlBlocks(body) {
  const inner = body.trim().replace(/^<div>\s*/i, '').replace(/\s*<\/div>\s*$/i, '');
  return inner
    .split(/(?<=<\/p>|<\/figure>|<\/blockquote>|<\/h[1-6]>|<\/ul>|<\/ol>|<\/table>|<br\s*\/?>)\s*/i)
    .map((block) => block.trim())
    .filter((block) => block.length > 0 && block.length < 8000);
}

/** Splits a Markdown body into paragraphs at blank lines, keeping fenced code blocks whole. */
function markdownBlocks(body) {
  const blocks = [];
  let current = [];
  let fenced = false;
  for (const line of body.split(/\r?\n/)) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (!fenced && line.trim() === '') {
      if (current.length) blocks.push(current.join('\n'));
      current = [];
    } else current.push(line);
  }
  if (current.length) blocks.push(current.join('\n'));
  return blocks.filter((block) => block.length < 8000);
}

const yamlString = (s) => JSON.stringify(s);
/** JSON's string escapes are all valid in TOML basic strings. */
const tomlString = (s) => JSON.stringify(s);

function isoDate(seconds) {
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Loads the corpora into per-corpus pools of titles, category lists, authors and blocks. */
async function loadPools() {
  const files = articleFiles();
  const root = path.join(sharedDir(), 'corpus');
  const { articles } = await parseNative(ARTICLE_CORPORA.map((c) => path.join(root, c)));
  const byName = new Map(articles.map((a) => [path.relative(root, a.file).split(path.sep).join('/'), a]));
  const pools = new Map();
  for (const file of files) {
    const article = byName.get(file.name);
    if (!article) continue;
    const { format, body } = splitFrontMatter(file.text);
    const html = file.corpus === 'rsshub';
    const pool = pools.get(file.corpus) ?? { corpus: file.corpus, shape: html ? 'yaml-html' : format === 'toml' ? 'toml-markdown' : 'yaml-markdown', titles: [], categories: [], authors: [], blocks: [] };
    pool.titles.push(article.title);
    pool.categories.push(article.categories ?? []);
    if (article.author) pool.authors.push(article.author);
    pool.blocks.push(...(html ? htmlBlocks(body) : markdownBlocks(body)));
    pools.set(file.corpus, pool);
  }
  return { pools: [...pools.values()], weights: [...pools.values()].map((p) => p.titles.length) };
}

function render(pool, rng) {
  const title = rng.pick(pool.titles);
  const categories = rng.pick(pool.categories);
  const author = pool.authors.length && rng.next() < 0.8 ? rng.pick(pool.authors) : null;
  const date = isoDate(rng.int(START, END));
  const blocks = Array.from({ length: rng.int(2, 12) }, () => rng.pick(pool.blocks));
  if (pool.shape === 'toml-markdown') {
    return `+++\ntitle = ${tomlString(title)}\ndate = ${date}\n${author ? `authors = [${tomlString(author)}]\n` : ''}+++\n\n${blocks.join('\n\n')}\n`;
  }
  const yaml = [`title: ${yamlString(title)}`];
  if (categories.length) yaml.push('categories:', ...categories.map((c) => `  - ${yamlString(c)}`));
  if (author) yaml.push(`author: ${yamlString(author)}`);
  yaml.push(`date: ${date.replace('T', ' ').replace('Z', '')}`);
  if (pool.shape === 'yaml-html') {
    yaml.push('comments: false');
    return `\n---\n${yaml.join('\n')}\n---\n\n<div>   \n${blocks.join('\n')}\n</div>   `;
  }
  return `---\n${yaml.join('\n')}\n---\n\n${blocks.join('\n\n')}\n`;
}

/**
 * Writes `count` derived articles under `out` (folders of 1,000 files,
 * `part-000/000000-rsshub.md`, ...). The same seed gives the same files.
 * @returns {Promise<{out: string, count: number, bytes: number, byCorpus: Record<string, number>}>}
 */
export async function generateArticles({ count, seed = 1, out }) {
  if (!Number.isInteger(count) || count < 1) throw new Error(`count must be a positive whole number, not ${count}`);
  if (existsSync(out) && readdirSync(out).length) throw new Error(`${out} is not empty: generate into a new folder`);
  const { pools, weights } = await loadPools();
  const total = weights.reduce((a, b) => a + b, 0);
  const rng = createRng(seed);
  let bytes = 0;
  const byCorpus = {};
  for (let i = 0; i < count; i++) {
    let pick = rng.next() * total;
    let pool = pools[0];
    for (let p = 0; p < pools.length; p++) {
      pick -= weights[p];
      if (pick < 0) {
        pool = pools[p];
        break;
      }
    }
    const text = render(pool, rng);
    const folder = path.join(out, `part-${String(Math.floor(i / FILES_PER_FOLDER)).padStart(3, '0')}`);
    if (i % FILES_PER_FOLDER === 0) mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, `${String(i).padStart(6, '0')}-${pool.corpus}.md`), text);
    bytes += Buffer.byteLength(text);
    byCorpus[pool.corpus] = (byCorpus[pool.corpus] ?? 0) + 1;
  }
  return { out, count, seed, bytes, byCorpus };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const args = Object.fromEntries(process.argv.slice(2).reduce((pairs, arg, i, all) => (arg.startsWith('--') ? [...pairs, [arg.slice(2), all[i + 1]]] : pairs), []));
  if (!args.count || !args.out) {
    console.error('usage: node bench/lib/generate.mjs --count N [--seed S] --out DIR');
    process.exit(2);
  }
  generateArticles({ count: Number(args.count), seed: Number(args.seed ?? 1), out: path.resolve(args.out) })
    .then((summary) => console.log(JSON.stringify(summary)))
    .catch((error) => {
      console.error(`generate: ${error.message}`);
      process.exit(1);
    });
}
