// Which of the two WebAssembly modules each target fetches (from the network
// log): the reader module always; the ingest module, and its worker, only
// where something is parsed in the browser. The extension's list and "save
// this page" are checked in extension.test.mjs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, LECTERN, startServer, launch, openPage, waitReady, listCount, routeExampleImages } from './helpers.mjs';
import { startStaticServer } from './static-server.mjs';

const SAMPLES = path.join(ROOT, 'samples');
let tmp;
let browser;
let served;
let built;
let plain;
const table = [];

before(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'lectern-modules-'));
  // A static collection (lectern index) and a plain folder of article files (./build.sh dist), each on a static host.
  const site = path.join(tmp, 'site');
  execFileSync(LECTERN, ['index', SAMPLES, '-o', site], { stdio: 'ignore' });
  const web = path.join(tmp, 'web');
  cpSync(path.join(ROOT, 'www'), web, { recursive: true });
  cpSync(SAMPLES, path.join(web, 'collection', 'files'), { recursive: true });
  writeFileSync(path.join(web, 'collection', 'manifest.json'), execFileSync(LECTERN, ['manifest', SAMPLES]));
  [browser, served, built, plain] = await Promise.all([launch(), startServer(SAMPLES), startStaticServer(site), startStaticServer(web)]);
});

after(async () => {
  console.log(`\nmodules fetched, per target:\n${table.map(([target, fetched]) => `  ${target.padEnd(44)} ${fetched.join(', ')}`).join('\n')}`);
  await browser?.close();
  served?.stop();
  built?.stop();
  plain?.stop();
  rmSync(tmp, { recursive: true, force: true });
});

/** Opens `url`, lets `use` work the page, and returns the WebAssembly files and workers it fetched. */
async function modulesFetchedBy(url, use = async () => {}) {
  const { page, context, problems } = await openPage(browser, null, { route: routeExampleImages });
  const fetched = new Set();
  page.on('request', (request) => {
    const name = new URL(request.url()).pathname.split('/').pop();
    if (/\.wasm$|worker\.js$/.test(name)) fetched.add(name);
  });
  await page.goto(url);
  await use(page);
  await page.waitForTimeout(300);
  assert.deepEqual(problems.errors, []);
  await context.close();
  return [...fetched].sort();
}

/** Lists, searches and opens an article: what a reader does first. */
async function read(page) {
  await waitReady(page);
  assert.ok(await listCount(page) >= 10);
  await page.fill('#search', '辣椒');
  await page.waitForFunction(() => document.querySelector('#list .item mark'));
  await page.click('#list .item-link');
  await page.waitForFunction(() => document.querySelector('#article-body')?.textContent.length > 100);
}

/** Waits for the first widget of the demo page to list, and opens its first article. */
async function readWidget(page) {
  await page.waitForFunction(() => document.querySelector('#first')?.shadowRoot?.querySelector('.item-link'), null, { timeout: 30_000 });
  await page.evaluate(() => document.querySelector('#first').shadowRoot.querySelector('.item-link').click());
  await page.waitForFunction(() => document.querySelector('#first').shadowRoot.querySelector('#article-body')?.textContent.length > 50);
}

const targets = [
  ['the page on lectern serve', () => served.url, read, ['reader_bg.wasm']],
  ['the page on a static collection (lectern index)', () => built.url, read, ['reader_bg.wasm']],
  ['the page on a plain folder of article files', () => plain.url, read, ['ingest-worker.js', 'ingest_bg.wasm', 'reader_bg.wasm']],
  ['the widget on lectern serve', () => `${served.url}widget-demo.html`, readWidget, ['reader_bg.wasm']],
  ['the widget on a plain folder of article files', () => `${plain.url}widget-demo.html`, readWidget, ['ingest-worker.js', 'ingest_bg.wasm', 'reader_bg.wasm']],
];

for (const [target, url, use, expected] of targets) {
  test(`${target}: ${expected.includes('ingest_bg.wasm') ? 'the reader and the ingest module (it parses)' : 'the reader module only'}`, async () => {
    const fetched = await modulesFetchedBy(url(), use);
    table.push([target, fetched]);
    assert.deepEqual(fetched, expected);
  });
}
