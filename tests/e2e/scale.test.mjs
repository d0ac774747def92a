// Ten thousand articles: the shared blog corpora replicated under new names in
// a temporary folder (never committed), served with `lectern serve` (which
// builds them into a collection at start). The page must list them, draw only
// the rows on screen, and answer searches, with the reader module alone.
// Times are printed, not asserted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readdirSync, statSync, copyFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, startServer, launch, openPage, waitReady, listCount, listSettled } from './helpers.mjs';

const SHARED = process.env.LECTERN_SHARED || path.join(ROOT, '..', 'shared');
const CORPORA = ['rsshub', 'rust-blog', 'i2p-blog', 'kriheli-blog'];
const TARGET = 10_000;
let dir;
let server;
let browser;

function articleFiles(root) {
  const out = [];
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    const full = path.join(root, entry.name);
    if (entry.isDirectory()) out.push(...articleFiles(full));
    else if (/\.md$/.test(entry.name) && !/^(readme|license)/i.test(entry.name)) out.push(full);
  }
  return out;
}

before(async () => {
  const corpus = path.join(SHARED, 'corpus');
  assert.ok(existsSync(corpus), `the shared corpora are missing: ${corpus} (set LECTERN_SHARED)`);
  const sources = CORPORA.flatMap((name) => articleFiles(path.join(corpus, name)));
  assert.ok(sources.length > 1000, `found ${sources.length} corpus files`);
  dir = mkdtempSync(path.join(tmpdir(), 'lectern-10k-'));
  for (let i = 0; i < TARGET; i++) {
    const source = sources[i % sources.length];
    const copy = Math.floor(i / sources.length);
    const name = `copy-${copy}-${path.relative(corpus, source).replaceAll(path.sep, '-')}`;
    const folder = path.join(dir, `set-${copy}`);
    if (!existsSync(folder)) mkdirSync(folder);
    copyFileSync(source, path.join(folder, name));
  }
  const bytes = readdirSync(dir).flatMap((d) => readdirSync(path.join(dir, d)).map((f) => statSync(path.join(dir, d, f)).size)).reduce((a, b) => a + b, 0);
  console.log(`generated ${TARGET} article files (${sources.length} corpus files replicated, ${(bytes / 1e6).toFixed(1)} MB) in ${dir}`);
  [server, browser] = await Promise.all([startServer(dir), launch()]);
});

after(async () => {
  await browser?.close();
  server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('10,000 articles: listed, only visible rows drawn, searches answered', { timeout: 600_000 }, async () => {
  const { page, context } = await openPage(browser, null);
  // Images of the real posts point at the internet, which tests do not reach.
  await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
  const wasm = new Set();
  page.on('request', (request) => /\.wasm$/.test(new URL(request.url()).pathname) && wasm.add(new URL(request.url()).pathname.split('/').pop()));
  const started = Date.now();
  await page.goto(server.url);
  await page.waitForSelector('#list .item', { timeout: 120_000 });
  const firstList = Date.now() - started;
  await waitReady(page, 540_000);
  const allListed = Date.now() - started;
  const count = await listCount(page);
  console.log(`time to first list: ${firstList} ms; all ${count} articles listed after ${allListed} ms`);
  assert.ok(count >= TARGET * 0.98, `listed ${count} of ${TARGET}`);
  assert.equal(await page.locator('[data-notice-id]').count() <= 1, true);

  // Only the rows on screen are in the DOM, before and after scrolling far down.
  const drawn = () => page.$$eval('#list .item', (rows) => rows.map((r) => Number(r.getAttribute('aria-posinset'))));
  const top = await drawn();
  assert.ok(top.length > 3 && top.length < 40, `rows drawn at the top: ${top.length}`);
  const scrollStart = Date.now();
  await page.evaluate(() => {
    const row = document.querySelector('#list .item').getBoundingClientRect().height;
    window.scrollTo(0, document.querySelector('#list').offsetTop + row * 5000);
  });
  await page.waitForFunction(() => [...document.querySelectorAll('#list .item')].some((r) => Number(r.getAttribute('aria-posinset')) > 4990));
  const middle = await drawn();
  console.log(`scrolled to row 5000 in ${Date.now() - scrollStart} ms; ${middle.length} rows drawn`);
  assert.ok(middle.length < 40, `rows drawn in the middle: ${middle.length}`);
  assert.ok(Math.min(...middle) > 4960 && Math.max(...middle) < 5040, `rows around 5000: ${Math.min(...middle)}–${Math.max(...middle)}`);
  // A row from the middle opens.
  await page.locator('#list .item .item-link').nth(Math.floor(middle.length / 2)).click();
  await page.waitForSelector('#article-view:not([hidden])');
  await page.goBack();
  await page.waitForSelector('#list-view:not([hidden])');

  // Searches: time from the last key to the results on screen (including the debounce).
  for (const query of ['release', '人工智能', 'i2p', 'ללא']) {
    const before = await page.textContent('#result-count');
    const t0 = Date.now();
    await page.fill('#search', query);
    await page.waitForFunction((text) => document.querySelector('#result-count').textContent !== text, before, { timeout: 60_000 });
    await listSettled(page, 60_000);
    const hits = await page.$$eval('#list .item', (rows) => Number(rows[0]?.getAttribute('aria-setsize') ?? 0));
    console.log(`search '${query}': ${hits} results on screen after ${Date.now() - t0} ms`);
    assert.ok(hits > 0, `'${query}' finds articles`);
    assert.ok(await page.locator('#list .item-excerpt mark').count() > 0, `'${query}' is highlighted`);
  }

  // The second visit: the folder did not change, so the server serves the same build.
  const again = Date.now();
  const served = server.output().length;
  await page.goto(`${server.url}#/`);
  await page.reload();
  await page.waitForSelector('#list .item');
  const secondList = Date.now() - again;
  await waitReady(page);
  console.log(`second visit: first list after ${secondList} ms, ready after ${Date.now() - again} ms`);
  assert.equal(await listCount(page), count);
  assert.doesNotMatch(server.output().slice(served), /built again/, 'an unchanged folder is not built again');
  assert.deepEqual([...wasm], ['reader_bg.wasm'], 'the page fetched the reader module only');
  await context.close();
});
