// Reading state on a static collection of 10,000 derived articles (built by
// `lectern index`, served as plain files): *unread only* and *starred only*,
// alone, together and with a search, show exactly the articles the same
// filters give over the full list (`lectern search` on the collection, without
// and with the query), in the same order, and the page fetches only
// the pieces of the rows it shows (no article bodies, a bounded number of
// list and card files).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { startServer, launch, openPage, waitReady, listCount, listSettled, derivedCollection, searchNative } from './helpers.mjs';

const COUNT = 10_000;
let scratch;
let site;
let server;
let browser;
/** Every article of the collection in the list's order (newest first): ids. */
let order;

before(async () => {
  ({ scratch, site } = await derivedCollection('static-marks', { count: COUNT, seed: 11 }));
  // The full list in the page's order (newest first), as `lectern search` gives it without a query.
  order = cliSearch('').map((hit) => hit.id);
  assert.equal(order.length, COUNT);
  [server, browser] = await Promise.all([startServer(site), launch()]);
});

after(async () => {
  await browser?.close();
  server?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const cliSearch = (query) => searchNative(site, query, COUNT);

/** The ids of the rows drawn, in order. */
const shownIds = async (page) => (await listSettled(page), page.$$eval('#list .item', (rows) => rows
  .sort((a, b) => Number(a.getAttribute('aria-posinset')) - Number(b.getAttribute('aria-posinset')))
  .map((row) => row.dataset.id)));

test('10,000 articles: unread only and starred only, with and without a search, are exactly right and fetch only the rows shown', { timeout: 600_000 }, async () => {
  // Marks spread over the whole collection, old and new: every 7th read, every 11th starred.
  const read = new Set(order.filter((_, i) => i % 7 === 3));
  const starred = new Set(order.filter((_, i) => i % 11 === 5));
  const { page, context, problems } = await openPage(browser, null);
  await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
  await page.goto(server.url);
  await waitReady(page);
  await page.evaluate(async (marks) => {
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open('lectern');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    await new Promise((resolve, reject) => {
      const tx = db.transaction('marks', 'readwrite');
      for (const mark of marks) tx.objectStore('marks').put(mark);
      tx.oncomplete = resolve;
      tx.onerror = () => reject(tx.error);
    });
    db.close();
  }, [...new Set([...read, ...starred])].map((id) => ({ id, read: read.has(id), starred: starred.has(id), position: 0, updated: 1 })));

  const fetched = [];
  page.on('requestfinished', async (request) => {
    const url = new URL(request.url());
    if (!url.pathname.includes('/collection/')) return;
    const length = Number((await request.response().then((r) => r?.allHeaders()).catch(() => ({})))?.['content-length']);
    fetched.push({ path: url.pathname.replace(/^.*\/collection\//, ''), bytes: Number.isFinite(length) ? length : 0 });
  });
  await page.reload();
  await waitReady(page);
  assert.equal(await listCount(page), COUNT);

  const cases = [
    { label: 'unread only', unread: true, starred: false, query: '' },
    { label: 'starred only', unread: false, starred: true, query: '' },
    { label: 'unread and starred', unread: true, starred: true, query: '' },
    { label: 'starred only, searching "release"', unread: false, starred: true, query: 'release' },
    { label: 'unread only, searching "发布"', unread: true, starred: false, query: '发布' },
  ];
  for (const c of cases) {
    await page.fill('#search', '');
    await page.setChecked('#filter-unread', false);
    await page.setChecked('#filter-starred', false);
    await listSettled(page);
    await page.waitForLoadState('networkidle');
    fetched.length = 0;
    if (c.query) await page.fill('#search', c.query);
    await page.setChecked('#filter-unread', c.unread);
    await page.setChecked('#filter-starred', c.starred);
    const base = c.query ? cliSearch(c.query).map((hit) => hit.id) : order;
    const expected = base.filter((id) => (!c.unread || !read.has(id)) && (!c.starred || starred.has(id)));
    assert.ok(expected.length > 0, `${c.label}: the case has articles`);
    await page.waitForFunction((count) => {
      const text = document.querySelector('#result-count')?.textContent ?? '';
      return !document.documentElement.hasAttribute('data-list-busy') && new RegExp(`^${count}\\b`).test(text.replace(/,/g, ''));
    }, expected.length, { timeout: 60_000 }).catch(async () => {
      assert.fail(`${c.label}: the page says '${await page.textContent('#result-count')}', expected ${expected.length}`);
    });
    const shown = await shownIds(page);
    assert.ok(shown.length > 0, `${c.label}: rows drawn`);
    if (c.query) {
      // Ranked: the rows drawn are the expected set's first ones (ties may order alike-scored hits apart).
      assert.ok(shown.every((id) => expected.includes(id)), `${c.label}: only articles that pass the filters`);
      assert.deepEqual(shown.slice(0, 3), expected.slice(0, 3), `${c.label}: the best hits first, as lectern search ranks them`);
    } else {
      assert.deepEqual(shown, expected.slice(0, shown.length), `${c.label}: exactly the filtered list, newest first`);
    }
    await page.waitForLoadState('networkidle');
    const bytes = fetched.reduce((sum, f) => sum + f.bytes, 0);
    const kinds = [...new Set(fetched.map((f) => f.path.split('/')[0]))];
    console.log(`static marks: ${c.label}: ${expected.length} articles, ${shown.length} rows drawn, ${fetched.length} files, ${bytes} bytes (${kinds.join(', ')})`);
    assert.ok(!fetched.some((f) => f.path.startsWith('articles/')), `${c.label}: no article bodies fetched`);
    assert.ok(fetched.filter((f) => /^(cards|list)\//.test(f.path)).length <= 60, `${c.label}: only the pieces of the rows shown: ${fetched.length} files`);
  }
  assert.deepEqual(problems.errors.filter((e) => !/^Failed to load resource: net::ERR_FAILED \(https?:\/\/(?!127\.0\.0\.1)/.test(e)), []);
  await context.close();
});
