// The ingest module in its Web Worker, when things go wrong and at scale:
// - a file that makes the module trap (a test build of the worker's script
//   throws the WebAssembly trap for it) is reported on its own; the rest of
//   the import is added;
// - a module that cannot start, and a browser without module workers, give
//   a clear message, and nothing the reader saved before is lost;
// - feed files through "Add articles" (the feeds module in the worker) and the
//   page's OPML export of their feeds;
// - importing the 2,207 files of the shared corpora through "Add articles":
//   every file is added or reported, and the page's long tasks (over 50 ms,
//   PerformanceObserver) and the rate are printed (not asserted).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, useServerAndBrowser, openPage, waitReady, listCount, routeExampleImages, parseNative } from './helpers.mjs';

const SAMPLES = path.join(ROOT, 'samples');
const SHARED = process.env.LECTERN_SHARED || path.join(ROOT, '..', 'shared');
const TRAP = 'LECTERN-TEST-TRAP';
const session = useServerAndBrowser(SAMPLES);
let tmp;

before(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'lectern-ingest-'));
});

after(async () => {
  rmSync(tmp, { recursive: true, force: true });
});

const post = (title, body) => `---\ntitle: "${title}"\ndate: 2024-02-0${(title.length % 9) + 1} 09:00:00\n---\n\n${body}\n`;

/** A folder of article files: `good` ordinary ones, and the given extra files. */
function folderOf(name, good, extra = {}) {
  const folder = path.join(tmp, name);
  mkdirSync(folder, { recursive: true });
  for (let i = 0; i < good; i++) writeFileSync(path.join(folder, `${name}-${i}.md`), post(`${name} article ${i}`, `Body ${i} of ${name}.`));
  for (const [file, text] of Object.entries(extra)) writeFileSync(path.join(folder, file), text);
  return folder;
}

async function importFolder(page, folder) {
  // The notice of an earlier import would answer the wait below before this import's arrives.
  await page.evaluate(() => document.querySelector('[data-notice-id="import"]')?.remove());
  await page.click('#add-button');
  await page.setInputFiles('#folder-input', folder);
  await page.waitForSelector('[data-notice-id="import"]', { timeout: 120_000 });
  return page.textContent('[data-notice-id="import"]');
}

test('a file that makes the ingest module trap is reported on its own; the other files are added', async () => {
  const { page, context, problems } = await openPage(session.browser, null, { route: routeExampleImages });
  // The test build: the worker dies, as on a WebAssembly trap, on any batch holding the marked file.
  await page.route('**/js/ingest-worker.js', async (route) => {
    const real = readFileSync(path.join(ROOT, 'www/js/ingest-worker.js'), 'utf8');
    const trapping = real.replace('  runWorker();', `  runWorker();
  const handle = self.onmessage; // TEST BUILD: a file that traps
  self.onmessage = (event) => {
    if (event.data?.files?.some((file) => file.text.includes('${TRAP}'))) throw new WebAssembly.RuntimeError('unreachable');
    handle(event);
  };`);
    assert.notEqual(trapping, real, 'the test build could not wrap the worker');
    await route.fulfill({ body: trapping, contentType: 'text/javascript' });
  });
  await page.goto(session.server.url);
  await waitReady(page);
  const total = await listCount(page);
  const folder = folderOf('trap', 6, { 'poison.md': post('Poison', `This file stops the module: ${TRAP}`) });
  const notice = await importFolder(page, folder);
  assert.match(notice, /Added 6 articles\. 1 file could not be added:/, notice);
  const details = await page.$$eval('[data-notice-id="import"] li', (items) => items.map((li) => li.textContent));
  assert.equal(details.length, 1);
  assert.match(details[0], /^trap\/poison\.md: Lectern's article reader stopped while reading this file \(.*unreachable.*\); it was skipped$/);
  assert.equal(await listCount(page), total + 6);
  // The worker was started again: a later import works.
  assert.match(await importFolder(page, folderOf('after', 2)), /Added 2 articles\./);
  assert.equal(await listCount(page), total + 8);
  assert.deepEqual(problems.errors.filter((e) => !/unreachable/.test(e)), []);
  await context.close();
});

test('an ingest module that cannot start, or a browser without module workers: a clear message, nothing saved is lost', async () => {
  const { page, context } = await openPage(session.browser, session.server.url, { route: routeExampleImages });
  const total = await listCount(page);
  assert.match(await importFolder(page, folderOf('kept', 3)), /Added 3 articles\./);
  assert.equal(await listCount(page), total + 3);

  // The module is missing on the server (routed for the whole context: the service worker fetches it too).
  await context.route('**/pkg/ingest_bg.wasm', (route) => route.fulfill({ status: 404, body: 'not here' }));
  const broken = await context.newPage();
  await broken.goto(session.server.url);
  await waitReady(broken);
  assert.equal(await listCount(broken), total + 3, 'the saved articles are listed (the reader module alone shows them)');
  const notice = await importFolder(broken, folderOf('refused', 2));
  assert.match(notice, /Added 0 articles\. Lectern's article reader \(its ingest module\) could not start: /, notice);
  assert.equal(await listCount(broken), total + 3);
  await broken.reload();
  await waitReady(broken);
  assert.equal(await listCount(broken), total + 3, 'nothing saved was lost');
  await broken.close();
  await context.unroute('**/pkg/ingest_bg.wasm');

  // A browser that cannot run module workers.
  const old = await context.newPage();
  await old.addInitScript(() => {
    const Real = window.Worker;
    window.Worker = function Worker(url, options) {
      if (options?.type === 'module') throw new TypeError('Module scripts are not supported on DedicatedWorker yet');
      return new Real(url, options);
    };
  });
  await old.goto(session.server.url);
  await waitReady(old);
  const said = await importFolder(old, folderOf('classic', 2));
  assert.match(said, /could not start: this browser cannot run it in a module worker/, said);
  assert.equal(await listCount(old), total + 3);
  await context.close();
});

/** The article files of the shared corpora (the 2,207 the bench's ingest suite reads). */
function corpusFiles() {
  const corpus = path.join(SHARED, 'corpus');
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/\.(md|html?)$/.test(entry.name) && !/^(readme|license)/i.test(entry.name)) out.push(full);
    }
  };
  for (const name of ['rsshub', 'rust-blog', 'i2p-blog', 'kriheli-blog']) walk(path.join(corpus, name));
  return out;
}

test('importing the 2,207 files of the shared corpora through Add articles: every file added or reported; long tasks printed', { timeout: 600_000 }, async () => {
  assert.ok(existsSync(path.join(SHARED, 'corpus')), `the shared corpora are missing: ${SHARED}/corpus (set LECTERN_SHARED)`);
  const files = corpusFiles();
  assert.ok(files.length > 2000, `${files.length} corpus files`);
  const folder = path.join(tmp, 'corpus');
  mkdirSync(folder);
  for (const file of files) copyFileSync(file, path.join(folder, path.relative(path.join(SHARED, 'corpus'), file).replaceAll(path.sep, '_')));
  const native = await parseNative(folder);
  const { page, context, problems } = await openPage(session.browser, null, { route: routeExampleImages });
  await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
  await page.addInitScript(() => {
    window.__longTasks = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push({ start: entry.startTime, duration: entry.duration });
    }).observe({ type: 'longtask', buffered: true });
    // The import starts when the page gets the chosen folder (the browser lists its files before that, in its own task).
    document.addEventListener('change', (event) => {
      if (event.target.id === 'folder-input') window.__importStarted ??= performance.now();
    }, true);
  });
  await page.goto(session.server.url);
  await waitReady(page);
  const total = await listCount(page);
  const before = await page.evaluate(() => performance.now());
  const notice = await importFolder(page, folder);
  const { started, ended, tasks, listing } = await page.evaluate((from) => ({
    started: window.__importStarted,
    ended: performance.now(),
    tasks: window.__longTasks.filter((t) => t.start >= window.__importStarted).map((t) => Math.round(t.duration)),
    listing: Math.round(window.__longTasks.filter((t) => t.start >= from && t.start < window.__importStarted).reduce((sum, t) => sum + t.duration, 0)),
  }), before);
  const seconds = (ended - started) / 1000;
  const added = Number(notice.match(/Added (\d+) articles/)?.[1]);
  const over100 = tasks.filter((d) => d > 100);
  console.log(`import of ${files.length} corpus files (${native.length} parse natively): ${added} added in ${seconds.toFixed(1)} s (${(added / seconds).toFixed(0)} articles/s); `
    + `main-thread long tasks while importing: ${tasks.length} over 50 ms (longest ${Math.max(0, ...tasks)} ms), ${over100.length} over 100 ms; `
    + `the browser's own listing of the chosen folder before it: ${listing} ms`);
  assert.equal(added, native.length, notice.slice(0, 300));
  assert.equal(await listCount(page), total + added);
  await page.fill('#search', '夜班');
  await page.waitForFunction(() => document.querySelector('#list .item mark'));
  // Images of the posts point at the internet, which tests do not reach.
  assert.deepEqual(problems.errors.filter((e) => !/^Failed to load resource: net::ERR_FAILED \(https?:\/\/(?!127\.0\.0\.1)/.test(e)), []);
  await context.close();
});

test('feed files added through "Add articles" add their items (the feeds module, in the worker); the page exports their feeds as OPML', async () => {
  const { page, context, problems } = await openPage(session.browser, null, { route: routeExampleImages });
  const requested = [];
  page.on('request', (request) => requested.push(new URL(request.url()).pathname.split('/').pop()));
  page.on('worker', (worker) => worker.on('console', () => {}));
  await page.goto(session.server.url);
  await waitReady(page);
  const total = await listCount(page);
  assert.ok(!requested.includes('feeds_bg.wasm'), 'the feeds module is not fetched before a feed is read');
  const fixtures = path.join(ROOT, 'tests/fixtures/feeds');
  const broken = path.join(tmp, 'broken.rss');
  writeFileSync(broken, '<!doctype html><html><body>Not a feed</body></html>');
  await page.click('#add-button');
  await page.setInputFiles('#file-input', [path.join(fixtures, 'rss-content-encoded.xml'), path.join(fixtures, 'json-feed.json'), broken]);
  await page.waitForSelector('[data-notice-id="import"]', { timeout: 60_000 });
  const notice = await page.textContent('[data-notice-id="import"]');
  // The RSS fixture has 4 items (one GUID repeated), the JSON Feed 2.
  assert.match(notice, /Added 6 articles\. 1 file could not be added:/, notice);
  assert.match(await page.textContent('[data-notice-id="import"] li'), /broken\.rss: .*web page/);
  assert.ok(requested.includes('feeds_bg.wasm'), 'the feeds module was fetched to read them');
  assert.equal(await listCount(page), total + 6);
  await page.fill('#search', '午夜');
  await page.waitForFunction(() => [...document.querySelectorAll('#list .item')].some((row) => row.textContent.includes('彗星在午夜划过夜空')));
  await page.fill('#search', '');

  await page.click('#settings-button');
  assert.equal(await page.isVisible('#subscribe-form'), false, 'a web page cannot subscribe (the extension can)');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-opml')]);
  const opml = readFileSync(await download.path(), 'utf8');
  assert.match(opml, /<opml version="2.0">/);
  assert.match(opml, /xmlUrl="https:\/\/heron\.example\/feed\.json"/, 'the JSON Feed names its own address');
  // The fixtures' lead images are on .example hosts, which do not resolve.
  assert.deepEqual(problems.errors.filter((e) => !/ERR_NAME_NOT_RESOLVED \(https:\/\/[a-z.]+\.example\//.test(e)), []);
  await context.close();
});
