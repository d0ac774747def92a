// The library behind the page (the ingest worker parses, www/js/library.js →
// the reader module's Library holds and searches), in Chromium, over the
// shared RSSHub corpus:
// - a CJK span returns exactly the articles that contain it, and every
//   snippet range marks it;
// - every query returns the same hits, in the same order, with the same
//   snippets, as the native `lectern search` on the same folder;
// - facets count the summaries right.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, useServerAndBrowser, LECTERN, openPage } from './helpers.mjs';

const SHARED = process.env.LECTERN_SHARED || path.join(ROOT, '..', 'shared');
const CORPUS = path.join(SHARED, 'corpus', 'rsshub');
const CJK = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]+$/u;
const session = useServerAndBrowser(path.join(ROOT, 'samples'));
let scratch;

before(async () => {
  assert.ok(existsSync(CORPUS), `the shared corpus is missing: ${CORPUS} (set LECTERN_SHARED)`);
  scratch = mkdtempSync(path.join(tmpdir(), 'lectern-library-'));
});

after(async () => {
  rmSync(scratch, { recursive: true, force: true });
});

/** Deterministic queries: CJK spans and words from the texts, a mixed chunk, misses. */
function queriesFrom(articles) {
  let seed = 11;
  const next = (n) => {
    seed = (seed * 48271) % 2147483647;
    return seed % n;
  };
  const spans = [];
  const words = [];
  for (let guard = 0; (spans.length < 80 || words.length < 30) && guard < 20_000; guard++) {
    const points = Array.from(articles[next(articles.length)].text);
    if (points.length < 20) continue;
    const start = next(points.length - 6);
    const span = points.slice(start, start + 2 + next(3)).join('');
    if (CJK.test(span) && spans.length < 80 && !spans.includes(span)) spans.push(span);
    const word = points.slice(start).join('').match(/^[A-Za-z]{4,12}\b/)?.[0];
    if (word && words.length < 30 && !words.includes(word)) words.push(word);
  }
  return { spans, others: [...words, 'iPhone发布', 'zzqxjv', '不可能出现的词组合'] };
}

test('the page finds exactly the articles containing a CJK span, and agrees with the native CLI', async () => {
  const files = readdirSync(CORPUS).filter((f) => f.endsWith('.md')).map((name) => ({ name, text: readFileSync(path.join(CORPUS, name), 'utf8') }));
  const { page, context } = await openPage(session.browser, session.server.url);
  await page.evaluate(async (files) => {
    const { openLibrary, addInSlices } = await import('./js/library.js');
    const { parseFiles } = await import('./js/ingest.js');
    window.testLibrary = await openLibrary();
    const failures = [];
    await parseFiles(files, async (items) => {
      failures.push(...items.filter((item) => item.error !== undefined));
      await addInSlices(window.testLibrary, items.filter((item) => item.error === undefined));
    });
    if (failures.length) throw new Error(`failed: ${JSON.stringify(failures)}`);
  }, files);
  const articles = await page.evaluate(() => window.testLibrary.summaries().map((s) => window.testLibrary.article(s.id)));
  assert.equal(articles.length, files.length);
  const { spans, others } = queriesFrom(articles);

  const run = (queries) => page.evaluate((queries) => queries.map((q) => window.testLibrary.search(q, { limit: 1000 })), queries);
  const spanResults = await run(spans);
  const mismatches = [];
  const badMarks = [];
  spans.forEach((span, i) => {
    const expected = articles.filter((a) => [a.title, ...a.categories, a.author ?? '', a.text].some((f) => f.includes(span))).map((a) => a.id).sort();
    const got = spanResults[i].hits.map((h) => h.id).sort();
    if (JSON.stringify(got) !== JSON.stringify(expected)) mismatches.push({ span, expected: expected.length, got: got.length });
    for (const hit of spanResults[i].hits) {
      const points = Array.from(hit.snippet.text);
      for (const [s, e] of hit.snippet.ranges) {
        if (points.slice(s, e).join('') !== span) badMarks.push({ span, marked: points.slice(s, e).join('') });
      }
    }
  });
  const found = spanResults.reduce((n, r) => n + r.total, 0);
  console.log(`# rsshub in Chromium: ${articles.length} articles, ${spans.length} CJK spans, ${found} hits, ${mismatches.length} wrong result sets, ${badMarks.length} wrong marks`);
  assert.deepEqual(mismatches, []);
  assert.deepEqual(badMarks.slice(0, 5), []);

  // The same engine natively: same hits, order and snippets for every query.
  const index = path.join(scratch, 'rsshub.idx');
  execFileSync(LECTERN, ['search', '--save-index', index, CORPUS, 'x'], { stdio: 'ignore' });
  const queries = [...spans.slice(0, 30), ...others];
  const pageResults = await run(queries);
  const differ = [];
  queries.forEach((query, i) => {
    const native = JSON.parse(execFileSync(LECTERN, ['search', index, query, '--limit', '1000'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
    // The CLI prints scores rounded; compare them with a tolerance, the rest exactly.
    const shape = (hits) => hits.map((h) => `${h.id} ${h.snippet.text} ${JSON.stringify(h.snippet.ranges)}`);
    const page = pageResults[i].hits;
    const scoresAgree = native.length === page.length && native.every((h, k) => Math.abs(h.score - page[k].score) < 1e-3);
    if (!scoresAgree || JSON.stringify(shape(native)) !== JSON.stringify(shape(page))) differ.push({ query, native: native.length, page: page.length });
  });
  console.log(`# page vs native CLI: ${queries.length} queries, ${differ.length} differ`);
  assert.deepEqual(differ, []);

  // Facets of the whole library equal counts made from the summaries.
  const facets = await page.evaluate(() => window.testLibrary.facets({}));
  const categoryCount = new Map();
  for (const a of articles) for (const c of new Set(a.categories)) categoryCount.set(c, (categoryCount.get(c) ?? 0) + 1);
  for (const { value, count } of facets.categories) assert.equal(count, categoryCount.get(value), `category ${value}`);
  const years = new Map();
  for (const a of articles) if (a.date) years.set(a.date.slice(0, 4), (years.get(a.date.slice(0, 4)) ?? 0) + 1);
  assert.deepEqual(Object.fromEntries(facets.years.map(({ value, count }) => [value, count])), Object.fromEntries(years));
  await context.close();
});
