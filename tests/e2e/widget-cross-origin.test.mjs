// <lectern-reader> on another site's page: the host page (one origin) loads
// the element's module and the collection from `lectern serve --allow-origin`
// (another origin), under a CSP that names only those two. A server without
// --allow-origin is refused by the browser (CORS), and the element says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ROOT, startServer, launch, watchProblems } from './helpers.mjs';
import { startFixtureServer } from './fixture-server.mjs';

const SAMPLES = path.join(ROOT, 'samples');
let host;
let open;
let closed;
let browser;

function hostPage(collection, other) {
  const origin = new URL(collection).origin;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src ${origin} 'wasm-unsafe-eval'; connect-src ${origin} ${new URL(other).origin}; img-src https: http:; require-trusted-types-for 'script'; trusted-types lectern-html">
<title>Another site</title>
<script type="module" src="${collection}js/lectern-reader.js"></script>
</head><body><h1>Another site</h1>
<lectern-reader id="allowed" src="${collection}" page-size="4"></lectern-reader>
<lectern-reader id="refused" src="${other}" page-size="4"></lectern-reader>
</body></html>`;
}

before(async () => {
  host = await startFixtureServer();
  [open, closed, browser] = await Promise.all([startServer(SAMPLES, ['--allow-origin', host.url]), startServer(SAMPLES), launch()]);
  host.files.set('/embed.html', { body: hostPage(open.url, closed.url), type: 'text/html; charset=utf-8' });
});

after(async () => {
  await browser?.close();
  open?.stop();
  closed?.stop();
  host?.stop();
});

test('a page on another origin embeds a collection served with --allow-origin; one without it is reported', async () => {
  const context = await browser.newContext({ viewport: { width: 1000, height: 1400 } });
  const page = await context.newPage();
  const problems = await watchProblems(page);
  await page.addInitScript(() => {
    window.lecternEvents = [];
    for (const type of ['lectern-load', 'lectern-error']) window.addEventListener(type, (e) => window.lecternEvents.push({ type, target: e.target.id, message: e.detail.message }));
  });
  await page.goto(`${host.url}/embed.html`);
  await page.waitForFunction(() => window.lecternEvents.length >= 2, null, { timeout: 60_000 });
  const events = await page.evaluate(() => window.lecternEvents);
  assert.deepEqual(events.find((e) => e.target === 'allowed')?.type, 'lectern-load');
  assert.equal(await page.$$eval('#allowed li.item', (rows) => rows.length), 4);
  const refused = events.find((e) => e.target === 'refused');
  assert.equal(refused?.type, 'lectern-error');
  assert.match(refused.message, /^Could not reach http:\/\/127\.0\.0\.1:\d+\/: .*CORS/);
  assert.match(await page.$eval('#refused', (el) => el.shadowRoot.querySelector('.error').textContent), /Could not reach/);
  // The browser reports the refused request itself; nothing else went wrong (no CSP or Trusted Types violation).
  assert.deepEqual(problems.errors.filter((e) => !/CORS policy|Failed to load resource|ERR_FAILED/.test(e)), []);
  await context.close();
});
