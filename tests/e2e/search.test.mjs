// Search end to end: the page's core.js wrapper (createLibrary, snippetParts)
// in Chromium under the page's CSP, and `lectern search` on the command line.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, LECTERN, startServer, launch, watchProblems } from './helpers.mjs';

const SAMPLES = path.join(ROOT, 'samples');
let server;
let browser;

before(async () => {
  server = await startServer(SAMPLES);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

test('the page can build a Library and search it through core.js', async () => {
  const page = await browser.newPage();
  const problems = await watchProblems(page);
  await page.goto(server.url);
  const result = await page.evaluate(async () => {
    const core = await import('./js/core.js');
    const manifest = await (await fetch('collection/manifest.json')).json();
    const files = await Promise.all(manifest.files.map(async ({ path }) => {
      const url = new URL(`collection/files/${path}`, document.baseURI).href;
      return { name: path, text: await (await fetch(url)).text(), base: url };
    }));
    const lib = await core.createLibrary();
    const { added, failures } = await core.addFilesToLibrary(lib, files);
    const chili = lib.search('辣椒');
    const typo = lib.search('sourdogh starter');
    const first = chili.hits[0];
    const parts = core.snippetParts(first.snippet);
    const restored = await core.loadLibrary(lib.saveIndex());
    let mismatch = '';
    try { await core.loadLibrary(new Uint8Array([1, 2, 3])); } catch (error) { mismatch = error.message; }
    return {
      files: files.length, added: added.length, failures: failures.length, size: lib.size,
      chiliTotal: chili.total, chiliName: lib.article(first.id).name,
      marked: parts.filter((p) => p.marked).map((p) => p.text),
      typoName: typo.hits.length ? lib.article(typo.hits[0].id).name : null,
      restoredTotal: restored.search('辣椒').total, mismatch,
      years: chili.facets.years.length,
    };
  });
  assert.equal(result.failures, 0);
  assert.equal(result.added, result.files);
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
