// The browser extension (dist/extension, built by ./build.sh): loaded unpacked
// into Debian's Chromium; "save this page" through the extension's own
// message path; the reading list page shows the saved article, sanitised,
// searchable, with images from a host that refuses requests carrying a
// Referer; it is still there after the browser restarts; removing it from one
// reading list page removes it from another; no CSP errors.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, CHROMIUM, CHROMIUM_ARGS, watchProblems, waitReady, listTitles, waitForAsync } from './helpers.mjs';
import { startFixtureServer } from './fixture-server.mjs';

const BUILT = path.join(ROOT, 'dist', 'extension');
const SHOTS = path.join(ROOT, 'test-results', 'screenshots');
let work;
let extensionDir;
let profile;
let site;

/** A news article as sites write them: chrome around it, scripts, handlers, lazy and relative images. */
function articlePage(host) {
  const paragraph = (n) => `<p>Paragraph ${n} of the harbour report. The tide tables for the northern quay were revised after the
    spring survey, and the ferry company moved its first crossing to a quarter past six. Fishermen say the new schedule
    suits the catch better, while commuters worry about the longer wait in winter. The council will review it in autumn.</p>`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour timetable changes for the spring season - Quayside Gazette</title>
<meta property="og:site_name" content="Quayside Gazette">
<meta name="author" content="Mara Lindqvist">
<meta property="article:published_time" content="2024-03-18T07:30:00Z">
<script>window.tracking = true;</script>
</head><body>
<nav><a href="/">Home</a> <a href="/sport">Sport</a> <a href="/weather">Weather</a></nav>
<article>
  <h1>Harbour timetable changes for the spring season</h1>
  <p class="byline">By Mara Lindqvist</p>
  ${paragraph(1)}
  <figure><img src="${host}/img/harbour.svg" alt="The northern quay at dawn" onerror="alert(1)"><figcaption>The northern quay</figcaption></figure>
  ${paragraph(2)}
  <p>Relative image: <img src="/img/relative-ferry.svg" alt="A ferry" referrerpolicy="unsafe-url"></p>
  ${paragraph(3)}
  <p><img class="lazy" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="${host}/img/lazy-gulls.svg" alt="Gulls"></p>
  ${paragraph(4)}
  <p><a href="javascript:alert(2)">a link that runs script</a> and <a href="/timetable">the timetable</a>.</p>
  ${paragraph(5)}
</article>
<aside><h2>Most read</h2><ul><li><a href="/a">Another story</a></li></ul></aside>
<footer>© Quayside Gazette</footer>
</body></html>`;
}

const NOT_AN_ARTICLE = `<!doctype html><html lang="en"><head><title>Search</title></head><body>
<nav><a href="/">Home</a></nav><form><input name="q"></form><p>No results.</p></body></html>`;

before(async () => {
  assert.ok(existsSync(path.join(BUILT, 'manifest.json')), `the extension is not built: ${BUILT} is missing (run ./build.sh dist)`);
  work = mkdtempSync(path.join(tmpdir(), 'lectern-extension-'));
  // The test's copy of the extension. A click on the toolbar button, the
  // context menu or the command grants `activeTab` for the clicked tab; no
  // automation can click the browser's own UI, so this copy holds the host
  // permission for 127.0.0.1 that the grant would give (and that subscribing
  // to a feed there asks for: held already, it is granted without a prompt,
  // which no automation can answer). Nothing else differs.
  extensionDir = path.join(work, 'extension');
  cpSync(BUILT, extensionDir, { recursive: true });
  const manifest = JSON.parse(readFileSync(path.join(extensionDir, 'manifest.json'), 'utf8'));
  assert.deepEqual(manifest.permissions.sort(), ['activeTab', 'alarms', 'contextMenus', 'scripting', 'sidePanel', 'storage']);
  assert.equal(manifest.host_permissions, undefined, 'the extension itself asks for no host permission');
  assert.deepEqual(manifest.optional_host_permissions, ['https://*/*', 'http://*/*'], 'feed hosts are asked for one by one, when subscribing');
  assert.equal(manifest.content_security_policy.extension_pages, "script-src 'self' 'wasm-unsafe-eval'; object-src 'self'");
  manifest.host_permissions = ['http://127.0.0.1/*'];
  writeFileSync(path.join(extensionDir, 'manifest.json'), JSON.stringify(manifest));
  profile = path.join(work, 'profile');
  site = await startFixtureServer();
  site.files.set('/2024/03/harbour-timetable.html', { body: articlePage(site.url), type: 'text/html; charset=utf-8' });
  site.files.set('/search.html', { body: NOT_AN_ARTICLE, type: 'text/html; charset=utf-8' });
});

/** Browsers still open when a test fails midway (closed here, so the run can end). */
const open = new Set();

after(async () => {
  for (const context of open) await context.close().catch(() => {});
  site?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** Starts Chromium with the extension; resolves to { context, id }. */
async function launchWithExtension() {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: [...CHROMIUM_ARGS, `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`],
  });
  open.add(context);
  context.on('close', () => open.delete(context));
  const worker = context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://'))
    ?? await context.waitForEvent('serviceworker', { timeout: 30_000 });
  return { context, id: new URL(worker.url()).host, worker };
}

/**
 * Which WebAssembly modules an extension page has running: a module's exports
 * throw until it was loaded and started (importing its glue loads nothing).
 */
function modulesRunning(page) {
  return page.evaluate(async () => {
    const running = [];
    for (const name of ['reader', 'ingest']) {
      const glue = await import(`./pkg/${name}.js`);
      try {
        glue.version();
        running.push(`${name}_bg.wasm`);
      } catch {
        // Not loaded in this page.
      }
    }
    return running;
  });
}

/** Records what the background fetches from now on (its fetch, which the modules' glue uses). */
function watchBackgroundFetches(worker) {
  return worker.evaluate(() => {
    self.__fetched = [];
    const real = self.fetch.bind(self);
    self.fetch = (resource, ...rest) => {
      self.__fetched.push(new URL(String(resource instanceof Request ? resource.url : resource), self.location.href).pathname.split('/').pop());
      return real(resource, ...rest);
    };
  });
}

const backgroundFetched = (worker) => worker.evaluate(() => self.__fetched.filter((name) => name.endsWith('.wasm')));

async function openReadingList(context, id) {
  const page = await context.newPage();
  const problems = await watchProblems(page);
  await page.goto(`chrome-extension://${id}/index.html`);
  await waitReady(page);
  return { page, problems };
}

/** Saves the tab showing `url` through the extension's message path; resolves to the outcome. */
async function save(listPage, url) {
  return listPage.evaluate(async (address) => {
    const [tab] = await chrome.tabs.query({ url: address });
    if (!tab) throw new Error(`no tab shows ${address}`);
    return chrome.runtime.sendMessage({ type: 'save-tab', tabId: tab.id });
  }, url);
}

test('saves a page through the extension, shows it sanitised and searchable with its images, keeps it across restarts', async () => {
  let { context, id, worker } = await launchWithExtension();
  const articleUrl = `${site.url}/2024/03/harbour-timetable.html`;
  const tab = await context.newPage();
  await tab.goto(articleUrl);
  // The site's own page sends a Referer for its images (and is refused): only what follows counts.
  await tab.waitForLoadState('load');
  site.requests.length = 0;
  site.refused.length = 0;
  await watchBackgroundFetches(worker);
  const { page, problems } = await openReadingList(context, id);
  assert.equal(await page.$$eval('#list .item', (rows) => rows.length), 0);
  // The reading list runs the reader module only; the background loads no module before a save.
  assert.deepEqual(await modulesRunning(page), ['reader_bg.wasm'], 'the extension reading list runs the reader module only');
  assert.deepEqual(await backgroundFetched(worker), [], 'the background fetches no module until something is saved');

  const outcome = await save(page, articleUrl);
  assert.deepEqual(await backgroundFetched(worker), ['ingest_bg.wasm'], 'saving a page loads the ingest module in the background');
  console.log('extension: the reading list runs reader_bg.wasm only; "save this page" fetched ingest_bg.wasm in the background');
  assert.equal(outcome.ok, true, JSON.stringify(outcome));
  assert.equal(outcome.title, 'Harbour timetable changes for the spring season');
  assert.equal(outcome.updated, false);
  // The page that was saved says so.
  assert.equal(await tab.$eval('#lectern-save-notice', (el) => el.shadowRoot.textContent), 'Saved to Lectern: Harbour timetable changes for the spring season');

  // The open reading list shows it at once (the store tells its pages).
  await page.waitForSelector(`#list .item[data-id="${outcome.id}"]`);
  assert.deepEqual(await listTitles(page), ['Harbour timetable changes for the spring season']);
  const row = await page.$eval('#list .item', (r) => r.textContent);
  assert.match(row, /Mara Lindqvist/);

  // Searchable: a word of the body finds it, highlighted; another word does not.
  await page.fill('#search', 'fishermen');
  await page.waitForFunction(() => document.querySelector('#list .item mark')?.textContent.toLowerCase() === 'fishermen');
  await page.fill('#search', 'zeppelin');
  await page.waitForSelector('#empty:not([hidden])');
  await page.fill('#search', '');
  await page.waitForSelector('#list .item');

  // Opened: sanitised, with its metadata, and every image loads from the host that refuses referrers.
  await page.click('#list .item-link');
  await page.waitForSelector('#article-view:not([hidden])');
  assert.equal(await page.textContent('#article-title'), 'Harbour timetable changes for the spring season');
  const body = await page.$eval('#article-body', (b) => ({
    html: b.innerHTML,
    text: b.textContent,
    images: [...b.querySelectorAll('img')].map((i) => ({ src: i.getAttribute('src'), policy: i.referrerPolicy })),
    links: [...b.querySelectorAll('a')].map((a) => a.getAttribute('href')),
  }));
  assert.doesNotMatch(body.html, /<script|onerror|javascript:|alert\(/i);
  assert.doesNotMatch(body.text, /Most read|Another story|© Quayside/, 'the page chrome is not part of the article');
  assert.match(body.text, /Paragraph 5 of the harbour report/);
  assert.deepEqual(body.images.map((i) => i.src), [
    `${site.url}/img/harbour.svg`, `${site.url}/img/relative-ferry.svg`, `${site.url}/img/lazy-gulls.svg`,
  ]);
  for (const image of body.images) assert.equal(image.policy, 'no-referrer');
  assert.ok(body.links.includes(`${site.url}/timetable`), 'relative links resolved against the page');
  assert.equal(await page.getAttribute('#original-link', 'href'), articleUrl);
  await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
  await page.waitForFunction(() => [...document.querySelectorAll('#article-body img')].every((i) => i.complete && i.naturalWidth > 0), null, { timeout: 15_000 });
  mkdirSync(SHOTS, { recursive: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SHOTS, 'extension-article.png') });
  const served = site.requests.filter((r) => r.path.startsWith('/img/')).map((r) => r.path);
  for (const image of ['/img/harbour.svg', '/img/relative-ferry.svg', '/img/lazy-gulls.svg']) assert.ok(served.includes(image), `${image} requested`);
  assert.deepEqual(site.refused, [], 'no image request carried a Referer');

  // The stored record: the extracted article, and an article file that parses back to the same article
  // (what an export carries, and what a newer core parses again).
  assert.deepEqual(await modulesRunning(page), ['reader_bg.wasm'], 'showing a saved page needs the reader module only');
  const stored = await page.evaluate(async (articleId) => {
    const { openStore } = await import('./js/store.js');
    const ingest = await import('./pkg/ingest.js');
    await ingest.default({ module_or_path: new URL('./pkg/ingest_bg.wasm', document.baseURI) });
    const record = await (await openStore()).article(articleId);
    const [again] = ingest.parseArticles([{ name: record.name, text: record.text, base: record.base }]);
    const pick = (a) => ({ id: a.id, title: a.title, link: a.link, date: a.date, author: a.author, lang: a.lang, dir: a.dir, text: a.text });
    return { kind: record.kind, name: record.name, coreVersion: record.coreVersion === ingest.version(), saved: pick(record.article), parsed: pick(again) };
  }, outcome.id);
  assert.equal(stored.kind, 'web-page');
  assert.equal(stored.name, articleUrl);
  assert.equal(stored.coreVersion, true);
  assert.equal(stored.saved.date, '2024-03-18T07:30:00Z');
  assert.equal(stored.saved.author, 'Mara Lindqvist');
  assert.deepEqual(stored.parsed, stored.saved);

  // Saving the same URL again updates it, not a second copy.
  const again = await save(page, articleUrl);
  assert.deepEqual({ ok: again.ok, id: again.id, updated: again.updated }, { ok: true, id: outcome.id, updated: true });
  // A page with no article is reported and not saved.
  const searchUrl = `${site.url}/search.html`;
  await tab.goto(searchUrl);
  const refused = await save(page, searchUrl);
  assert.equal(refused.ok, false);
  assert.match(refused.error, /no article found on this page/);
  assert.match(await tab.$eval('#lectern-save-notice', (el) => el.shadowRoot.textContent), /^Lectern did not save this page: no article found on this page/);
  await page.click('#back-button');
  await page.waitForSelector('#list-view:not([hidden])');
  await page.waitForTimeout(300);
  assert.equal(await page.$$eval('#list .item', (rows) => rows.length), 1);
  assert.deepEqual(problems.errors, [], 'no CSP, Trusted Types or script errors on the extension page');
  await context.close();

  // A new browser session on the same profile: still there.
  ({ context, id } = await launchWithExtension());
  const reopened = await openReadingList(context, id);
  assert.deepEqual(await listTitles(reopened.page), ['Harbour timetable changes for the spring season']);
  await reopened.page.fill('#search', 'ferry');
  await reopened.page.waitForFunction(() => document.querySelector('#list .item mark'));

  // Removed from one reading list page (after a confirmation), it leaves the other open one too.
  const other = await openReadingList(context, id);
  assert.equal(await other.page.$$eval('#list .item', (rows) => rows.length), 1);
  const { page: reader } = reopened;
  reader.on('dialog', (dialog) => dialog.accept());
  await reader.click('#list .item-link');
  await reader.waitForSelector('#article-view:not([hidden])');
  await reader.click('#remove-button');
  await reader.waitForSelector('#list-view:not([hidden])');
  await reader.fill('#search', '');
  await reader.waitForSelector('#empty:not([hidden])');
  await other.page.waitForSelector('#empty:not([hidden])');
  assert.equal(await other.page.$$eval('#list .item', (rows) => rows.length), 0);
  assert.deepEqual(reopened.problems.errors, []);
  assert.deepEqual(other.problems.errors, []);
  await context.close();
});

/** A feed as the test's site serves it: `items` is [{ guid, title, body, date? }]. */
function rssFeed(items) {
  const entries = items.map((item) => `<item><title>${item.title}</title><link>http://127.0.0.1/news/${item.guid}</link>
    <guid isPermaLink="false">${item.guid}</guid>${item.date ? `<pubDate>${item.date}</pubDate>` : ''}
    <description><![CDATA[<p>${item.body}</p><script>alert(1)</script>]]></description></item>`).join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Harbour Wire</title><link>http://127.0.0.1/news/</link>${entries}</channel></rss>`;
}

const feedTitles = (titles) => titles.filter((title) => title.startsWith('Wire:'));

test('subscribes to a feed: its items appear unread, a refresh adds the new item and nothing twice, the subscription survives a restart', async () => {
  const feedUrl = `${site.url}/feeds/wire.xml`;
  const first = [
    { guid: 'w1', title: 'Wire: ferry strike called off', body: 'The unions and the ferry company agreed overnight.', date: 'Mon, 01 Jul 2024 08:00:00 GMT' },
    { guid: 'w2', title: 'Wire: 港口新时刻表公布', body: '北码头的第一班渡轮改为六点一刻。', date: 'Tue, 02 Jul 2024 08:00:00 GMT' },
  ];
  site.files.set('/feeds/wire.xml', { body: rssFeed(first), type: 'application/rss+xml; charset=utf-8' });
  let { context, id, worker } = await launchWithExtension();
  await watchBackgroundFetches(worker);
  let { page, problems } = await openReadingList(context, id);
  await page.click('#settings-button');
  assert.equal(await page.isVisible('#subscribe-form'), true, 'the extension can subscribe');
  await page.fill('#subscribe-input', feedUrl);
  await page.click('#subscribe-form button[type=submit]');
  await page.waitForSelector(`#feed-list li[data-url="${feedUrl}"]`);
  const row = await page.textContent(`#feed-list li[data-url="${feedUrl}"]`);
  assert.match(row, /Harbour Wire/);
  assert.match(row, /2 items/);
  assert.doesNotMatch(row, /failed/);
  assert.deepEqual((await backgroundFetched(worker)).sort(), ['feeds_bg.wasm', 'ingest_bg.wasm'], 'a feed loads the feeds and ingest modules in the background');
  await page.click('#settings-dialog form[method=dialog] button');
  await waitForAsync(page, () => document.querySelectorAll('#list .item').length >= 2);
  let titles = feedTitles(await listTitles(page));
  assert.deepEqual(titles.sort(), ['Wire: ferry strike called off', 'Wire: 港口新时刻表公布'].sort());
  const unread = await page.$$eval('#list .item', (rows) => rows.filter((r) => r.textContent.includes('Wire:')).map((r) => r.classList.contains('unread')));
  assert.deepEqual(unread, [true, true], 'new items are unread');

  // The search finds a Chinese word inside an item, and the item's HTML was sanitised.
  await page.fill('#search', '时刻表');
  await waitForAsync(page, () => [...document.querySelectorAll('#list .item')].length === 1);
  await page.click('#list .item .item-link');
  await page.waitForSelector('#article-view:not([hidden]) .article-body');
  assert.equal(await page.$$eval('.article-body script', (s) => s.length), 0);
  assert.match(await page.textContent('.article-body'), /六点一刻/);
  await page.goto(`chrome-extension://${id}/index.html`);
  await waitReady(page);

  // The feed changes: one item corrected, one added. A refresh adds one article and replaces one.
  const second = [{ guid: 'w3', title: 'Wire: new quay opens', body: 'The new quay opened this morning.' }, { ...first[0], title: 'Wire: ferry strike called off for good' }, first[1]];
  site.files.set('/feeds/wire.xml', { body: rssFeed(second), type: 'application/rss+xml; charset=utf-8' });
  await page.click('#settings-button');
  await page.click('#refresh-feeds');
  await page.waitForSelector('.notice:has-text("Feeds refreshed")');
  assert.match(await page.textContent('.notice:has-text("Feeds refreshed")'), /1 new, 1 updated, 0 failed/);
  await page.click('#settings-dialog form[method=dialog] button');
  await waitForAsync(page, () => [...document.querySelectorAll('#list .item')].some((r) => r.textContent.includes('new quay')));
  titles = feedTitles(await listTitles(page));
  assert.deepEqual(titles.sort(), ['Wire: ferry strike called off for good', 'Wire: new quay opens', 'Wire: 港口新时刻表公布'].sort(), 'nothing twice');

  // An OPML list (one feed already subscribed, one new, one not http): the new one is subscribed and fetched.
  site.files.set('/feeds/quay.atom', {
    body: `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Quay Notes</title><id>tag:quay.test,2024:notes</id>
      <entry><title>Quay: lights repaired</title><id>tag:quay.test,2024:1</id><link href="http://127.0.0.1/quay/1"/><updated>2024-07-03T10:00:00Z</updated><summary>The harbour lights work again.</summary></entry></feed>`,
    type: 'application/atom+xml',
  });
  const opmlFile = path.join(work, 'subscriptions.opml');
  writeFileSync(opmlFile, `<?xml version="1.0"?><opml version="2.0"><head><title>Mine</title></head><body><outline text="Harbour">
    <outline text="Wire" type="rss" xmlUrl="${feedUrl}"/><outline text="Quay" type="rss" xmlUrl="${site.url}/feeds/quay.atom"/>
    <outline text="Not a feed" type="rss" xmlUrl="ftp://127.0.0.1/feed"/></outline></body></opml>`);
  await page.click('#settings-button');
  await page.setInputFiles('#import-opml', opmlFile);
  await page.waitForSelector('.notice:has-text("Subscribed to 1 of the 3 feeds")').catch(async (error) => {
    throw new Error(`${error.message}; notices: ${(await page.$$eval('.notice', (n) => n.map((x) => x.textContent))).join(' | ')}`);
  });
  await page.waitForSelector(`#feed-list li[data-url="${site.url}/feeds/quay.atom"]`);
  await page.click('#settings-dialog form[method=dialog] button');
  await waitForAsync(page, () => [...document.querySelectorAll('#list .item')].some((r) => r.textContent.includes('lights repaired')));
  assert.equal(feedTitles(await listTitles(page)).length, 3, 'the subscribed feed was not fetched twice');
  assert.deepEqual(problems.errors, [], 'no errors or CSP violations');
  await context.close();

  // After a restart: the subscription, its articles and the refresh alarm are there.
  ({ context, id, worker } = await launchWithExtension());
  ({ page } = await openReadingList(context, id));
  await waitForAsync(page, () => document.querySelectorAll('#list .item').length >= 3);
  assert.equal(feedTitles(await listTitles(page)).length, 3);
  await page.click('#settings-button');
  await page.waitForSelector(`#feed-list li[data-url="${feedUrl}"]`);
  assert.match(await page.textContent(`#feed-list li[data-url="${feedUrl}"]`), /3 items/);
  assert.equal(await page.locator('#feed-list li.feed').count(), 2, 'both subscriptions are kept');
  const alarm = await worker.evaluate(() => chrome.alarms.get('lectern-feeds'));
  assert.equal(alarm?.periodInMinutes, 60, 'the background refreshes every hour by default');
  // The alarm's refresh: the feed gains an item; the alarm fires (due now, as the hourly one would) and adds it.
  site.files.set('/feeds/wire.xml', { body: rssFeed([{ guid: 'w4', title: 'Wire: night ferry returns', body: 'From Monday.' }, ...second]), type: 'application/rss+xml; charset=utf-8' });
  await worker.evaluate(() => chrome.alarms.create('lectern-feeds', { when: Date.now() + 500 }));
  await page.click('#settings-dialog form[method=dialog] button');
  await waitForAsync(page, () => [...document.querySelectorAll('#list .item')].some((r) => r.textContent.includes('night ferry')), undefined, { timeout: 60_000 });
  assert.equal(feedTitles(await listTitles(page)).length, 4, 'the alarm added the one new item');
  assert.ok((await listTitles(page)).some((title) => title.startsWith('Quay:')), 'and the feed from the list is there');
  const opml = await page.evaluate(() => chrome.runtime.sendMessage({ type: 'feeds:export-opml' }));
  assert.equal(opml.ok, true);
  assert.match(opml.result, new RegExp(`xmlUrl="${feedUrl.replace(/[.]/g, '\\.')}"`));
  console.log('extension feeds: subscribed, 2 items unread, refresh +1 new 1 updated, nothing twice; an OPML list adds the one new feed; subscriptions, hourly alarm (its refresh adds a new item) and OPML export after a restart');
  await context.close();
});
