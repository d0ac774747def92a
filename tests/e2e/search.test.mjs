// Search end to end: the page's modules (ingest.js parses in the worker,
// reader.js holds the Library) in Chromium under the page's CSP, and
// `lectern search` on the command line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, LECTERN, useServerAndBrowser, watchProblems } from './helpers.mjs';

const SAMPLES = path.join(ROOT, 'samples');
const session = useServerAndBrowser(SAMPLES);

test('the page parses files in the ingest worker, builds a Library in the reader module and searches it', async () => {
  const page = await session.browser.newPage();
  const problems = await watchProblems(page);
  await page.goto(session.server.url);
  const result = await page.evaluate(async () => {
    const reader = await import('./js/reader.js');
    const { parseFiles } = await import('./js/ingest.js');
    const { highlighted } = await import('./js/dom.js');
    const names = ['zh-homemade-chopped-chili.md', 'en-sourdough-starter-troubleshooting.md', 'ja-march-cold-snap-sakura.html', 'notes-on-bicycle-maintenance.html', 'ar-rooftop-solar-amman.md'];
    const files = await Promise.all(names.map(async (name) => {
      const url = new URL(`collection/files/${name}`, document.baseURI).href;
      return { name, text: await (await fetch(url)).text(), base: url };
    }));
    const lib = await reader.createLibrary();
    const articles = [];
    const failures = [];
    await parseFiles([...files, { name: 'broken.md', text: '   ' }], (items) => {
      for (const item of items) (item.error === undefined ? articles : failures).push(item);
    });
    lib.addArticles(articles);
    const chili = lib.search('辣椒');
    const typo = lib.search('sourdogh starter');
    const first = chili.hits[0];
    const marks = highlighted(first.snippet.text, first.snippet.ranges).filter((node) => node.nodeName === 'MARK');
    const restored = await reader.loadLibrary(lib.saveIndex());
    let mismatch = '';
    try { await reader.loadLibrary(new Uint8Array([1, 2, 3])); } catch (error) { mismatch = error.message; }
    return {
      files: files.length, articles: articles.length, failures: failures.map((f) => `${f.name}: ${f.error}`), size: lib.size,
      chiliTotal: chili.total, chiliName: lib.article(first.id).name,
      marked: marks.map((mark) => mark.textContent),
      typoName: typo.hits.length ? lib.article(typo.hits[0].id).name : null,
      restoredTotal: restored.search('辣椒').total, mismatch,
      years: chili.facets.years.length,
    };
  });
  assert.equal(result.articles, result.files);
  assert.equal(result.failures.length, 1);
  assert.match(result.failures[0], /^broken\.md: .*empty/);
  assert.equal(result.size, result.files);
  assert.equal(result.chiliTotal, 1);
  assert.equal(result.chiliName, 'zh-homemade-chopped-chili.md');
  assert.ok(result.marked.length > 0 && result.marked.every((t) => t === '辣椒'), JSON.stringify(result.marked));
  assert.equal(result.typoName, 'en-sourdough-starter-troubleshooting.md');
  assert.equal(result.restoredTotal, 1);
  assert.match(result.mismatch, /not a Lectern search index/);
  assert.equal(result.years, 1);
  assert.deepEqual(problems.errors, []);
});

test('lectern search prints hits with the file path as lectern parse prints it', () => {
  const run = (...args) => execFileSync(LECTERN, ['search', ...args], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const hits = JSON.parse(run('samples', '辣椒', '--limit', '3'));
  assert.equal(hits.length, 1);
  // Saved once, searched from the index file: the same hits.
  const index = path.join(mkdtempSync(path.join(tmpdir(), 'lectern-')), 'samples.idx');
  run('--save-index', index, 'samples');
  assert.deepEqual(JSON.parse(run(index, '辣椒', '--limit', '3')), hits);
  const parseLines = execFileSync(LECTERN, ['parse', 'samples'], { cwd: ROOT, encoding: 'utf8' }).trim().split('\n').map((l) => JSON.parse(l));
  const same = parseLines.find((a) => a.id === hits[0].id);
  assert.equal(hits[0].file, same.file);
  assert.equal(hits[0].title, same.title);
  const chars = Array.from(hits[0].snippet.text);
  for (const [start, end] of hits[0].snippet.ranges) assert.equal(chars.slice(start, end).join(''), '辣椒');
});
