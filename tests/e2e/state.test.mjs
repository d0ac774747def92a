// What the page remembers, and the articles a reader brings: persistence
// across reloads, export then import, a folder with a broken file, drag and
// drop, a file by URL, a full disk, and offline use.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  ROOT, useServerAndBrowser, LECTERN, watchProblems, openPage, gotoReady, waitReady, listTitles, listCount, routeExampleImages, waitForAsync,
} from './helpers.mjs';
import { startFixtureServer } from './fixture-server.mjs';
import { startStaticServer } from './static-server.mjs';

const SAMPLES = path.join(ROOT, 'samples');
const session = useServerAndBrowser(SAMPLES);
let fixtures;
let tmp;

before(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'lectern-state-'));
  fixtures = await startFixtureServer();
});

after(async () => {
  fixtures?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const post = (title, body, extra = '') => `---\ntitle: "${title}"\ncategories: [导入]\ndate: 2023-03-0${(title.length % 9) + 1} 08:00:00\n${extra}---\n\n${body}\n`;

/** The marks as the list shows them: title → {read, starred}. */
function markState(page) {
  return page.evaluate(async () => {
    const { openStore } = await import('./js/store.js');
    const store = await openStore();
    return [...(await store.marks()).values()].map(({ id, read, starred, position }) => ({ id, read, starred, position }))
      .filter((m) => m.read || m.starred || m.position > 0)
      .sort((a, b) => a.id.localeCompare(b.id));
  });
}

async function openByTitle(page, text) {
  await page.click(`#list .item-link:has-text("${text}")`);
  await page.waitForSelector('#article-view:not([hidden])');
}

async function backToList(page) {
  await page.click('#back-button');
  await page.waitForSelector('#list-view:not([hidden])');
}

test('read, starred, reading position and added articles survive a reload; export then import restores them', async () => {
  const { page, problems, context } = await openPage(session.browser, session.server.url, { route: routeExampleImages });
  const total = await listCount(page);

  // Add two articles from files.
  const files = path.join(tmp, 'added');
  mkdirSync(files, { recursive: true });
  writeFileSync(path.join(files, 'added-one.md'), post('一篇导入的文章', '这是从本地文件导入的第一篇文章，里面有一个独特的词：蓝鲸灯塔。'));
  writeFileSync(path.join(files, 'added-two.md'), post('Second added article', 'An added article about lighthouses and whales.'));
  await page.click('#add-button');
  await page.setInputFiles('#file-input', [path.join(files, 'added-one.md'), path.join(files, 'added-two.md')]);
  await page.waitForSelector('[data-notice-id="import"]');
  assert.match(await page.textContent('[data-notice-id="import"]'), /Added 2 articles/);
  assert.equal(await listCount(page), total + 2);

  // Read one (and scroll half-way), star another.
  await openByTitle(page, 'weather station');
  await page.waitForTimeout(500);
  await page.evaluate(() => window.scrollTo(0, (document.body.scrollHeight - innerHeight) / 2));
  await page.waitForTimeout(800);
  await backToList(page);
  await openByTitle(page, '一篇导入的文章');
  await page.click('#star-button');
  await backToList(page);
  const before = await markState(page);
  assert.equal(before.filter((m) => m.read).length, 2);
  assert.equal(before.filter((m) => m.starred).length, 1);
  assert.ok(before.some((m) => m.position > 0.3 && m.position < 0.7), `a reading position was kept: ${JSON.stringify(before)}`);

  // Reload: everything is still there.
  await page.reload();
  await waitReady(page);
  assert.equal(await listCount(page), total + 2);
  assert.deepEqual(await markState(page), before);
  await page.fill('#search', '蓝鲸灯塔');
  await page.waitForFunction(() => document.querySelector('#list .item')?.getAttribute('aria-setsize') === '1');
  assert.deepEqual(await listTitles(page), ['一篇导入的文章']);
  assert.ok(await page.locator('#list .item.starred.read').count() === 1);
  // The reading position is restored on opening.
  await page.fill('#search', '');
  await openByTitle(page, 'weather station');
  await page.waitForFunction(() => window.scrollY > 200);

  // Export.
  await page.click('#settings-button');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-button')]);
  const exportPath = path.join(tmp, 'reading-list.json');
  await download.saveAs(exportPath);
  const exported = JSON.parse(readFileSync(exportPath, 'utf8'));
  assert.equal(exported.format, 'lectern-reading-list');
  assert.equal(exported.version, 1);
  assert.equal(exported.articles.length, 2);
  assert.deepEqual(problems.errors, []);

  // A fresh browser profile imports it: the same state.
  const fresh = await openPage(session.browser, session.server.url, { route: routeExampleImages });
  assert.equal(await listCount(fresh.page), total);
  await fresh.page.click('#settings-button');
  await fresh.page.setInputFiles('#import-input', exportPath);
  await fresh.page.waitForSelector('[data-notice-id="import-list"]');
  assert.match(await fresh.page.textContent('[data-notice-id="import-list"]'), /Imported the reading list: 2 marks, 2 added articles/);
  assert.equal(await listCount(fresh.page), total + 2);
  const exportedMarks = exported.marks.map(({ id, read, starred, position }) => ({ id, read, starred, position })).sort((a, b) => a.id.localeCompare(b.id));
  assert.deepEqual(exportedMarks, before, 'the export holds the marks');
  assert.deepEqual(await markState(fresh.page), exportedMarks);
  await fresh.page.reload();
  await waitReady(fresh.page);
  assert.equal(await listCount(fresh.page), total + 2);
  assert.deepEqual(await markState(fresh.page), exportedMarks);
  await gotoReady(page, session.server.url);
  assert.deepEqual(await listTitles(fresh.page), await listTitles(page), 'the same list');

  // A file that is not a reading list, or from a newer version, is refused with the reason.
  const newer = path.join(tmp, 'newer.json');
  writeFileSync(newer, JSON.stringify({ ...exported, version: 99 }));
  await fresh.page.click('#settings-button');
  await fresh.page.setInputFiles('#import-input', newer);
  await fresh.page.waitForFunction(() => /newer Lectern \(format version 99/.test(document.querySelector('[data-notice-id="import-list"]')?.textContent));
  assert.deepEqual(fresh.problems.errors, []);
  await fresh.context.close();
  await context.close();
});

test('importing a folder with a broken file adds the rest and lists the error', async () => {
  const folder = path.join(tmp, 'folder');
  mkdirSync(path.join(folder, 'nested'), { recursive: true });
  writeFileSync(path.join(folder, 'good-one.md'), post('文件夹里的第一篇', '正文一：山间的溪流。'));
  writeFileSync(path.join(folder, 'nested', 'good-two.html'), post('Folder article two', '<p>Body two: a mountain stream.</p>'));
  writeFileSync(path.join(folder, 'good-three.md'), post('Folder article three', 'Body three.'));
  writeFileSync(path.join(folder, 'broken.md'), Buffer.from([0, 1, 2, 3, 0, 0, 255, 254, 0, 7, 0, 0]));
  writeFileSync(path.join(folder, 'empty.md'), '');
  writeFileSync(path.join(folder, 'picture.png'), Buffer.from([137, 80, 78, 71]));
  const { page, problems, context } = await openPage(session.browser, session.server.url, { route: routeExampleImages });
  const total = await listCount(page);
  await page.click('#add-button');
  await page.setInputFiles('#folder-input', folder);
  await page.waitForSelector('[data-notice-id="import"]');
  const notice = await page.textContent('[data-notice-id="import"]');
  assert.match(notice, /Added 3 articles\. 2 files could not be added:/);
  const details = await page.$$eval('[data-notice-id="import"] li', (items) => items.map((i) => i.textContent));
  assert.equal(details.length, 2);
  assert.ok(details.some((d) => /broken\.md: .*binary/i.test(d)), details.join('\n'));
  assert.ok(details.some((d) => /empty\.md: .*empty/i.test(d)), details.join('\n'));
  assert.equal(await listCount(page), total + 3);
  assert.ok(!notice.includes('picture.png'), 'files that are not articles are skipped, not failed');
  await page.reload();
  await waitReady(page);
  assert.equal(await listCount(page), total + 3, 'the imported articles were kept');
  assert.deepEqual(problems.errors, []);
  await context.close();
});

test('dropping files adds them, with a progress bar for many', async () => {
  const { page, problems, context } = await openPage(session.browser, session.server.url, { route: routeExampleImages });
  const total = await listCount(page);
  await page.evaluate((text) => {
    const transfer = new DataTransfer();
    for (let i = 0; i < 250; i++) transfer.items.add(new File([text.replace('TITLE', `拖放的文章 ${i}`)], `dropped-${i}.md`, { type: 'text/markdown' }));
    document.body.dispatchEvent(new DragEvent('dragenter', { dataTransfer: transfer, bubbles: true }));
    document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, post('TITLE', '拖放进来的文章正文。'));
  await page.waitForSelector('#progress:not([hidden])', { timeout: 5000 }).catch(() => {});
  await page.waitForSelector('[data-notice-id="import"]');
  assert.match(await page.textContent('[data-notice-id="import"]'), /Added 250 articles/);
  assert.equal(await listCount(page), total + 250);
  assert.ok(await page.isHidden('#drop-overlay'));
  assert.ok(await page.isHidden('#progress'));
  assert.deepEqual(problems.errors, []);
  await context.close();
});

test('an article file by URL: added when the server allows it, a clear message when it does not', async () => {
  fixtures.files.set('/cors/remote-post.md', { body: post('来自网址的文章', '这篇文章是按网址获取的。'), cors: true });
  fixtures.files.set('/nocors/private-post.md', { body: post('Private', 'Not readable by other sites.'), cors: false });
  const { page, problems, context } = await openPage(session.browser, session.server.url, { route: routeExampleImages });
  await page.click('#add-button');
  await page.fill('#url-input', `${fixtures.url}/cors/remote-post.md`);
  await page.click('#url-form button[type="submit"]');
  await page.waitForSelector('#article-view:not([hidden])');
  assert.equal(await page.textContent('#article-title'), '来自网址的文章');

  await page.click('#add-button');
  await page.fill('#url-input', `${fixtures.url}/nocors/private-post.md`);
  await page.click('#url-form button[type="submit"]');
  await page.waitForSelector('[data-notice-id="url"].notice-error');
  assert.match(await page.textContent('[data-notice-id="url"]'), /the server refused, or does not let other sites read its files \(CORS\)/);

  await page.fill('#url-input', `${fixtures.url}/cors/missing.md`);
  await page.click('#url-form button[type="submit"]');
  await page.waitForFunction(() => /answered 404/.test(document.querySelector('[data-notice-id="url"]')?.textContent));
  // The browser itself logs the refused and the missing fetch; nothing else.
  const unexpected = problems.errors.filter((e) => !/CORS policy|Failed to load resource|private-post|missing\.md/.test(e));
  assert.deepEqual(unexpected, []);
  await context.close();
});

test('a full disk is reported, and what was saved before is kept', async () => {
  // A quota with room for the page, its copy of the collection and marks, not for a large article.
  // (Set before the first visit: Chromium's IndexedDB reads the quota when it opens the origin's storage.)
  const { page, problems, context } = await openPage(session.browser, null, { route: routeExampleImages });
  const cdp = await context.newCDPSession(page);
  const origin = new URL(session.server.url).origin;
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 4 * 1024 * 1024 });
  await gotoReady(page, session.server.url);
  const total = await listCount(page);
  await page.keyboard.press('j');
  await page.keyboard.press('s');
  await page.waitForTimeout(400);
  const big = path.join(tmp, 'big.md');
  // Words that do not compress away (IndexedDB compresses large values).
  let seed = 7;
  const word = () => {
    let w = '';
    for (let n = 3 + (seed % 6); n > 0; n--) {
      seed = (seed * 48271) % 2147483647;
      w += String.fromCharCode(97 + (seed % 26));
    }
    return w;
  };
  writeFileSync(big, post('A very large article', Array.from({ length: 400_000 }, word).join(' ')));
  await page.click('#add-button');
  await page.setInputFiles('#file-input', big);
  await page.waitForSelector('[data-notice-id="storage"]');
  assert.match(await page.textContent('[data-notice-id="storage"]'), /Storage is full: 1 added article could not be saved\. Everything saved before is kept/);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  await page.reload();
  await waitReady(page);
  assert.equal(await listCount(page), total, 'the article that did not fit is not there after a reload');
  assert.equal(await page.locator('#list .item.starred').count(), 1, 'the star saved before is kept');
  // The service worker could not cache either; the page still loaded.
  assert.deepEqual(problems.errors, []);
  await context.close();
});

/** True once the service worker controls the page and has kept the shell (the listing is the last file it keeps). */
async function shellKept() {
  if (navigator.serviceWorker.controller === null) return false;
  for (const name of (await caches.keys()).filter((key) => key.startsWith('lectern-'))) {
    if (await (await caches.open(name)).match('collection/manifest.json')) return true;
  }
  return false;
}

test('works offline after the first visit (service worker), under the CSP', async () => {
  const { page, problems, context } = await openPage(session.browser, session.server.url, { route: routeExampleImages });
  const total = await listCount(page);
  await page.evaluate(() => navigator.serviceWorker.ready);
  // Wait until the worker controls the page and has kept the shell (the listing is the last file it keeps).
  await waitForAsync(page, shellKept);
  await page.reload();
  await waitReady(page);
  // A built collection (what lectern serve serves) is fetched a piece at a
  // time: offline, the page has the pieces it fetched before (the list, an
  // article read once).
  await openByTitle(page, '剁辣椒');
  await page.goBack();
  await context.setOffline(true);
  await page.reload();
  await waitReady(page);
  assert.equal(await listCount(page), total, 'the collection is listed offline');
  await openByTitle(page, '剁辣椒');
  assert.ok((await page.textContent('#article-body')).length > 100);
  await context.setOffline(false);
  // Offline, images never seen online cannot load; nothing else may fail.
  assert.deepEqual(problems.errors.filter((e) => !/^Failed to load resource: net::ERR_(FAILED|INTERNET_DISCONNECTED) \(.*\/collection\/files\/media\//.test(e)), []);
  await context.close();
});

test('a plain folder on a static host: the second visit starts from the saved copy and downloads only what changed', async () => {
  const { cpSync, utimesSync, unlinkSync } = await import('node:fs');
  const { execFileSync } = await import('node:child_process');
  const web = path.join(tmp, 'plain-folder');
  cpSync(path.join(ROOT, 'www'), web, { recursive: true });
  const files = path.join(web, 'collection', 'files');
  mkdirSync(files, { recursive: true });
  for (let i = 0; i < 5; i++) writeFileSync(path.join(files, `served-${i}.md`), post(`服务器上的文章 ${i}`, `第 ${i} 篇的正文。`));
  const list = () => writeFileSync(path.join(web, 'collection', 'manifest.json'), execFileSync(LECTERN, ['manifest', files]));
  list();
  const host = await startStaticServer(web);
  try {
    const { page, problems, context } = await openPage(session.browser, host.url);
    assert.equal(await listCount(page), 5);
    await waitForAsync(page, async () => {
      const { openStore } = await import('./js/store.js');
      return Object.keys((await (await openStore()).collectionCache())?.files ?? {}).length === 5;
    });
    // On the host: one file changes, one is removed, one is new, and the listing is written again.
    writeFileSync(path.join(files, 'served-1.md'), post('服务器上的文章 1（修订）', '修订后的正文。'));
    utimesSync(path.join(files, 'served-1.md'), new Date(), new Date(Date.now() + 5000));
    unlinkSync(path.join(files, 'served-2.md'));
    writeFileSync(path.join(files, 'served-new.md'), post('新加的文章', '新的正文。'));
    list();
    const downloads = [];
    page.on('request', (request) => request.url().includes('/collection/files/') && downloads.push(decodeURIComponent(new URL(request.url()).pathname)));
    await page.reload();
    await waitReady(page);
    assert.deepEqual(downloads.sort(), ['/collection/files/served-1.md', '/collection/files/served-new.md']);
    const titles = (await listTitles(page)).sort();
    assert.deepEqual(titles, ['新加的文章', '服务器上的文章 0', '服务器上的文章 1（修订）', '服务器上的文章 3', '服务器上的文章 4']);
    assert.deepEqual(problems.errors, []);
    await context.close();
  } finally {
    host.stop();
  }
});

test('a static copy (the dist/web layout) works, and works offline, under its CSP', async () => {
  const { cpSync } = await import('node:fs');
  const { execFileSync } = await import('node:child_process');
  // What ./build.sh dist writes: the page, plus the samples under collection/.
  const web = path.join(tmp, 'web');
  cpSync(path.join(ROOT, 'www'), web, { recursive: true });
  cpSync(SAMPLES, path.join(web, 'collection', 'files'), { recursive: true });
  writeFileSync(path.join(web, 'collection', 'manifest.json'), execFileSync(LECTERN, ['manifest', SAMPLES]));
  const host = await startStaticServer(web);
  try {
    let { page, problems, context } = await openPage(session.browser, host.url, { route: routeExampleImages });
    const total = await listCount(page);
    assert.ok(total >= 10);
    // The worker has kept the page (down to the last file it keeps, the collection's listing)
    // and the page its copy of the collection.
    await waitForAsync(page, shellKept);
    await waitForAsync(page, async () => {
      const { openStore } = await import('./js/store.js');
      return (await (await openStore()).collectionCache()) !== undefined;
    });
    // A new tab, offline.
    await context.setOffline(true);
    await page.close();
    page = await context.newPage();
    problems = await watchProblems(page);
    await gotoReady(page, host.url);
    assert.equal(await listCount(page), total);
    await openByTitle(page, '剁辣椒');
    assert.ok((await page.textContent('#article-body')).length > 100);
    await context.setOffline(false);
    assert.deepEqual(problems.errors.filter((e) => !/^Failed to load resource: net::ERR_(FAILED|INTERNET_DISCONNECTED) \(.*\/collection\/files\/media\//.test(e)), []);
    await context.close();
  } finally {
    host.stop();
  }
});
