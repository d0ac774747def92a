#!/usr/bin/env node
// Derived articles for the static-collection scale runs: N article files made
// from the shared corpora (../shared/corpus, read in place), deterministic
// from a seed, written to a folder outside the repository (never committed).
//
// Each article takes a real article's shape (YAML front matter with an HTML
// body like the RSSHub posts, YAML or TOML with Markdown like the blogs), a
// real title and categories of that corpus, a date drawn between 2015 and
// 2024, and 2 to 12 real paragraphs of that corpus.
//
//   node bench/static-corpus.mjs --count 10000 --seed 1 --out /tmp/lectern-10k
import { mkdirSync, writeFileSync, readFileSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SHARED = process.env.LECTERN_SHARED || path.join(ROOT, '..', 'shared');
const CORPORA = ['rsshub', 'rust-blog', 'i2p-blog', 'kriheli-blog'];
const PER_FOLDER = 1000;

/** A small deterministic generator (mulberry32). */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)), pick: (list) => list[Math.floor(next() * list.length)] };
}

function files(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...files(full));
    else if (/\.md$/i.test(entry.name) && !/^readme/i.test(entry.name)) out.push(full);
  }
  return out;
}

function splitFrontMatter(text) {
  const trimmed = text.replace(/^\s+/, '');
  for (const fence of ['---', '+++']) {
    if (trimmed.startsWith(`${fence}\n`) || trimmed.startsWith(`${fence}\r\n`)) {
      const end = trimmed.indexOf(`\n${fence}`, fence.length);
      if (end > 0) return { format: fence === '---' ? 'yaml' : 'toml', head: trimmed.slice(fence.length + 1, end), body: trimmed.slice(end + fence.length + 1) };
    }
  }
  return { format: 'none', head: '', body: text };
}

function titleOf(head) {
  const m = head.match(/^title\s*[:=]\s*(.+)$/m);
  if (!m) return null;
  return m[1].trim().replace(/^["']|["']$/g, '').replace(/\\"/g, '"').slice(0, 200) || null;
}

function categoriesOf(head) {
  const lines = head.split(/\r?\n/);
  const at = lines.findIndex((l) => /^(categories|tags)\s*:/.test(l));
  if (at < 0) return [];
  const inline = lines[at].replace(/^[a-z]+\s*:\s*/, '').trim();
  if (inline.startsWith('[')) return inline.slice(1, -1).split(',').map((s) => s.trim().replace(/^["']|["']$/g, '')).filter(Boolean).slice(0, 4);
  const out = [];
  for (const line of lines.slice(at + 1)) {
    const m = line.match(/^\s+-\s+(.+)$/);
    if (!m) break;
    out.push(m[1].trim().replace(/^["']|["']$/g, ''));
  }
  return out.filter((c) => c && !c.startsWith('-')).slice(0, 4);
}

function blocks(body, html) {
  if (html) {
    const inner = body.trim().replace(/^<div>\s*/i, '').replace(/\s*<\/div>\s*$/i, '');
    return inner.split(/(?<=<\/p>|<\/figure>|<\/blockquote>|<\/h[1-6]>|<\/ul>|<\/ol>|<br\s*\/?>)\s*/i).map((b) => b.trim()).filter((b) => b.length > 20 && b.length < 6000);
  }
  return body.split(/\n\s*\n/).map((b) => b.trim()).filter((b) => b.length > 20 && b.length < 6000 && !/^(```|~~~)/.test(b));
}

function loadPools() {
  const pools = [];
  for (const corpus of CORPORA) {
    const dir = path.join(SHARED, 'corpus', corpus);
    if (!existsSync(dir)) throw new Error(`the shared corpus is missing: ${dir} (set LECTERN_SHARED)`);
    const pool = { corpus, html: corpus === 'rsshub', titles: [], categories: [], blocks: [] };
    for (const file of files(dir)) {
      const { head, body } = splitFrontMatter(readFileSync(file, 'utf8'));
      const title = titleOf(head);
      if (title) pool.titles.push(title);
      pool.categories.push(categoriesOf(head));
      pool.blocks.push(...blocks(body, pool.html));
    }
    if (pool.titles.length && pool.blocks.length) pools.push(pool);
  }
  return pools;
}

const START = Date.UTC(2015, 0, 1) / 1000;
const END = Date.UTC(2024, 11, 31) / 1000;
const quote = (s) => JSON.stringify(s);

function render(pool, r, i) {
  const title = `${r.pick(pool.titles)}${r.next() < 0.3 ? ` (${i})` : ''}`;
  const categories = r.pick(pool.categories);
  const date = new Date(r.int(START, END) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const body = Array.from({ length: r.int(2, 12) }, () => r.pick(pool.blocks));
  const yaml = [`title: ${quote(title)}`];
  if (categories.length) yaml.push('categories:', ...categories.map((c) => `  - ${quote(c)}`));
  yaml.push(`date: ${date.replace('T', ' ').replace('Z', '')}`);
  if (pool.html) return `\n---\n${yaml.join('\n')}\ncomments: false\n---\n\n<div>   \n${body.join('\n')}\n</div>   `;
  if (pool.corpus === 'rust-blog') return `+++\ntitle = ${quote(title)}\ndate = ${date}\n+++\n\n${body.join('\n\n')}\n`;
  return `---\n${yaml.join('\n')}\n---\n\n${body.join('\n\n')}\n`;
}

/** Writes `count` derived articles under `out` (folders of 1,000); the same seed gives the same files. */
export function generate({ count, seed = 1, out }) {
  if (existsSync(out) && readdirSync(out).length) throw new Error(`${out} is not empty: generate into a new folder`);
  const pools = loadPools();
  const weights = pools.map((p) => p.titles.length);
  const totalWeight = weights.reduce((a, b) => a + b, 0);
  const r = rng(seed);
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    let pick = r.next() * totalWeight;
    let pool = pools[0];
    for (let p = 0; p < pools.length; p++) {
      pick -= weights[p];
      if (pick < 0) { pool = pools[p]; break; }
    }
    const folder = path.join(out, `part-${String(Math.floor(i / PER_FOLDER)).padStart(3, '0')}`);
    if (i % PER_FOLDER === 0) mkdirSync(folder, { recursive: true });
    const text = render(pool, r, i);
    writeFileSync(path.join(folder, `${String(i).padStart(6, '0')}-${pool.corpus}.md`), text);
    bytes += Buffer.byteLength(text);
  }
  return { out, count, bytes };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const count = Number(arg('count', '1000'));
  const out = arg('out');
  if (!out || !Number.isInteger(count) || count < 1) {
    console.error('usage: node bench/static-corpus.mjs --count N [--seed S] --out DIR');
    process.exit(2);
  }
  const result = generate({ count, seed: Number(arg('seed', '1')), out });
  console.error(`generated ${result.count} articles (${(result.bytes / 1e6).toFixed(1)} MB) in ${result.out}`);
}
