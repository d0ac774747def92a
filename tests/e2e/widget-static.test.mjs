// <lectern-reader> on a static collection: 1,500 articles derived from the
// shared corpora (bench/lib/generate.mjs, in a temporary folder) are built
// with `lectern index` and served as plain files by `lectern serve`; a host
// page with a strict CSP and Trusted Types enforced shows them in two
// widgets. The list comes without the index, a search fetches only some of
// the shards and gives exactly the articles holding the word (checked against
// the articles' own text from `lectern parse`), an opened article fetches its
// own file and shows it sanitised, and every row can be reached.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, launch, watchProblems, parseNative, derivedCollection, searchNative } from './helpers.mjs';

const COUNT = 1500;
let scratch;
let site;
let server;
let browser;
/** The generated articles as the core parses them (id, title, text, ...). */
let articles;
/** How many files of each kind of index shard the collection has. */
const shardCounts = {};

const CSP = "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; img-src 'self' https: http:; media-src 'self' https: http:; connect-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'; require-trusted-types-for 'script'; trusted-types lectern-html";

function hostPage(widgets) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<title>A page with static collections</title>
<script type="module" src="js/lectern-reader.js"></script>
</head><body><h1>A page with static collections</h1>
${widgets}
</body></html>`;
}

before(async () => {
  let source;
  ({ scratch, source, site } = await derivedCollection('widget-static', { count: COUNT, seed: 11 }));
  articles = await parseNative(source);
  assert.equal(articles.length, COUNT);
  for (const kind of ['terms', 'pos', 'typos', 'meta', 'dates']) {
    shardCounts[kind] = readdirSync(path.join(site, 'collection', kind), { recursive: true }).filter((name) => name.endsWith('.bin')).length;
  }
  assert.ok(shardCounts.terms > 20, `the collection has many term shards (${shardCounts.terms})`);
  const manifest = JSON.parse(readFileSync(path.join(site, 'collection', 'manifest.json'), 'utf8'));
  // A collection of a format version this Lectern does not read, and one whose list pages are gone.
  mkdirSync(path.join(site, 'future', 'collection'), { recursive: true });
  writeFileSync(path.join(site, 'future', 'collection', 'manifest.json'), JSON.stringify({ ...manifest, version: manifest.version + 1 }));
  mkdirSync(path.join(site, 'broken', 'collection'), { recursive: true });
  writeFileSync(path.join(site, 'broken', 'collection', 'manifest.json'), JSON.stringify(manifest));
  writeFileSync(path.join(site, 'widgets.html'), hostPage(`
<lectern-reader id="first" src="./" theme="light" page-size="10" height="40rem"></lectern-reader>
<lectern-reader id="second" src="./" theme="dark" lang="zh" page-size="4"></lectern-reader>`));
  writeFileSync(path.join(site, 'errors.html'), hostPage(`
<lectern-reader id="future" src="future/"></lectern-reader>
<lectern-reader id="broken" src="broken/"></lectern-reader>`));
  [server, browser] = await Promise.all([startServer(site), launch()]);
});

after(async () => {
  await browser?.close();
  server?.stop();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Opens a host page; records the widgets' events and the collection files fetched. */
async function open(page_) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  // The derived articles' images point at the internet, which the test does not reach: answer them here.
  await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.fulfill({
    status: 200, contentType: 'image/svg+xml', body: '<svg xmlns="http://www.w3.org/2000/svg" width="4" height="3"/>',
  }));
  const page = await context.newPage();
  const problems = await watchProblems(page);
  const fetched = [];
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.origin === new URL(server.url).origin && url.pathname.includes('/collection/')) fetched.push(url.pathname.replace(/^.*?\/collection\//, ''));
  });
  await page.addInitScript(() => {
    window.lecternEvents = [];
    for (const type of ['lectern-load', 'lectern-open', 'lectern-search', 'lectern-error']) {
      window.addEventListener(type, (event) => {
        window.lecternEvents.push({ type, target: event.target.id, detail: JSON.parse(JSON.stringify({ ...event.detail, cause: undefined, failures: undefined })) });
      });
    }
  });
  await page.goto(`${server.url}${page_}`);
  return { context, page, problems, fetched };
}

/** Waits for the n-th event `type` from the widget `target`. */
function waitEvent(page, type, target, nth = 1) {
  return page.waitForFunction(([t, id, n]) => window.lecternEvents.filter((e) => e.type === t && e.target === id).length >= n,
    [type, target, nth], { timeout: 60_000 });
}

/** The rows a widget shows: ids in order, and how many are still loading. */
function rows(page, id) {
  return page.$eval(`#${id}`, (el) => {
    const items = [...el.shadowRoot.querySelectorAll('li.item')];
    return {
      ids: items.filter((li) => li.dataset.id).map((li) => li.dataset.id),
      loading: items.filter((li) => !li.dataset.id).length,
      positions: items.map((li) => Number(li.getAttribute('aria-posinset'))),
      setSize: Number(items[0]?.getAttribute('aria-setsize') ?? 0),
    };
  });
}

/** Waits until no row of the widget is loading; returns its rows. */
async function settledRows(page, id) {
  await page.waitForFunction((hostId) => {
    const root = document.getElementById(hostId).shadowRoot;
    return root.querySelector('li.item') && !root.querySelector('li.item.loading');
  }, id, { timeout: 30_000 });
  return rows(page, id);
}

/** Every row of the widget's current list, page after page (back to its first page after). */
async function allRows(page, id) {
  const ids = [];
  for (;;) {
    const { ids: shown, loading } = await settledRows(page, id);
    assert.equal(loading, 0);
    ids.push(...shown);
    if (await page.$eval(`#${id}`, (el) => el.shadowRoot.querySelector('.pager').hidden || el.shadowRoot.querySelector('[part~="next-page"]').disabled)) break;
    await page.$eval(`#${id}`, (el) => el.shadowRoot.querySelector('[part~="next-page"]').click());
    await page.waitForFunction(([hostId, last]) => {
      const first = document.getElementById(hostId).shadowRoot.querySelector('li.item');
      return first && Number(first.getAttribute('aria-posinset')) > last;
    }, [id, ids.length - 1]);
  }
  return ids;
}

/** Folded as the core folds text for search (lower case, Latin accents removed). */
function fold(text) {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The searchable fields of an article, folded. */
function fields(article) {
  return [article.title ?? '', ...(article.categories ?? []), article.author ?? '', article.text ?? ''].map(fold);
}

/** The a–z words of an article's fields. */
function words(article) {
  return new Set(fields(article).flatMap((field) => field.match(/[\p{L}\p{N}]+/gu) ?? []));
}

/**
 * A word to search for, from the article `from`: a–z only, held by a few
 * articles, which no longer word begins (the last word of a query also
 * matches words it begins) and, as 5+ letters also match words one edit away,
 * of 4 letters at most. Returns it with the ids of the articles holding it.
 */
function pickWord(from) {
  const vocabulary = new Map();
  for (const article of articles) {
    for (const word of words(article)) {
      if (!vocabulary.has(word)) vocabulary.set(word, new Set());
      vocabulary.get(word).add(article.id);
    }
  }
  const all = [...vocabulary.keys()];
  const candidates = [...words(from)].filter((word) => /^[a-z]{3,4}$/.test(word))
    .map((word) => ({ word, ids: vocabulary.get(word) }))
    .filter(({ word, ids }) => ids.size >= 3 && ids.size <= 25 && !all.some((other) => other !== word && other.startsWith(word)))
    .sort((a, b) => a.ids.size - b.ids.size || a.word.localeCompare(b.word));
  assert.ok(candidates.length, `no word to search for in '${from.title}'`);
  return candidates[0];
}

/** A run of two Han letters from the article `from`, held by a few articles (and the ids of those). */
function pickHan(from) {
  const spans = new Set();
  for (const field of fields(from)) for (const m of field.matchAll(/(?=(\p{Script=Han}{2}))/gu)) spans.add(m[1]);
  const candidates = [...spans].map((span) => ({ span, ids: new Set(articles.filter((a) => fields(a).some((f) => f.includes(span))).map((a) => a.id)) }))
    .filter(({ ids }) => ids.size >= 3 && ids.size <= 25)
    .sort((a, b) => a.ids.size - b.ids.size || a.span.localeCompare(b.span));
  assert.ok(candidates.length, `no two-letter Han span to search for in '${from.title}'`);
  return candidates[0];
}

const cliSearch = (query) => searchNative(site, query, COUNT);

/** Shard files fetched, by kind (terms, pos, typos, meta, dates). */
function shardsFetched(fetched) {
  const out = {};
  for (const kind of Object.keys(shardCounts)) out[kind] = new Set(fetched.filter((p) => p.startsWith(`${kind}/`))).size;
  return out;
}

test('a static collection in two widgets: first list without the index, searches fetch some shards and find exactly the articles, an article fetches its file', { timeout: 300_000 }, async () => {
  const { context, page, problems, fetched } = await open('widgets.html');
  await waitEvent(page, 'lectern-load', 'first');
  await waitEvent(page, 'lectern-load', 'second');
  const [load] = await page.evaluate(() => window.lecternEvents.filter((e) => e.type === 'lectern-load' && e.target === 'first'));
  assert.equal(load.detail.count, COUNT);
  assert.equal(await page.$eval('#first', (el) => el.size), COUNT);

  // The first page of the list: the newest articles, as `lectern search` lists them.
  const newest = cliSearch('').map((hit) => hit.id);
  const first = await settledRows(page, 'first');
  assert.deepEqual(first.ids, newest.slice(0, 10));
  assert.equal(first.setSize, COUNT);
  assert.equal((await settledRows(page, 'second')).ids.join(), newest.slice(0, 4).join());
  assert.match(await page.$eval('#first', (el) => el.shadowRoot.querySelector('.count').textContent), /^1,?500 articles$/);
  await page.waitForLoadState('networkidle');
  console.log(`first list (two widgets): ${fetched.join(', ')}`);
  assert.ok(fetched.every((p) => p === 'manifest.json' || p.startsWith('list/')), `only the manifest and list pages: ${fetched.join(', ')}`);
  // The two widgets share one StaticSource: each file fetched once.
  assert.equal(fetched.length, new Set(fetched).size, `each file once: ${fetched.join(', ')}`);
  assert.equal(fetched.filter((p) => p === 'manifest.json').length, 1);
  const wasm = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/reader_bg.wasm')).length);
  assert.equal(wasm, 1, 'one WASM download for both widgets');

  // Searches: a Latin word and a two-letter Han span, each from an article of the collection.
  const sample = articles.find((a) => a.id === newest[0]);
  const chinese = newest.map((id) => articles.find((a) => a.id === id)).find((a) => /\p{Script=Han}{2}/u.test(a.text ?? ''));
  const queries = [pickWord(sample), pickHan(chinese)].map((q) => ({ query: q.word ?? q.span, ids: q.ids }));
  for (const [i, { query, ids }] of queries.entries()) {
    const widget = i === 0 ? 'first' : 'second';
    fetched.length = 0;
    await page.fill(`#${widget} input[type=search]`, query);
    await page.waitForFunction(([hostId, q]) => window.lecternEvents.some((e) => e.type === 'lectern-search' && e.target === hostId && e.detail.query === q), [widget, query], { timeout: 60_000 });
    const [event] = (await page.evaluate(() => window.lecternEvents)).filter((e) => e.type === 'lectern-search' && e.target === widget && e.detail.query === query);
    assert.equal(event.detail.total, ids.size, `'${query}': lectern-search's total`);
    const shown = await allRows(page, widget);
    assert.deepEqual([...shown].sort(), [...ids].sort(), `'${query}': exactly the ${ids.size} articles holding it`);
    assert.deepEqual(shown, cliSearch(query).map((hit) => hit.id), `'${query}': in the order of lectern search`);
    const got = shardsFetched(fetched);
    console.log(`search '${query}' (${ids.size} articles): ${fetched.length} files; shards ${JSON.stringify(got)} of ${JSON.stringify(shardCounts)}`);
    for (const kind of ['terms', 'pos', 'typos']) assert.ok(got[kind] < shardCounts[kind], `'${query}': not every ${kind} shard (${got[kind]} of ${shardCounts[kind]})`);
    assert.ok(got.terms >= 1, `'${query}': a term shard fetched`);
    assert.equal(got.dates, 0, `'${query}': no dates fetched for a search without a date filter`);
    assert.ok(!fetched.some((p) => p.startsWith('articles/')), `'${query}': no article fetched for a search`);
    assert.ok(await page.$$eval(`#${widget} li.item mark`, (marks) => marks.length) > 0, `'${query}': matches highlighted`);
  }
  // Each widget kept its own search.
  assert.equal(await page.$eval('#first input[type=search]', (input) => input.value), queries[0].query);

  // Opening an article fetches its own file only, and shows it sanitised.
  await page.waitForLoadState('networkidle');
  fetched.length = 0;
  const id = await page.$eval('#first li.item', (row) => row.dataset.id);
  const parsed = articles.find((a) => a.id === id);
  await page.$eval('#first', (el) => el.shadowRoot.querySelector('li.item .item-link').click());
  await page.waitForSelector('#first #article-view:not([hidden])');
  await waitEvent(page, 'lectern-open', 'first');
  const [opened] = (await page.evaluate(() => window.lecternEvents)).filter((e) => e.type === 'lectern-open' && e.target === 'first');
  assert.deepEqual({ id: opened.detail.id, title: opened.detail.title }, { id, title: parsed.title });
  assert.equal(await page.$eval('#first #article-title', (h) => h.textContent), parsed.title);
  const body = await page.$eval('#first #article-body', (b) => ({
    text: b.textContent.replace(/\s+/g, ''),
    unsafe: b.querySelectorAll('script, style, iframe, object, embed, form, base, meta, link').length,
    handlers: [...b.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name) || /^\s*javascript:/i.test(a.value)).map((a) => a.name)),
    images: [...b.querySelectorAll('img')].map((i) => i.getAttribute('referrerpolicy')),
  }));
  assert.ok(body.text.length > 100);
  assert.ok(body.text.includes(parsed.text.replace(/\s+/g, '').slice(0, 80)), 'the body is the article\'s');
  assert.equal(body.unsafe, 0);
  assert.deepEqual(body.handlers, []);
  for (const policy of body.images) assert.equal(policy, 'no-referrer');
  await page.waitForLoadState('networkidle');
  assert.deepEqual(fetched.filter((p) => p.startsWith('articles/')).length, 1, fetched.join(', '));
  assert.ok(fetched.every((p) => p.startsWith('articles/') || p.startsWith('cards/')), fetched.join(', '));
  // Next article, then Escape back to the list.
  await page.click('#first #next-button');
  await waitEvent(page, 'lectern-open', 'first', 2);
  await page.keyboard.press('Escape');
  await page.waitForSelector('#first #list-view:not([hidden])');
  assert.deepEqual(problems.errors, [], 'no CSP, Trusted Types or script errors');
  await context.close();
});

test('every article of a static collection can be reached, page after page, newest first', { timeout: 300_000 }, async () => {
  const { context, page, problems, fetched } = await open('widgets.html');
  await waitEvent(page, 'lectern-load', 'first');
  await page.$eval('#first', (el) => { el.pageSize = 200; });
  const ids = await allRows(page, 'first');
  assert.equal(ids.length, COUNT);
  assert.deepEqual(ids, cliSearch('').map((hit) => hit.id));
  assert.ok(fetched.every((p) => p === 'manifest.json' || p.startsWith('list/')), 'browsing fetches list pages only');
  assert.deepEqual(problems.errors, []);
  await context.close();
});

test('a static collection of another format version, or with its list missing, shows the error state and fires lectern-error', { timeout: 120_000 }, async () => {
  const { context, page, problems } = await open('errors.html');
  for (const id of ['future', 'broken']) await waitEvent(page, 'lectern-error', id);
  const state = (id) => page.$eval(`#${id}`, (el) => ({
    shown: !el.shadowRoot.querySelector('.error').hidden,
    text: el.shadowRoot.querySelector('.error').textContent,
    listShown: !el.shadowRoot.querySelector('#list-view').hidden,
    size: el.size,
  }));
  const future = await state('future');
  assert.equal(future.shown, true);
  assert.equal(future.listShown, false);
  assert.equal(future.size, 0);
  assert.match(future.text, /Could not load the articles from http:\/\/127\.0\.0\.1:\d+\/future\/: .*version/);
  const broken = await state('broken');
  assert.equal(broken.shown, true);
  assert.match(broken.text, /Could not load the articles from http:\/\/127\.0\.0\.1:\d+\/broken\/: collection\/list\/\d+\.bin: HTTP 404/);
  const events = await page.evaluate(() => window.lecternEvents);
  assert.ok(!events.some((e) => e.type === 'lectern-load'), 'no lectern-load for a failed load');
  assert.deepEqual(problems.errors.filter((e) => !/Failed to load resource: the server responded with a status of 404/.test(e)), []);
  await context.close();
});
