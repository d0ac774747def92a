// A static collection end to end: 3,000 articles derived from the shared
// corpora (bench/lib/generate.mjs, in a temporary folder) are built with
// `lectern index`, served as plain files, and read by the page in Chromium:
// the first list without the index, a search that fetches only its shards
// and gives the same hits as `lectern search` on the collection and on the
// source folder, an article that downloads only its own file; then the same
// collection from Python's static file server.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync, readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { startServer, launch, openPage, waitReady, listCount, listTitles, derivedCollection, searchNative } from './helpers.mjs';

const COUNT = 3000;
let scratch;
let source;
let site;
let server;
let browser;

before(async () => {
  let indexMs;
  ({ scratch, source, site, indexMs } = await derivedCollection('static', { count: COUNT, seed: 7 }));
  console.log(`lectern index: ${COUNT} articles in ${indexMs} ms`);
  [server, browser] = await Promise.all([startServer(site), launch()]);
});

after(async () => {
  await browser?.close();
  server?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Records the collection files a page downloads (path within collection/, bytes). */
function recordFetches(page) {
  const fetched = [];
  page.on('requestfinished', async (request) => {
    const url = new URL(request.url());
    if (!url.pathname.includes('/collection/')) return;
    try {
      const response = await request.response();
      const length = Number((await response?.allHeaders())?.['content-length']);
      fetched.push({ path: url.pathname.replace(/^.*\/collection\//, ''), bytes: Number.isFinite(length) ? length : 0 });
    } catch {
      // The page closed meanwhile.
    }
  });
  return fetched;
}

const cliSearch = searchNative;

async function checkPage(url, label) {
  const { page, context, problems } = await openPage(browser, null);
  await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
  const fetched = recordFetches(page);
  await page.goto(url);
  await waitReady(page);
  await page.waitForSelector('#list .item .item-link');
  assert.equal(await listCount(page), COUNT, `${label}: the list counts every article`);
  await page.waitForTimeout(300);
  const first = fetched.map((f) => f.path);
  const firstBytes = fetched.reduce((sum, f) => sum + f.bytes, 0);
  console.log(`${label}: first list: ${first.length} files, ${firstBytes} bytes (${first.join(', ')})`);
  assert.ok(first.includes('manifest.json') && first.some((p) => p.startsWith('list/')), first.join(', '));
  assert.ok(!first.some((p) => /^(terms|pos|meta|dates|cards|typos)\//.test(p)), `${label}: the first list fetches no shard: ${first.join(', ')}`);
  assert.ok(firstBytes < 200_000, `${label}: first list ${firstBytes} bytes`);

  // The newest article is first, as `lectern search` lists them.
  const newest = cliSearch(site, '', 3);
  assert.deepEqual((await listTitles(page)).slice(0, 3), newest.map((h) => h.title));

  // A search fetches shards, never every article; its hits are the CLI's.
  for (const query of ['release', '发布', 'i2p router', 'netwrok']) {
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(300);
    fetched.length = 0;
    const before = await page.textContent('#result-count');
    await page.fill('#search', query);
    await page.waitForFunction((text) => document.querySelector('#result-count').textContent !== text, before, { timeout: 30_000 });
    await page.waitForFunction(() => document.querySelector('#list .item .item-link'));
    const expected = cliSearch(site, query);
    assert.deepEqual(expected.map((h) => h.id), cliSearch(source, query).map((h) => h.id), `'${query}': collection = source folder`);
    const shown = await page.$$eval('#list .item', (rows) => rows
      .sort((a, b) => Number(a.getAttribute('aria-posinset')) - Number(b.getAttribute('aria-posinset')))
      .map((row) => row.dataset.id));
    assert.deepEqual(shown.slice(0, Math.min(5, expected.length)), expected.slice(0, 5).map((h) => h.id), `'${query}': same order as the CLI`);
    const kinds = [...new Set(fetched.map((f) => f.path.split('/')[0]))];
    const bytes = fetched.reduce((sum, f) => sum + f.bytes, 0);
    console.log(`${label}: search '${query}': ${fetched.length} files, ${bytes} bytes (${kinds.join(', ')})`);
    assert.ok(fetched.filter((f) => f.path.startsWith('cards/')).length <= 60, 'only the cards of the rows fetched');
    assert.ok(!fetched.some((f) => f.path.startsWith('articles/')), 'no article bodies fetched for a search');
    if (query === 'release') assert.ok(await page.locator('#list .item-excerpt mark').count() > 0, 'matches are highlighted');
    assert.ok(!fetched.some((f) => /^(meta|dates)\//.test(f.path)), `'${query}': no facet values or dates fetched before a filter is reached: ${kinds.join(', ')}`);
  }

  // Reaching a filter counts the search's matches (fetching their facet values), as `lectern search` finds them.
  const query = 'netwrok';
  const categoriesOf = new Map();
  const listDir = path.join(site, 'collection', 'list');
  for (const name of readdirSync(listDir)) {
    for (const entry of JSON.parse(gunzipSync(readFileSync(path.join(listDir, name))))) categoriesOf.set(entry.id, entry.categories);
  }
  const categoryCounts = new Map();
  for (const hit of cliSearch(site, query, COUNT)) {
    for (const category of new Set(categoriesOf.get(hit.id))) categoryCounts.set(category, (categoryCounts.get(category) ?? 0) + 1);
  }
  assert.ok(categoryCounts.size > 0, `'${query}' finds articles with categories`);
  await page.waitForLoadState('networkidle');
  fetched.length = 0;
  const uncounted = await page.$$eval('#filter-category option', (options) => options.slice(1).map((o) => o.textContent));
  assert.ok(uncounted.length > 0 && uncounted.every((text) => !/\(\d+\)$/.test(text)), `values without counts before: ${uncounted.slice(0, 5).join(', ')}`);
  await page.focus('#filter-category');
  await page.waitForFunction(() => [...document.querySelectorAll('#filter-category option')].slice(1).some((o) => /\(\d+\)$/.test(o.textContent)), null, { timeout: 30_000 });
  const shownCounts = new Map((await page.$$eval('#filter-category option', (options) => options.slice(1).map((o) => o.textContent)))
    .map((text) => text.match(/^(.*) \((\d+)\)$/)).map((m) => [m[1], Number(m[2])]));
  assert.deepEqual(shownCounts, new Map([...categoryCounts].filter(([value]) => shownCounts.has(value))), `'${query}': category counts`);
  assert.equal(shownCounts.size, Math.min(categoryCounts.size, 100), `'${query}': every category of the matches`);
  assert.ok(fetched.some((f) => f.path.startsWith('meta/')) && !fetched.some((f) => /^(dates|terms)\//.test(f.path)), `counting fetches facet values: ${fetched.map((f) => f.path).join(', ')}`);

  // Opening an article downloads its own file, and shows it.
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(300);
  fetched.length = 0;
  const title = await page.locator('#list .item .item-link').first().textContent();
  await page.locator('#list .item .item-link').first().click();
  await page.waitForSelector('#article-view:not([hidden])');
  await page.waitForFunction(() => document.querySelector('#article-body').childElementCount > 0);
  assert.ok(title.endsWith(await page.textContent('#article-title')));
  const opened = fetched.map((f) => f.path);
  assert.equal(opened.filter((p) => p.startsWith('articles/')).length, 1, opened.join(', '));
  assert.ok(opened.every((p) => p.startsWith('articles/')), opened.join(', '));
  // Images of the derived articles point at the internet, which the test does not reach.
  assert.deepEqual(problems.errors.filter((e) => !/^Failed to load resource: net::ERR_FAILED \(https?:\/\/(?!127\.0\.0\.1)/.test(e)), []);
  await context.close();
}

test('the page reads a static collection from lectern serve: list, search, open', { timeout: 300_000 }, async () => {
  await checkPage(server.url, 'lectern serve');
});

test('the same collection works from a plain static server (python3 -m http.server)', { timeout: 300_000 }, async (t) => {
  const python = spawn('python3', ['-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', site], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise((resolve, reject) => {
      let output = '';
      const onData = (chunk) => {
        output += chunk;
        const match = output.match(/port (\d+)/);
        if (match) resolve(`http://127.0.0.1:${match[1]}/`);
      };
      python.stdout.on('data', onData);
      python.stderr.on('data', onData);
      python.on('exit', (code) => reject(new Error(`python3 -m http.server exited (${code}): ${output}`)));
    });
    await checkPage(url, 'python http.server');
  } finally {
    python.kill();
  }
});
