// Accessibility (axe-core) of the list and the article view, and screenshots
// of both at desktop and 375 px widths, light and dark, for review.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT, useServerAndBrowser, openPage, gotoReady, routeExampleImages } from './helpers.mjs';

const SAMPLES = path.join(ROOT, 'samples');
const SHOTS = path.join(ROOT, 'test-results', 'screenshots');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const session = useServerAndBrowser(SAMPLES);
let chiliId;

before(async () => {
  mkdirSync(SHOTS, { recursive: true });
});


/**
 * Runs axe in a context that bypasses the page's CSP (only for this audit: axe
 * is injected as a script, which the page's policy rightly refuses).
 */
async function audit(url, prepare, colorScheme = 'light') {
  const context = await session.browser.newContext({ bypassCSP: true, viewport: { width: 1280, height: 900 }, colorScheme });
  await routeExampleImages(context);
  const page = await context.newPage();
  await gotoReady(page, url);
  if (prepare) await prepare(page);
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(() => window.axe.run(document, { resultTypes: ['violations'] }));
  await context.close();
  return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
}

function serious(violations) {
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

test('axe finds no serious or critical problem in the list (light and dark)', async () => {
  for (const scheme of ['light', 'dark']) {
    const violations = await audit(session.server.url, null, scheme);
    if (violations.length) console.log(`axe, list (${scheme}), minor:`, JSON.stringify(violations));
    assert.deepEqual(serious(violations), [], `list, ${scheme}`);
  }
  const searched = await audit(`${session.server.url}#/?q=${encodeURIComponent('辣椒')}`);
  assert.deepEqual(serious(searched), [], 'list with highlighted search results');
});

test('axe finds no serious or critical problem in the article view (light, dark, sepia)', async () => {
  const { page, context } = await openPage(session.browser, session.server.url);
  chiliId = await page.$eval('#list .item:has-text("剁辣椒")', (row) => row.dataset.id);
  await context.close();
  for (const scheme of ['light', 'dark']) {
    const violations = await audit(`${session.server.url}#/article/${chiliId}`, (p) => p.waitForSelector('#article-view:not([hidden])'), scheme);
    if (violations.length) console.log(`axe, article (${scheme}), minor:`, JSON.stringify(violations));
    assert.deepEqual(serious(violations), [], `article, ${scheme}`);
  }
  const sepia = await audit(`${session.server.url}#/article/${chiliId}`, async (p) => {
    await p.waitForSelector('#article-view:not([hidden])');
    await p.evaluate(() => { document.documentElement.dataset.theme = 'sepia'; });
  });
  assert.deepEqual(serious(sepia), [], 'article, sepia');
});

test('screenshots of the list and an article, desktop and 375 px, light and dark', async () => {
  const written = [];
  for (const [device, viewport] of [['desktop', { width: 1280, height: 860 }], ['mobile', { width: 375, height: 812 }]]) {
    for (const scheme of ['light', 'dark']) {
      const { page, problems, context } = await openPage(session.browser, null, { viewport, colorScheme: scheme, route: routeExampleImages });
      await gotoReady(page, session.server.url);
      await page.waitForFunction(() => [...document.querySelectorAll('#list img')].every((i) => i.complete));
      const list = path.join(SHOTS, `list-${device}-${scheme}.png`);
      await page.screenshot({ path: list });
      const id = await page.$eval('#list .item:has-text("剁辣椒")', (row) => row.dataset.id);
      await page.goto(`${session.server.url}#/article/${id}`);
      await page.waitForSelector('#article-view:not([hidden])');
      await page.waitForFunction(() => [...document.querySelectorAll('#article-body img')].slice(0, 2).every((i) => i.complete));
      const article = path.join(SHOTS, `article-${device}-${scheme}.png`);
      await page.screenshot({ path: article });
      written.push(list, article);
      assert.deepEqual(problems.errors, [], `${device} ${scheme}`);
      await context.close();
    }
  }
  console.log(`screenshots written to ${SHOTS}:\n  ${written.map((f) => path.basename(f)).join('\n  ')}`);
  assert.equal(written.length, 8);
});
