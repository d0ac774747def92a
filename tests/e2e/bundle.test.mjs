// `lectern serve DIR` offers every article file in one response
// (collection/bundle): the page reads it with readBundle and gets exactly the
// bytes the per-file addresses give; a path outside the listing is refused
// inside the bundle; the page's first visit uses it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { ROOT, startServer, launch, openPage, listCount } from './helpers.mjs';

let server;
let browser;

before(async () => {
  [server, browser] = await Promise.all([startServer(path.join(ROOT, 'samples')), launch()]);
});

after(async () => {
  await browser?.close();
  server?.stop();
});

test('the bundle holds every listed file, byte for byte, and the page loads through it', async () => {
  const { page, context } = await openPage(browser, null);
  const requests = [];
  page.on('request', (request) => requests.push(`${request.method()} ${new URL(request.url()).pathname}`));
  await page.goto(server.url);
  await page.waitForSelector('html[data-ready="true"]', { state: 'attached' });
  const manifest = await page.evaluate(async () => (await fetch('collection/manifest.json')).json());
  assert.equal(manifest.bundle, 'collection/bundle');
  assert.equal(await listCount(page) > 0, true);
  if (manifest.files.length > 20) assert.ok(requests.includes('POST /collection/bundle'), requests.join('\n'));
  const check = await page.evaluate(async () => {
    const { readBundle, fileUrl } = await import('./js/collection.js');
    const manifest = await (await fetch('collection/manifest.json')).json();
    const files = [];
    const response = await fetch('collection/bundle', { method: 'POST', body: JSON.stringify([...manifest.files.map((f) => f.path), '../Cargo.toml']) });
    const count = await readBundle(response.body, (file) => files.push(file));
    const mismatches = [];
    for (const file of files.filter((f) => !f.error)) {
      const direct = new Uint8Array(await (await fetch(fileUrl(file.path))).arrayBuffer());
      if (direct.length !== file.bytes.length || direct.some((b, i) => b !== file.bytes[i])) mismatches.push(file.path);
    }
    const all = [];
    await readBundle((await fetch('collection/bundle')).body, (file) => all.push(file.path));
    return { listed: manifest.files.length, count, errors: files.filter((f) => f.error).map((f) => `${f.path}: ${f.error}`), mismatches, all: all.length };
  });
  console.log(`bundle: ${check.count} files of ${check.listed} listed; refused: ${check.errors.join('; ')}`);
  assert.equal(check.count, check.listed);
  assert.equal(check.all, check.listed);
  assert.deepEqual(check.mismatches, []);
  assert.deepEqual(check.errors, ['../Cargo.toml: not an article file of this collection']);
  await context.close();
});
