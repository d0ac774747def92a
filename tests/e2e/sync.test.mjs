// Sync through CouchDB replication (Settings → Sync, js/sync.js) against a
// real CouchDB-protocol server started here on 127.0.0.1 (pouchdb-server from
// npm): two browser contexts are two devices on one served collection.
// - read marks, stars and an added article go both ways; changes made to the
//   same article on both while cut off from the server merge field by field;
//   the server stopped and started again: nothing lost, sync resumes; an added
//   article removed on one device goes on the other;
// - wrong credentials and an unreachable server: a clear message, nothing
//   changed here;
// - documents of another program, malformed ones, and an article with HTML
//   in its title: ignored (and counted) or shown as text;
// - the reading list's export holds nothing of the sync settings.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, useServerAndBrowser, openPage, waitForAsync, listSettled, waitReady } from './helpers.mjs';

const SERVER_BIN = path.join(ROOT, 'node_modules/.bin/pouchdb-server');
const ADMIN = { username: 'reader', password: 'a-long-secret-9' };
const session = useServerAndBrowser(path.join(ROOT, 'samples'));
let tmp;
let couch;

function freePort() {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

/** pouchdb-server on 127.0.0.1:port, its data in dir (kept across restarts). */
async function startCouch(dir, port) {
  mkdirSync(dir, { recursive: true });
  const child = spawn(SERVER_BIN, ['--host', '127.0.0.1', '--port', String(port), '--dir', path.join(dir, 'data')], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  const url = `http://127.0.0.1:${port}`;
  const end = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`pouchdb-server exited: ${stderr}`);
    try {
      if ((await fetch(`${url}/`)).ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error(`pouchdb-server did not start: ${stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  return {
    url,
    port,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill('SIGTERM');
    }),
  };
}

const basic = (user) => `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;

async function couchRequest(method, pathname, body) {
  const response = await fetch(`${couch.url}${pathname}`, {
    method, headers: { 'content-type': 'application/json', authorization: basic(ADMIN) }, body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: await response.json().catch(() => null) };
}

before(async () => {
  tmp = mkdtempSync(path.join(tmpdir(), 'lectern-sync-'));
  couch = await startCouch(path.join(tmp, 'couch'), await freePort());
  // An admin: the server stops being open to everyone, as a real one is.
  const admin = await fetch(`${couch.url}/_config/admins/${ADMIN.username}`, { method: 'PUT', body: JSON.stringify(ADMIN.password) });
  assert.ok(admin.ok, `could not make the server's admin: ${admin.status}`);
  assert.equal((await couchRequest('PUT', '/lectern')).status, 201);
});

after(async () => {
  await couch?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** Opens a "device": the served collection in a fresh context, ready. */
function device() {
  return openPage(session.browser, session.server.url);
}

/** Settings → Sync on `page` with `user`; waits until the first sync is done (or the status says why not). */
async function turnOnSync(page, { url = couch.url, db = 'lectern', user = ADMIN, remember = true } = {}) {
  await page.click('#settings-button');
  await page.fill('#sync-url', url);
  await page.fill('#sync-db', db);
  await page.fill('#sync-user', user.username);
  await page.fill('#sync-password', user.password);
  await page.setChecked('#sync-remember', remember);
  await page.click('#sync-on');
  await page.waitForFunction(() => ['live', 'synced', 'off', 'error'].includes(document.documentElement.dataset.sync) && !document.querySelector('#sync-on:disabled'), null, { timeout: 30_000 });
  const status = await page.textContent('#sync-status');
  await page.click('#settings-dialog form[method=dialog] button');
  return status;
}

/** The marks a list row shows: { read, starred } of the article with `id`. */
function rowMarks(page, id) {
  return page.$eval(`#list .item[data-id="${id}"]`, (row) => ({ read: row.classList.contains('read'), starred: row.classList.contains('starred') }));
}

async function waitForMarks(page, id, expected, what) {
  await waitForAsync(page, ([rowId, want]) => {
    const row = document.querySelector(`#list .item[data-id="${rowId}"]`);
    return row && row.classList.contains('read') === want.read && row.classList.contains('starred') === want.starred;
  }, [id, expected], { timeout: 45_000 }).catch(async () => {
    throw new Error(`${what}: the row shows ${JSON.stringify(await rowMarks(page, id))}, expected ${JSON.stringify(expected)}`);
  });
}

/** Presses `keys` on the list's row of article `id` (selected with j, as a reader would). */
async function onRow(page, id, keys) {
  await page.keyboard.press('Escape');
  await page.focus('#search');
  await page.keyboard.press('Escape');
  await waitForAsync(page, (rowId) => document.querySelector(`#list .item[data-id="${rowId}"]`), id, { timeout: 15_000 });
  const ids = await rowIds(page);
  const position = ids.indexOf(id);
  assert.ok(position >= 0, `no row for ${id}`);
  const selected = await page.$eval('#list', (list) => list.querySelector('.item[aria-current="true"]')?.dataset.id ?? null);
  let at = selected ? ids.indexOf(selected) : -1;
  for (; at < position; at++) await page.keyboard.press('j');
  for (; at > position; at--) await page.keyboard.press('k');
  assert.equal(await page.$eval('#list .item[aria-current="true"]', (row) => row.dataset.id), id, 'the row selected');
  for (const key of keys) await page.keyboard.press(key);
}

/** The ids of the list's rows, in order, once the list has settled. */
const rowIds = async (page) => (await listSettled(page), page.$$eval('#list .item', (rows) => rows
  .sort((a, b) => Number(a.getAttribute('aria-posinset')) - Number(b.getAttribute('aria-posinset')))
  .map((row) => row.dataset.id)));

test('two devices: marks, stars and added articles both ways; concurrent changes merge; the server restarts; removals replicate', async () => {
  const a = await device();
  const b = await device();
  assert.match(await turnOnSync(a.page), /Syncing live|Synced/);
  assert.match(await turnOnSync(b.page), /Syncing live|Synced/);
  const ids = await rowIds(a.page);
  assert.ok(ids.length >= 4, 'the samples give a few rows');
  assert.deepEqual(await rowIds(b.page), ids, 'both devices show the same collection');

  // A reads the first article, B stars it: each sees both.
  await onRow(a.page, ids[0], ['m']);
  await onRow(b.page, ids[0], ['s']);
  await waitForMarks(a.page, ids[0], { read: true, starred: true }, 'device A');
  await waitForMarks(b.page, ids[0], { read: true, starred: true }, 'device B');

  // An article added on A appears on B, searchable.
  const files = path.join(tmp, 'files');
  mkdirSync(files, { recursive: true });
  writeFileSync(path.join(files, 'synced-note.md'), '---\ntitle: "A note that travels 同步笔记"\ndate: 2024-06-01\n---\n\nWritten on the first device, read on the second: 渡口的新时刻表。\n');
  await a.page.click('#add-button');
  await a.page.setInputFiles('#file-input', path.join(files, 'synced-note.md'));
  await a.page.waitForSelector('[data-notice-id="import"]');
  if (await a.page.isVisible('#add-dialog')) await a.page.keyboard.press('Escape');
  await b.page.fill('#search', 'travels');
  await waitForAsync(b.page, () => [...document.querySelectorAll('#list .item')].some((row) => row.textContent.includes('A note that travels')), undefined, { timeout: 45_000 });
  await b.page.fill('#search', '时刻表');
  await waitForAsync(b.page, () => [...document.querySelectorAll('#list .item')].some((row) => row.textContent.includes('A note that travels')), undefined, { timeout: 15_000 });
  await b.page.fill('#search', '');

  // Both cut off from the server: A reads the second article, B stars it; back online, both have both.
  const cut = (route) => route.abort('connectionrefused');
  await a.context.route(`${couch.url}/**`, cut);
  await b.context.route(`${couch.url}/**`, cut);
  await onRow(a.page, ids[1], ['m']);
  await onRow(b.page, ids[1], ['s']);
  await new Promise((resolve) => setTimeout(resolve, 1500));
  await a.context.unroute(`${couch.url}/**`, cut);
  await b.context.unroute(`${couch.url}/**`, cut);
  await waitForMarks(a.page, ids[1], { read: true, starred: true }, 'device A after the cut');
  await waitForMarks(b.page, ids[1], { read: true, starred: true }, 'device B after the cut');

  // The server stops mid-sync; A stars the third article meanwhile; the server comes back: B gets it.
  await couch.stop();
  await onRow(a.page, ids[2], ['s']);
  await new Promise((resolve) => setTimeout(resolve, 1000));
  couch = await startCouch(path.join(tmp, 'couch'), couch.port);
  await waitForMarks(b.page, ids[2], { read: false, starred: true }, 'device B after the server came back');
  await waitForMarks(a.page, ids[0], { read: true, starred: true }, 'nothing lost on A');

  // The added article removed on B is removed on A.
  b.page.on('dialog', (dialog) => dialog.accept());
  await b.page.fill('#search', 'travels');
  await waitForAsync(b.page, () => document.querySelectorAll('#list .item').length === 1 && document.querySelector('#list .item').textContent.includes('A note that travels'));
  await b.page.click('#list .item .item-link');
  await b.page.waitForSelector('#article-view:not([hidden]) #remove-button:not([hidden])');
  await b.page.click('#remove-button');
  await a.page.fill('#search', 'travels');
  await waitForAsync(a.page, () => document.documentElement.dataset.listBusy === undefined && ![...document.querySelectorAll('#list .item')].some((row) => row.textContent.includes('A note that travels')), undefined, { timeout: 45_000 });
  await a.page.fill('#search', '');

  // Opened again: sync starts by itself (the password was remembered) and the state is there.
  await a.page.goto(session.server.url);
  await waitReady(a.page);
  await a.page.waitForFunction(() => document.documentElement.dataset.sync === 'live', null, { timeout: 30_000 });
  await waitForMarks(a.page, ids[0], { read: true, starred: true }, 'device A after a reload');
  await waitForMarks(a.page, ids[1], { read: true, starred: true }, 'device A after a reload');

  // The export holds nothing of the sync settings.
  await a.page.click('#settings-button');
  const [download] = await Promise.all([a.page.waitForEvent('download'), a.page.click('#export-button')]);
  const exported = readFileSync(await download.path(), 'utf8');
  for (const secret of [ADMIN.password, ADMIN.username, String(couch.port)]) assert.ok(!exported.includes(secret), `the export holds '${secret}'`);
  // Left out: the requests the cut and the stopped server refused, and PouchDB's look for a replication
  // checkpoint (`_local/…`), which answers 404 until the first one is written.
  const unexpected = (errors) => errors.filter((e) => !/ERR_CONNECTION_REFUSED|ERR_CONNECTION_RESET|ERR_EMPTY_RESPONSE|net::ERR_FAILED|\/_local\//.test(e));
  assert.deepEqual(unexpected(a.problems.errors), []);
  assert.deepEqual(unexpected(b.problems.errors), []);
  await a.context.close();
  await b.context.close();
});

test('wrong credentials and an unreachable server: a clear message, and nothing here changes', async () => {
  const requested = [];
  const c = await openPage(session.browser, null);
  c.page.on('request', (request) => requested.push(new URL(request.url()).pathname));
  await c.page.goto(session.server.url);
  await waitReady(c.page);
  assert.ok(!requested.some((p) => p.endsWith('/vendor/pouchdb.js')), 'PouchDB is not loaded while sync is off');
  const first = (await rowIds(c.page))[0];
  await onRow(c.page, first, ['s']);
  const before = await rowMarks(c.page, first);
  const wrong = await turnOnSync(c.page, { user: { username: ADMIN.username, password: 'not-the-password' } });
  assert.ok(requested.some((p) => p.endsWith('/vendor/pouchdb.js')), 'PouchDB is loaded when sync is turned on');
  assert.match(wrong, /refused the user name or password/, wrong);
  assert.equal(await c.page.evaluate(() => document.documentElement.dataset.sync), 'off');
  assert.match(await c.page.textContent('[data-notice-id="sync"]'), /Nothing here was changed/);
  const unreachable = await turnOnSync(c.page, { url: `http://127.0.0.1:${await freePort()}` });
  assert.match(unreachable, /could not be reached/, unreachable);
  assert.deepEqual(await rowMarks(c.page, first), before, 'the local marks are untouched');
  assert.equal(await c.page.evaluate(() => JSON.parse(localStorage.getItem('lectern-sync'))?.enabled ?? false), false, 'sync was not saved as on');
  await c.context.close();
});

/** FNV-1a 64 of a file name, as 16 hex digits: an article's id (crates/ingest article_id). */
function articleId(name) {
  let hash = 0xcbf29ce484222325n;
  for (const byte of Buffer.from(name)) {
    hash ^= BigInt(byte);
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

test('documents of another program, malformed ones and HTML in a title: ignored or shown as text', async () => {
  const docs = [
    { _id: 'hello-from-another-app', note: 'not Lectern' },
    { _id: 'mark:zz', type: 'mark', fields: 5 },
    { _id: `mark:${'a'.repeat(16)}`, type: 'mark', fields: { read: { value: 'yes', at: 1 } } },
    { _id: 'article:0000000000000001', type: 'article', name: 7, text: 'x' },
    {
      _id: `article:${articleId('hostile.md')}`, type: 'article', name: 'hostile.md', added: 1, updated: 1,
      text: '---\ntitle: "<img src=x onerror=alert(1)> Hostile title"\n---\n\n<p>Body <script>alert(2)</script></p>\n',
    },
  ];
  for (const doc of docs) assert.equal((await couchRequest('PUT', `/lectern/${encodeURIComponent(doc._id)}`, doc)).status, 201, doc._id);
  const d = await device();
  let dialogs = 0;
  d.page.on('dialog', (dialog) => {
    dialogs++;
    dialog.dismiss();
  });
  const status = await turnOnSync(d.page);
  // Undated, it is listed last: the search brings it up.
  await d.page.fill('#search', 'Hostile');
  await waitForAsync(d.page, () => [...document.querySelectorAll('#list .item')].some((row) => row.textContent.includes('Hostile title')), undefined, { timeout: 30_000 });
  const row = await d.page.$eval('#list .item:has-text("Hostile title")', (li) => ({ text: li.querySelector('.item-link').textContent, images: li.querySelectorAll('img[src="x"]').length }));
  assert.match(row.text, /<img src=x onerror=alert\(1\)> Hostile title/, 'the title is text');
  assert.equal(row.images, 0);
  await d.page.click('#settings-button');
  await waitForAsync(d.page, () => /4 documents in the database are not Lectern’s/.test(document.querySelector('#sync-status').textContent), undefined, { timeout: 15_000 })
    .catch(async () => assert.fail(`status: ${await d.page.textContent('#sync-status')} (first: ${status})`));
  assert.equal(dialogs, 0, 'nothing ran');
  await d.context.close();
});
