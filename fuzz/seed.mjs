// Seeds the fuzz corpora (fuzz/corpus/<target>/, ignored by git) from the
// shared data, read in place: every XSS suite input and corpus article file
// (up to 64 KiB). Run by ./build.sh fuzz; prints what it wrote.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { SUITES, suite, corpusFiles, feedFieldValues } from '../tests/e2e/suites.mjs';
import { ROOT } from '../tests/e2e/paths.mjs';

const MAX_SEED_BYTES = 64 * 1024;
const counts = {};

function seed(target, bytes) {
  if (bytes.length > MAX_SEED_BYTES) return;
  const dir = path.join(ROOT, 'fuzz', 'corpus', target);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, createHash('sha1').update(bytes).digest('hex')), bytes);
  counts[target] = (counts[target] ?? 0) + 1;
}

// parse_article reads its first byte as the format: even = Markdown, odd = HTML.
const asArticle = (format, body) => Buffer.concat([Buffer.from([format === 'html' ? 1 : 0]), Buffer.from(body)]);

for (const name of SUITES) {
  for (const c of suite(name)) {
    for (const input of c.inputs) {
      seed('sanitize', Buffer.from(input));
      seed('parse_article', asArticle('html', `---\ntitle: ${c.id}\n---\n${input}`));
    }
  }
}
for (const { value } of feedFieldValues()) {
  seed('parse_article', asArticle('md', `---\ntitle: feed\nthumbnail: ${JSON.stringify(value)}\nlink: ${JSON.stringify(value)}\n---\nbody`));
}
for (const file of corpusFiles()) {
  if (file.size > MAX_SEED_BYTES) continue;
  const bytes = readFileSync(file.file);
  seed('parse_article', asArticle(/\.html?$/.test(file.name) ? 'html' : 'md', bytes));
  seed('sanitize', bytes);
}
// Queries: the first byte turns prefix (1) and typo (2) matching on; then words
// and phrases as readers type them, and the suites' strings for odd characters.
const asQuery = (flags, text) => Buffer.concat([Buffer.from([flags]), Buffer.from(text)]);
for (const query of ['night bus', 'rus', 'sourdough starter', '"night bus"', '夜班巴士', '東京タワー "night bus" rus', '«cold snap»', 'שלום', 'مرحبا', 'caf\u00e9 na\u00efve', '「桜」', '"unclosed phrase']) {
  for (const flags of [0, 1, 2, 3]) seed('search_query', asQuery(flags, query));
}
for (const name of SUITES) for (const c of suite(name).slice(0, 40)) seed('search_query', asQuery(3, c.inputs[0].slice(0, 200)));
for (const [target, n] of Object.entries(counts)) console.log(`seeded ${target}: ${n} inputs`);
