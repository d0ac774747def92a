// Referrer-safe images: an image host that refuses any request with a Referer
// (403) still serves every thumbnail and every image of an opened article.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, launch, openPage, listCount } from './helpers.mjs';
import { startFixtureServer } from './fixture-server.mjs';

let images;
let server;
let browser;
let dir;
const ARTICLES = 6;

/** Articles whose images sit on the fixture host, in the shapes real posts use. */
function fixtureArticle(n, host) {
  const img = (name) => `${host}/img/${n}-${name}.svg`;
  return `
---
title: '图片测试 ${n}：防盗链的图床'
categories:
 - 测试
 - 图床 ${n % 2}
headimg: '${img('head')}'
thumbnail: '${img('head')}'
author: 测试员
date: 2022-06-1${n} 05:37:57
---

<div>
<p>第一张图没有 referrerpolicy 属性。</p>
<p><img src="${img('plain')}" alt="plain"></p>
<p>第二张图带着 no-referrer。</p>
<figure><img src="${img('policy')}" referrerpolicy="no-referrer" alt="policy"><figcaption>说明</figcaption></figure>
<p>第三张图的 referrerpolicy 是 origin，会带上来源。</p>
<img src="${img('origin')}" referrerpolicy="origin" alt="origin">
<p>第四张是懒加载：真正的地址在 data-src 里。</p>
<img class="lazyload" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="${img('lazy')}" alt="lazy">
<p>第五张有 srcset。</p>
<img src="${img('small')}" srcset="${img('small')} 1x, ${img('large')} 2x" alt="srcset">
<p>最后一段文字，让文章长一点。</p>
</div>   `;
}

before(async () => {
  images = await startFixtureServer();
  dir = mkdtempSync(path.join(tmpdir(), 'lectern-images-'));
  for (let n = 0; n < ARTICLES; n++) writeFileSync(path.join(dir, `image-post-${n}.md`), fixtureArticle(n, images.url));
  [server, browser] = await Promise.all([startServer(dir), launch()]);
});

after(async () => {
  await browser?.close();
  server?.stop();
  images?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

// A function, not a string: the page's CSP forbids eval, which a string predicate needs.
const allLoaded = (page, selector) => page.waitForFunction((s) => [...document.querySelectorAll(s)].every((i) => i.complete), selector);

test('every thumbnail and every image of an opened article loads from a host that refuses referrers', async () => {
  const { page, problems, context } = await openPage(browser, server.url);
  assert.equal(await listCount(page), ARTICLES);
  await allLoaded(page, '#list img.thumb');
  const thumbs = await page.$$eval('#list img.thumb', (imgs) => imgs.map((i) => ({ src: i.currentSrc, ok: i.naturalWidth > 0 })));
  assert.equal(thumbs.length, ARTICLES, 'one thumbnail per article');
  for (const thumb of thumbs) assert.ok(thumb.ok, `thumbnail loads: ${thumb.src}`);

  for (let n = 0; n < ARTICLES; n++) {
    await page.click(`#list .item-link:has-text("图片测试 ${n}：")`);
    await page.waitForSelector('#article-view:not([hidden])');
    // Lazy images load when scrolled to: scroll through the article.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await allLoaded(page, '#article-body img');
    const shown = await page.$$eval('#article-body img', (imgs) => imgs.map((i) => ({ src: i.currentSrc, ok: i.naturalWidth > 0, lazy: i.loading, policy: i.referrerPolicy })));
    assert.equal(shown.length, 5, 'five images in the article');
    for (const image of shown) {
      assert.ok(image.ok, `article image loads: ${image.src}`);
      assert.equal(image.lazy, 'lazy');
      assert.equal(image.policy, 'no-referrer');
    }
    await page.keyboard.press('Escape');
    await page.waitForSelector('#list-view:not([hidden])');
  }
  const imageRequests = images.requests.filter((r) => r.path.startsWith('/img/'));
  assert.ok(imageRequests.length >= ARTICLES * 6, `image requests: ${imageRequests.length}`);
  assert.deepEqual(images.refused, [], 'no image request carried a Referer');
  assert.deepEqual(problems.errors, []);
  await context.close();
});
