// `lectern serve` shows the sample list in Chromium and opens an article; the
// folder it serves is a built collection (the page needs the reader module
// alone), built again when its files change; files it cannot read are
// reported and the rest served.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, startServer, useServerAndBrowser, watchProblems, listCount, listTitles, routeExampleImages, waitReady } from './helpers.mjs';

const SAMPLES = path.join(ROOT, 'samples');
const sampleCount = readdirSync(SAMPLES).filter((f) => /\.(md|html)$/.test(f) && f !== 'README.md').length;
const session = useServerAndBrowser(SAMPLES);

test('lectern serve lists every sample article and opens one', async () => {
  const context = await session.browser.newContext({ viewport: { width: 1280, height: 2400 } });
  await routeExampleImages(context);
  const page = await context.newPage();
  const problems = await watchProblems(page);
  await page.goto(session.server.url);
  await page.waitForSelector('html[data-ready="true"]', { state: 'attached', timeout: 30_000 });
  assert.equal(await listCount(page), sampleCount);

  // A tall window: every row is drawn.
  const titles = await page.$$eval('#list .item-title', (nodes) => nodes.map((n) => n.textContent));
  assert.equal(titles.length, sampleCount);
  assert.ok(titles.every((t) => t.trim().length > 0), 'every article has a title');
  assert.match(await page.textContent('#status'), new RegExp(`^${sampleCount} articles`));

  // Thumbnails from the collection's own media load (relative URLs resolved against the file).
  const thumbs = await page.$$eval('#list img.thumb', (imgs) => imgs.map((i) => ({ src: i.src, policy: i.referrerPolicy })));
  assert.ok(thumbs.length >= 5, `thumbnails shown: ${thumbs.length}`);
  assert.ok(thumbs.every((t) => t.policy === 'no-referrer'));

  // Open the Arabic article: right to left, sanitised HTML in the body.
  const arabic = page.locator('#list .item-title[dir="rtl"] a').first();
  const title = (await arabic.textContent()).replace(/^Unread: /, '');
  await arabic.click();
  await page.waitForSelector('#article-view:not([hidden])');
  assert.equal(await page.textContent('#article-title'), title);
  assert.equal(await page.getAttribute('#article-body', 'dir'), 'rtl');
  const body = await page.$eval('#article-body', (b) => ({ text: b.textContent.trim(), scripts: b.querySelectorAll('script, style, iframe').length }));
  assert.ok(body.text.length > 200, 'the article body is shown');
  assert.equal(body.scripts, 0);
  assert.match(page.url(), /#\/article\/[0-9a-f]{16}$/);

  // Images in an article keep referrerpolicy and actually load.
  await page.goBack();
  await page.waitForSelector('#list-view:not([hidden])');
  await page.locator('#list .item a', { hasText: '剁辣椒' }).click();
  await page.waitForSelector('#article-view:not([hidden])');
  await page.waitForFunction(() => [...document.querySelectorAll('#article-body img')].every((i) => i.complete));
  const images = await page.$$eval('#article-body img', (imgs) => imgs.map((i) => ({ policy: i.getAttribute('referrerpolicy'), ok: i.naturalWidth > 0, src: i.src })));
  assert.ok(images.length >= 1);
  for (const image of images) {
    assert.equal(image.policy, 'no-referrer');
    assert.ok(image.ok, `image loads: ${image.src}`);
  }

  assert.deepEqual(problems.errors, []);
  await context.close();
});

/** The WebAssembly modules and workers a page fetched. */
function modulesOf(requests) {
  return [...new Set(requests.map((url) => new URL(url).pathname.split('/').pop()).filter((name) => /\.wasm$|worker\.js$/.test(name)))].sort();
}

test('a served folder is a built collection: reader module only, a changed file shows after a reload, unreadable files are reported', async () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'lectern-served-'));
  for (const name of ['zh-night-bus-new-routes.md', 'en-sourdough-starter-troubleshooting.md', 'he-hula-valley-spring-migration.md']) {
    cpSync(path.join(SAMPLES, name), path.join(folder, name));
  }
  cpSync(path.join(SAMPLES, 'media'), path.join(folder, 'media'), { recursive: true });
  writeFileSync(path.join(folder, 'broken.md'), Buffer.from([0, 159, 146, 150, 0, 0, 1, 2]));
  symlinkSync(path.join(folder, 'deleted-long-ago.md'), path.join(folder, 'gone.md'));
  const served = await startServer(folder);
  const context = await session.browser.newContext();
  await routeExampleImages(context);
  const page = await context.newPage();
  const problems = await watchProblems(page);
  const requests = [];
  page.on('request', (request) => requests.push(request.url()));
  try {
    await page.goto(served.url);
    await waitReady(page);
    assert.equal(await listCount(page), 3);
    assert.equal(await page.getAttribute('html', 'data-collection'), 'static', 'the served folder is read as a built collection');
    // Both files it could not read are named, with the reason.
    const details = await page.$$eval('[data-notice-id="skipped"] li', (items) => items.map((li) => li.textContent));
    assert.ok(details.some((d) => /^broken\.md: .*binary/i.test(d)), details.join('\n'));
    assert.ok(details.some((d) => /^gone\.md: .*cannot read/i.test(d)), details.join('\n'));
    assert.match(served.output(), /skipped .*broken\.md/);
    // A search and an article: still the reader module alone.
    await page.fill('#search', '夜班');
    await page.waitForFunction(() => document.querySelector('#list .item mark'));
    await page.click('#list .item-link');
    await page.waitForSelector('#article-view:not([hidden])');
    await page.waitForFunction(() => document.querySelector('#article-body').textContent.length > 50);
    assert.deepEqual(modulesOf(requests), ['reader_bg.wasm'], 'the page fetched the reader module only (no ingest module, no worker)');

    // Changed on disk: the next reload shows it (one file edited, one added, one removed).
    const edited = path.join(folder, 'en-sourdough-starter-troubleshooting.md');
    writeFileSync(edited, readFileSync(edited, 'utf8').replace(/^# .*/m, '# Sourdough, edited on disk'));
    writeFileSync(path.join(folder, 'new-post.md'), '---\ntitle: A post written while serving\ndate: 2031-01-01\n---\n\nFreshly written lighthouse notes.\n');
    rmSync(path.join(folder, 'he-hula-valley-spring-migration.md'));
    await page.goto(served.url);
    await waitReady(page);
    const titles = await listTitles(page);
    assert.equal(titles.length, 3);
    assert.equal(titles[0], 'A post written while serving', 'the new file, newest first');
    assert.ok(titles.includes('Sourdough, edited on disk'), titles.join(' | '));
    await page.fill('#search', 'lighthouse');
    await page.waitForFunction(() => document.querySelector('#list .item mark')?.textContent.toLowerCase() === 'lighthouse');
    assert.match(served.output(), /changed; built again/);
    assert.deepEqual(modulesOf(requests), ['reader_bg.wasm']);
    assert.deepEqual(problems.errors, []);
  } finally {
    await context.close();
    served.stop();
    rmSync(folder, { recursive: true, force: true });
  }
});
