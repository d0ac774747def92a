// `lectern serve` shows the sample list in Chromium and opens an article.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { ROOT, startServer, launch, watchProblems, listCount, routeExampleImages } from './helpers.mjs';

const SAMPLES = path.join(ROOT, 'samples');
const sampleCount = readdirSync(SAMPLES).filter((f) => /\.(md|html)$/.test(f) && f !== 'README.md').length;
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

test('lectern serve lists every sample article and opens one', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 2400 } });
  await routeExampleImages(context);
  const page = await context.newPage();
  const problems = await watchProblems(page);
  await page.goto(server.url);
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
