// The library behind the page (www/js/library.js), in Chromium, over the
// shared RSSHub corpus: every search returns exactly the articles whose title,
// categories, author or text contain the query (case-insensitively), every
// snippet range marks an occurrence of the query, and facets count right.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, startServer, launch, openPage } from './helpers.mjs';

const SHARED = process.env.LECTERN_SHARED || path.join(ROOT, '..', 'shared');
const CORPUS = path.join(SHARED, 'corpus', 'rsshub');
let server;
let browser;

before(async () => {
  assert.ok(existsSync(CORPUS), `the shared corpus is missing: ${CORPUS} (set LECTERN_SHARED)`);
  [server, browser] = await Promise.all([startServer(path.join(ROOT, 'samples')), launch()]);
});

after(async () => {
  await browser?.close();
  server?.stop();
});

test('search is exact over the RSSHub corpus: results, snippets, facets', async () => {
  const files = readdirSync(CORPUS).filter((f) => f.endsWith('.md')).map((name) => ({ name, text: readFileSync(path.join(CORPUS, name), 'utf8') }));
  const { page, context } = await openPage(browser, server.url);
  const report = await page.evaluate(async (files) => {
    const { openLibrary, facetsOf } = await import('./js/library.js');
    const library = await openLibrary();
    const { added, failures } = library.addFiles(files);
    const articles = added.map((s) => library.article(s.id));
    // Queries: slices from the middle of articles' texts (CJK and Latin), their
    // upper-cased forms, category names, and words that occur nowhere.
    const queries = [];
    let seed = 11;
    const next = (n) => {
      seed = (seed * 48271) % 2147483647;
      return seed % n;
    };
    while (queries.length < 120) {
      const article = articles[next(articles.length)];
      const points = Array.from(article.text);
      if (points.length < 40) continue;
      const start = 10 + next(points.length - 30);
      const slice = points.slice(start, start + 2 + next(4)).join('').trim();
      if (slice && !/\s/.test(slice)) queries.push(slice, slice.toUpperCase());
    }
    for (const article of articles.slice(0, 20)) {
      const category = article.categories.find((c) => !/\s/.test(c));
      if (category) queries.push(category);
    }
    queries.push('zzqxjv', '不可能出现的词组合');
    const fold = (s) => (s ?? '').toLowerCase();
    const mismatches = [];
    const badRanges = [];
    let results = 0;
    for (const query of queries) {
      const q = fold(query);
      const expected = articles.filter((a) => [a.title, ...a.categories, a.author, a.text].some((f) => fold(f).includes(q))).map((a) => a.id).sort();
      const found = library.search(query, { limit: articles.length });
      const ids = found.hits.map((h) => h.id).sort();
      results += ids.length;
      if (found.total !== expected.length || JSON.stringify(ids) !== JSON.stringify(expected)) mismatches.push({ query, expected: expected.length, got: ids.length });
      for (const hit of found.hits) {
        const points = Array.from(hit.snippet.text);
        for (const [s, e] of hit.snippet.ranges) {
          // A mark is one occurrence, or overlapping ones ('aa' in 'aaa').
          const marked = fold(points.slice(s, e).join(''));
          if (!(marked.startsWith(q) && marked.endsWith(q))) badRanges.push({ query, marked });
        }
      }
    }
    // Facets of an unfiltered search equal counts computed by hand.
    const facets = library.search('', { limit: 0 }).facets;
    const byHand = facetsOf(articles);
    return {
      files: files.length, parsed: added.length, failed: failures.length, queries: queries.length, results,
      mismatches, badRanges: badRanges.slice(0, 5), badRangeCount: badRanges.length,
      facetsEqual: JSON.stringify(facets) === JSON.stringify(byHand),
      categoryTotal: facets.categories.reduce((sum, c) => sum + c.count, 0),
    };
  }, files);
  console.log(`rsshub: ${report.files} files, ${report.parsed} parsed, ${report.failed} failed; ${report.queries} queries, ${report.results} results, ${report.mismatches.length} wrong result sets, ${report.badRangeCount} wrong highlights`);
  assert.equal(report.parsed + report.failed, report.files);
  assert.deepEqual(report.mismatches, []);
  assert.deepEqual(report.badRanges, []);
  assert.ok(report.facetsEqual);
  assert.ok(report.categoryTotal > report.parsed);
  await context.close();
});
