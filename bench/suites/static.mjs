// Static collections at scale (issue 6): `lectern index` against Pagefind (its
// extended binary) on the same derived articles (lib/generate.mjs), at 10,000
// and 100,000 articles (--quick: 1,000 and 3,000; BENCH_STATIC_SIZES=a,b sets
// them). For each size:
//
// - index time and peak memory (GNU time) of `lectern index` on the article
//   files and of Pagefind on the same articles rendered as pages (rendering is
//   not timed), in a rotating order, `rounds` times (the 100,000 builds once);
//   the size of what each writes;
// - in Chromium, the bytes the server sends: for Lectern's page on the
//   collection, the first list, then each query of a fixed set typed into the
//   search box, in a fresh page after the first list ("fresh") and in one page
//   after the other queries ("after others"); for Pagefind, its start-up
//   (`init()`, and the entry file, metadata and WASM its first query loads)
//   and each query with the fragments of its first 10 results (as a results
//   page shows them), the same two ways. A query's bytes are the index data it
//   fetches: code (the page's, Pagefind's JS and WASM) and one-time start-up
//   files (Lectern's manifest and index.bin, Pagefind's entry and metadata)
//   are counted apart;
// - what an embedding site's visitor downloads (issue 13): `<lectern-reader>`
//   on the collection (a host page of bench/pages/ served beside it), every
//   file the server sent until its first list is on screen (the element's
//   modules, style sheets, the reader module, the collection's files), each
//   as a compressing host sends it (gzip -9, or as it is when already
//   compressed); beside it, Pagefind's default UI (pagefind-ui.js and .css
//   from the same bundle, `new PagefindUI`): its files on page load and when
//   its search box is focused (pagefind.js, its worker, WASM, entry and
//   metadata), what it loads before a search;
// - up to 20,000 articles, `lectern serve` on the plain folder (informational):
//   its start with an empty cache (the build) and again with the cache of that
//   build, and a reload of its page after one article file changed (the
//   incremental build the manifest request waits for) against a reload
//   without change. The folder is changed only after every other measure.
import { appendFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { freshPage, modulePage, trackRequests } from '../lib/browser.mjs';
import { folderSize, servedGzipBytes } from '../lib/files.mjs';
import { generateArticles } from '../lib/generate.mjs';
import { measureCommand, serveLectern } from '../lib/native.mjs';
import { writeArticlePages, buildIndex, bundleSize, pagefindFileKind } from '../lib/pagefind.mjs';
import { BENCH, LECTERN } from '../lib/paths.mjs';
import { summary, rotate, round, formatBytes } from '../lib/stats.mjs';

/** The fixed query set: English words and pairs, a misspelling, Chinese words and pairs, Hebrew, Arabic. */
const QUERIES = ['release', 'rust async', 'i2p router', 'privacy', '发布', '人工智能', '苹果 手机', 'netwrok', 'שלום', 'الشبكة'];
/** Pagefind results whose data (fragment) is loaded per query, as a results page shows them. */
const SHOWN = 10;
const FIRST_LIST_GOAL = 200_000;
/** Issue 13: everything <lectern-reader> needs until its first list, gzip as served. */
const WIDGET_GOAL = 200_000;
/** `lectern serve` on the plain folder is measured up to this size (its build at 100,000 takes minutes). */
const SERVE_MAX = 20_000;
/** From this size on, the index builds run once whatever the rounds (each takes minutes). */
const ONE_BUILD_FROM = 50_000;

function sizes(quick) {
  const fromEnv = process.env.BENCH_STATIC_SIZES?.split(',').map(Number);
  if (fromEnv?.some((n) => !Number.isInteger(n) || n < 1)) throw new Error(`BENCH_STATIC_SIZES must list whole numbers, not '${process.env.BENCH_STATIC_SIZES}'`);
  return fromEnv ?? (quick ? [1_000, 3_000] : [10_000, 100_000]);
}

const tagOf = (n) => (n % 1000 === 0 ? `${n / 1000}k` : String(n));
const single = (v) => ({ median: v, p25: v, p75: v, min: v, max: v, n: 1 });

/**
 * The requests the server answered since the last call under `prefix`, by
 * kind (`kindOf(path under prefix)`: 'data', 'startup' or 'code'), each
 * `{ files, bytes, paths }` (no paths for code).
 */
function takeBytes(server, prefix, kindOf) {
  const out = Object.fromEntries(['data', 'startup', 'code'].map((kind) => [kind, { files: 0, bytes: 0, paths: kind === 'code' ? undefined : [] }]));
  for (const entry of server.takeLog()) {
    if (!entry.path.startsWith(prefix)) continue;
    const name = entry.path.slice(prefix.length);
    const part = out[kindOf(name)];
    part.files++;
    part.bytes += entry.bytes;
    part.paths?.push(name);
  }
  return out;
}

/** Lectern's page: its own files are code; the manifest and index.bin are read once before the list. */
function lecternFileKind(name) {
  if (!name.startsWith('collection/')) return 'code';
  return /^collection\/(manifest\.json|index\.bin)$/.test(name) ? 'startup' : 'data';
}

/** `lectern index SOURCE -o OUT` under GNU time; `ok` when it ended by itself and wrote the collection. */
async function lecternIndex(source, out) {
  rmSync(out, { recursive: true, force: true });
  const run = await measureCommand(LECTERN, ['index', source, '-o', out]);
  const manifest = path.join(out, 'collection', 'manifest.json');
  // Exit status 1 means some files were skipped: the collection is still written.
  const ok = !run.signal && (run.code === 0 || run.code === 1) && existsSync(manifest);
  return { ...run, ok, manifest: ok ? JSON.parse(readFileSync(manifest, 'utf8')) : null };
}

/** Types a query into the page's search box and waits for its results and every fetch they cause. */
async function lecternQuery(page, network, query) {
  const before = await page.textContent('#result-count');
  await page.fill('#search', query);
  // The count turns to "Loading…" while shards download; it may also stay the same.
  await page.waitForFunction((text) => document.querySelector('#result-count').textContent !== text, before, { timeout: 3_000 }).catch(() => {});
  await page.waitForFunction(() => !document.querySelector('#result-count').textContent.endsWith('…'), null, { timeout: 300_000 });
  await network.idle();
  return page.textContent('#result-count');
}

async function openLectern(ctx, prefix) {
  const session = await freshPage(ctx.browser);
  const network = trackRequests(session.page);
  await session.page.goto(ctx.url(prefix));
  await session.page.waitForSelector('#list .item .item-link', { timeout: 300_000 });
  await network.idle();
  const listed = Number(await session.page.getAttribute('#list .item', 'aria-setsize'));
  return { ...session, network, listed };
}

/** Lectern's page on the collection: first list, then each query fresh and after the others. */
async function measureLectern(ctx, prefix) {
  const out = { firstList: null, listed: 0, fresh: {}, afterOthers: {}, results: {} };
  ctx.server.takeLog();
  const session = await openLectern(ctx, prefix);
  try {
    out.firstList = takeBytes(ctx.server, prefix, lecternFileKind);
    out.listed = session.listed;
    for (const query of QUERIES) {
      out.results[query] = await lecternQuery(session.page, session.network, query);
      out.afterOthers[query] = takeBytes(ctx.server, prefix, lecternFileKind);
    }
    if (session.errors.length) ctx.progress(`Lectern page errors: ${session.errors.slice(0, 3).join(' | ')}`);
  } finally {
    await session.close();
  }
  for (const query of QUERIES) {
    const fresh = await openLectern(ctx, prefix);
    try {
      ctx.server.takeLog();
      await lecternQuery(fresh.page, fresh.network, query);
      out.fresh[query] = takeBytes(ctx.server, prefix, lecternFileKind);
    } finally {
      await fresh.close();
    }
  }
  return out;
}

/** The sum of parts of `takeBytes` results. */
function merge(...parts) {
  return { files: parts.reduce((n, p) => n + p.files, 0), bytes: parts.reduce((n, p) => n + p.bytes, 0), paths: parts.flatMap((p) => p.paths ?? []) };
}

/** Pagefind through its own JS: start-up, then each query (with its shown results' fragments) fresh and after the others. */
async function measurePagefind(ctx, prefix) {
  const basePath = `${prefix}pagefind/`;
  const take = () => takeBytes(ctx.server, prefix, pagefindFileKind);
  const open = async () => {
    const session = await modulePage(ctx.browser, ctx.url('/bench/blank.html'), '/bench/pagefind.js');
    ctx.server.takeLog();
    await session.page.evaluate((base) => window.bench.setup(base), basePath);
    return { session, setup: take() };
  };
  const search = (session, query) => session.page.evaluate(([q, n]) => window.bench.searchShown(q, n), [query, SHOWN]);
  const out = { startup: null, fresh: {}, afterOthers: {}, results: {} };
  const first = await open();
  try {
    for (const query of QUERIES) {
      out.results[query] = await search(first.session, query);
      out.afterOthers[query] = take();
    }
  } finally {
    await first.session.close();
  }
  // init() loads only pagefind.js: the entry file, the metadata and the WASM come with the first query.
  const firstQuery = out.afterOthers[QUERIES[0]];
  out.startup = { ...merge(first.setup.startup, firstQuery.startup), code: merge(first.setup.code, firstQuery.code) };
  for (const query of QUERIES) {
    const { session } = await open();
    try {
      await search(session, query);
      out.fresh[query] = take();
    } finally {
      await session.close();
    }
  }
  return out;
}

/**
 * Requests of the server's log under `prefix` (answered 200) but `except`, by
 * kind (`kindOf(name under prefix)`): files, bytes as sent, and gzip bytes as
 * a compressing host would send them (`servedGzipBytes`), and each file's.
 */
function servedParts(entries, prefix, kindOf, except = () => false) {
  const out = {};
  for (const entry of entries) {
    if (!entry.path.startsWith(prefix) || entry.status !== 200) continue;
    const name = entry.path.slice(prefix.length);
    if (except(name)) continue;
    const part = (out[kindOf(name)] ??= { files: 0, bytes: 0, gzipBytes: 0, list: [] });
    const gzipBytes = servedGzipBytes(entry);
    part.files++;
    part.bytes += entry.bytes;
    part.gzipBytes += gzipBytes;
    part.list.push({ name, bytes: entry.bytes, gzipBytes });
  }
  return out;
}

/** The sum of servedParts parts. */
function servedTotal(parts) {
  const all = Object.values(parts);
  return { files: all.reduce((n, p) => n + p.files, 0), bytes: all.reduce((n, p) => n + p.bytes, 0), gzipBytes: all.reduce((n, p) => n + p.gzipBytes, 0) };
}

const WIDGET_PAGE = 'bench-widget.html';

/**
 * `<lectern-reader src="./">` on a page beside the built collection (its
 * modules, style sheets and WASM are the copies `lectern index` wrote there):
 * every file sent until the element's first list row is drawn and nothing is
 * in flight, the host page itself apart.
 */
async function measureWidget(ctx, prefix) {
  ctx.server.put(`${prefix}${WIDGET_PAGE}`, readFileSync(path.join(BENCH, 'pages/widget.html')));
  const session = await freshPage(ctx.browser);
  const network = trackRequests(session.page);
  try {
    ctx.server.takeLog();
    await session.page.goto(ctx.url(`${prefix}${WIDGET_PAGE}`));
    await session.page.waitForFunction(() => document.querySelector('lectern-reader')?.shadowRoot?.querySelector('.item .item-link'), null, { timeout: 300_000, polling: 50 });
    await network.idle();
    const parts = servedParts(ctx.server.takeLog(), prefix, (name) => (name.startsWith('collection/') ? 'collection' : 'code'), (name) => name === WIDGET_PAGE);
    if (session.errors.length) ctx.progress(`widget page errors: ${session.errors.slice(0, 3).join(' | ')}`);
    const ingest = Object.values(parts).flatMap((p) => p.list.map((f) => f.name)).filter((name) => /^pkg\/ingest(_bg\.wasm|\.js)$|^js\/ingest-worker\.js$/.test(name));
    return { ...parts, total: servedTotal(parts), ingestFetched: ingest, errors: session.errors.slice(0, 5) };
  } finally {
    await session.close();
  }
}

/**
 * Pagefind's default UI on a page of its own, the bundle of the same
 * articles: what it fetches on page load (its script and style sheet), then
 * when its search box is focused (it loads pagefind.js, which loads its
 * worker, WASM, entry file and metadata): everything before a first search.
 */
async function measurePagefindUi(ctx, prefix) {
  const bundle = `${prefix}pagefind/`;
  const session = await freshPage(ctx.browser);
  const network = trackRequests(session.page);
  const kind = pagefindFileKind;
  try {
    ctx.server.takeLog();
    await session.page.goto(ctx.url(`/bench/pagefind-default-ui.html?bundle=${encodeURIComponent(bundle)}`));
    await session.page.evaluate(() => window.benchUiReady);
    await network.idle();
    const onLoad = servedParts(ctx.server.takeLog(), prefix, kind);
    await session.page.focus('#search input');
    // Its start-up is a chain (pagefind.js, then its worker and the rest): wait for its metadata and WASM.
    const focused = [];
    const deadline = performance.now() + 120_000;
    while (!(focused.some((e) => /\.pf_meta$/.test(e.path)) && focused.some((e) => /\/wasm\.[a-z-]+\.pagefind$/.test(e.path)))) {
      if (performance.now() > deadline) throw new Error(`Pagefind's UI did not load its index metadata and WASM after focus (got ${focused.map((e) => e.path).join(', ')})`);
      await new Promise((resolve) => setTimeout(resolve, 50));
      focused.push(...ctx.server.takeLog());
    }
    await network.idle(500);
    focused.push(...ctx.server.takeLog());
    const onFocus = servedParts(focused, prefix, kind);
    if (session.errors.length) ctx.progress(`Pagefind UI page errors: ${session.errors.slice(0, 3).join(' | ')}`);
    const load = servedTotal(onLoad);
    const focus = servedTotal(onFocus);
    return {
      onLoad,
      onFocus,
      total: { files: load.files + focus.files, bytes: load.bytes + focus.bytes, gzipBytes: load.gzipBytes + focus.gzipBytes },
      loadTotal: load,
      focusTotal: focus,
    };
  } finally {
    await session.close();
  }
}

/** The first article file under `dir` (recursively, in name order). */
function firstArticleFile(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      const found = firstArticleFile(full);
      if (found) return found;
    } else if (/\.(md|markdown|html?)$/i.test(entry.name)) return full;
  }
  return null;
}

/**
 * `lectern serve` on the plain folder, its cache in the run's temporary
 * folder: its start with an empty cache (it builds the folder before it
 * listens) and again with that cache; then, in one page, reloads timed from
 * the reload to `html[data-ready]`, without change and after one article
 * file changed (the manifest request waits for the incremental build),
 * alternating. Changes the folder.
 */
async function serveVisits(ctx, source, cache, rounds) {
  const out = { coldStartMs: null, warmStartMs: null, reloadMs: { unchanged: [], changed: [] }, rebuilds: 0, changes: 0 };
  let server = await serveLectern(source, { cache });
  out.coldStartMs = server.startMs;
  await server.stop();
  server = await serveLectern(source, { cache });
  out.warmStartMs = server.startMs;
  const file = firstArticleFile(source);
  const session = await freshPage(ctx.browser);
  const ready = () => session.page.waitForSelector('html[data-ready="true"]', { state: 'attached', timeout: 900_000 });
  try {
    await session.page.goto(server.url);
    await ready();
    for (let r = 0; r < rounds; r++) {
      for (const way of rotate(['unchanged', 'changed'], r)) {
        if (way === 'changed') {
          appendFileSync(file, `\n\nA paragraph added by the benchmark (round ${r + 1}).\n`);
          out.changes++;
        }
        server.log();
        const started = performance.now();
        await session.page.reload({ waitUntil: 'commit' });
        await ready();
        out.reloadMs[way].push(performance.now() - started);
        if (/changed; built again/.test(server.log())) out.rebuilds++;
      }
    }
    if (session.errors.length) ctx.progress(`lectern serve page errors: ${session.errors.slice(0, 3).join(' | ')}`);
  } finally {
    await session.close();
    await server.stop();
  }
  return out;
}

/** Per-query ratios Pagefind / Lectern of the bytes of a way ('fresh' or 'afterOthers'). */
function queryRatios(lectern, pagefind, way) {
  return QUERIES.map((q) => pagefind[way][q].data.bytes / Math.max(1, lectern[way][q].data.bytes));
}

function sizeRows(tag, x) {
  const L = x.lectern;
  const P = x.pagefind;
  const firstList = L.index.ok ? merge(L.firstList.startup, L.firstList.data) : null;
  const rows = [
    { id: `${tag}-index-time`, label: `${tag}: lectern index, time`, value: L.index.seconds, unit: 's', note: `${x.articles.toLocaleString('en')} articles, ${formatBytes(x.generated.bytes)} of files` },
    {
      id: `${tag}-index-memory`,
      label: `${tag}: lectern index, peak memory`,
      value: L.index.peakMB,
      unit: 'MB',
      goal: { text: 'completes (no OOM)' },
      holds: L.index.ok,
      note: L.index.ok ? undefined : `failed: ${L.index.failure}`,
    },
  ];
  if (!L.index.ok) return rows;
  rows.push(
    { id: `${tag}-pagefind-time`, label: `${tag}: Pagefind, time (pages rendered beforehand)`, value: P.index.seconds, unit: 's' },
    { id: `${tag}-pagefind-memory`, label: `${tag}: Pagefind, peak memory`, value: P.index.peakMB, unit: 'MB' },
    {
      id: `${tag}-output`,
      label: `${tag}: output, Lectern collection / Pagefind bundle`,
      value: single(L.collection.bytes / 1e6),
      unit: 'MB',
      text: `${formatBytes(L.collection.bytes)} in ${L.collection.files.toLocaleString('en')} files / ${formatBytes(P.bundle.bytes)} in ${P.bundle.files.toLocaleString('en')} files`,
    },
    {
      id: `${tag}-first-list`,
      label: `${tag}: first list, collection bytes fetched`,
      value: single(firstList.bytes / 1e3),
      unit: 'KB',
      goal: { text: `< ${FIRST_LIST_GOAL / 1e3} KB` },
      holds: firstList.bytes < FIRST_LIST_GOAL,
      note: `${firstList.files} files (the page's own code apart); Pagefind's start-up: ${formatBytes(P.startup.bytes)} + ${formatBytes(P.startup.code.bytes)} of its JS and WASM`,
    },
  );
  for (const way of ['fresh', 'afterOthers']) {
    const ratios = summary(queryRatios(L, P, way));
    const lower = QUERIES.filter((q) => L[way][q].data.bytes < P[way][q].data.bytes).length;
    const medianOf = (side) => summary(QUERIES.map((q) => side[way][q].data.bytes)).median;
    rows.push({
      id: `${tag}-query-bytes-${way}`,
      label: `${tag}: bytes per query ${way === 'fresh' ? 'in a fresh page' : 'after the other queries'}, Pagefind / Lectern`,
      value: ratios,
      unit: '×',
      ...(way === 'fresh' ? { goal: { text: '> 1×', min: 1 }, holds: ratios.median > 1, chart: true } : { holds: null }),
      note: `over ${QUERIES.length} queries, Lectern fewer for ${lower}; median Lectern ${formatBytes(medianOf(L))}, Pagefind ${formatBytes(medianOf(P))} (with ${SHOWN} fragments)`,
    });
  }
  if (x.widget) {
    const w = x.widget;
    const pf = x.pagefindUi;
    const kb = (b) => `${(b / 1e3).toFixed(1)} KB`;
    const wasm = w.code?.list.find((f) => f.name === 'pkg/reader_bg.wasm');
    rows.push({
      id: `${tag}-widget-first-list`,
      label: `${tag}: <lectern-reader> on the collection, transferred until its first list (modules, CSS, WASM, collection files; gzip as served)`,
      value: single(w.total.gzipBytes / 1e3),
      unit: 'KB',
      goal: { text: `≤ ${WIDGET_GOAL / 1e3} KB`, max: WIDGET_GOAL / 1e3 },
      holds: w.total.gzipBytes <= WIDGET_GOAL,
      note: `${w.total.files} files: code ${kb(w.code?.gzipBytes ?? 0)} (${w.code?.files ?? 0}; reader_bg.wasm ${wasm ? kb(wasm.gzipBytes) : 'not fetched'}), collection ${kb(w.collection?.gzipBytes ?? 0)} (${w.collection?.files ?? 0}); uncompressed ${kb(w.total.bytes)}${w.ingestFetched.length ? `; ingest module fetched: ${w.ingestFetched.join(', ')}` : ''}`,
    });
    if (pf) {
      rows.push({
        id: `${tag}-pagefind-ui-startup`,
        label: `${tag}: Pagefind default UI (pagefind-ui.js/.css), transferred before a search (page load + search box focused; gzip as served)`,
        value: single(pf.total.gzipBytes / 1e3),
        unit: 'KB',
        note: `${pf.total.files} files: on load ${kb(pf.loadTotal.gzipBytes)} (${pf.loadTotal.files}), on focus ${kb(pf.focusTotal.gzipBytes)} (${pf.focusTotal.files}); uncompressed ${kb(pf.total.bytes)}; it shows no list before a search`,
      });
    }
  }
  if (x.serve) {
    const v = x.serve;
    rows.push(
      {
        id: `${tag}-serve-start`,
        label: `${tag}: lectern serve on the folder, start with an empty cache (its build, before it listens)`,
        value: single(v.coldStartMs / 1000),
        unit: 's',
        note: `again with that cache: ${(v.warmStartMs / 1000).toFixed(2)} s`,
      },
      {
        id: `${tag}-serve-reload-changed`,
        label: `${tag}: lectern serve, page reload → ready after one file changed (incremental build)`,
        value: summary(v.reloadMs.changed.map((ms) => ms / 1000)),
        unit: 's',
        note: `reload without change ${(summary(v.reloadMs.unchanged).median / 1000).toFixed(2)} s; built again ${v.rebuilds} of ${v.changes} times`,
      },
    );
  }
  return rows;
}

export default {
  name: 'static',
  title: 'Static collections at scale',
  rounds: 3,
  async run(ctx) {
    const result = {
      queries: QUERIES,
      settings: {
        lectern: '`lectern index SRC -o OUT`, its page on OUT (the server of the run, no compression: the collection files are gzip already); first list = collection files fetched until the list shows and nothing is in flight',
        widget: `<lectern-reader src="./"> on bench/pages/widget.html served at OUT/${WIDGET_PAGE}: every file sent until its first row is drawn and nothing is in flight (the host page apart); gzip = each file gzip -9, or as it is when that is no smaller`,
        pagefindUi: 'bench/pages/pagefind-default-ui.html: pagefind-ui.css, pagefind-ui.js, new PagefindUI({ element }); files of the bundle sent on load, then after focusing its search box until its metadata and WASM arrived and nothing is in flight; gzip as for the widget',
        serve: `up to ${SERVE_MAX.toLocaleString('en')} articles: lectern serve SRC (LECTERN_CACHE in the run's temporary folder): start to its address with an empty cache and with that cache; page reloads to html[data-ready], alternating without change and after appending a paragraph to one file`,
        pagefind: `extended binary, --force-language zh, on one page per article (Lectern's sanitised HTML, title, categories, author); pagefind.init() then search(q) and data() of the first ${SHOWN} results`,
        bytes: 'bytes the server sent (not browser-cache dependent: it sends no-store); code (page JS/WASM/CSS, Pagefind JS/WASM) counted apart',
        memory: 'peak resident memory of the process (GNU time, %M)',
      },
      sizes: {},
      rows: [],
    };
    for (const count of sizes(ctx.quick)) {
      const tag = tagOf(count);
      const dir = path.join(ctx.tmp, `static-${count}`);
      const source = path.join(dir, 'articles');
      const generated = await generateArticles({ count, seed: 1, out: source });
      ctx.progress(`${tag}: generated ${generated.count} articles (${formatBytes(generated.bytes)})`);
      const site = path.join(dir, 'pages');
      mkdirSync(site, { recursive: true });
      const rendered = await writeArticlePages([source], site);
      ctx.progress(`${tag}: rendered ${rendered.pages} pages for Pagefind`);

      const out = path.join(dir, 'lectern');
      const series = { lectern: { seconds: [], peakMB: [], last: null }, pagefind: { seconds: [], peakMB: [] } };
      const rounds = count >= ONE_BUILD_FROM ? 1 : ctx.rounds;
      let failed = false;
      for (let r = 0; r < rounds && !failed; r++) {
        for (const contender of rotate(['lectern', 'pagefind'], r)) {
          if (contender === 'lectern') {
            const run = await lecternIndex(source, out);
            series.lectern.last = run;
            failed = !run.ok;
            if (failed) break;
            series.lectern.seconds.push(run.ms / 1000);
            series.lectern.peakMB.push(run.peakRssBytes / 1e6);
          } else {
            rmSync(path.join(site, 'pagefind'), { recursive: true, force: true });
            const run = await buildIndex(site);
            series.pagefind.seconds.push(run.ms / 1000);
            series.pagefind.peakMB.push(run.peakRssBytes / 1e6);
          }
        }
        if (!failed) ctx.progress(`${tag} build ${r + 1}/${rounds}: lectern index ${series.lectern.seconds.at(-1).toFixed(1)} s, ${series.lectern.peakMB.at(-1).toFixed(0)} MB; Pagefind ${series.pagefind.seconds.at(-1).toFixed(1)} s, ${series.pagefind.peakMB.at(-1).toFixed(0)} MB`);
      }
      const last = series.lectern.last;
      const x = {
        articles: count,
        generated: { count: generated.count, seed: generated.seed, bytes: generated.bytes, byCorpus: generated.byCorpus },
        lectern: {
          index: {
            ok: last.ok,
            exitCode: last.code,
            failure: last.ok ? undefined : `${last.signal ? `killed by signal ${last.signal}` : `exit ${last.code}`} at ${(last.peakRssBytes / 1e6).toFixed(0)} MB: ${last.stderr.trim().split('\n').at(-1)}`,
            seconds: summary(series.lectern.seconds),
            peakMB: last.ok ? summary(series.lectern.peakMB) : single(last.peakRssBytes / 1e6),
            articles: last.manifest?.articles,
          },
        },
        pagefind: { pages: rendered.pages, renderFailures: rendered.failures, index: { seconds: summary(series.pagefind.seconds), peakMB: summary(series.pagefind.peakMB) } },
      };
      if (last.ok) {
        x.lectern.collection = folderSize(path.join(out, 'collection'));
        const bundle = bundleSize(site);
        x.pagefind.bundle = bundle;
        const lecternPrefix = `/static-${count}/lectern/`;
        const pagefindPrefix = `/static-${count}/pages/`;
        ctx.server.mount(lecternPrefix, out);
        ctx.server.mount(pagefindPrefix, site);
        ctx.progress(`${tag}: bytes fetched by Lectern's page and by Pagefind, ${QUERIES.length} queries`);
        Object.assign(x.lectern, await measureLectern(ctx, lecternPrefix));
        if (x.lectern.listed !== count) throw new Error(`${tag}: the page lists ${x.lectern.listed} articles, not ${count}`);
        Object.assign(x.pagefind, await measurePagefind(ctx, pagefindPrefix));
        x.ratios = Object.fromEntries(QUERIES.map((q, i) => [q, {
          fresh: round(queryRatios(x.lectern, x.pagefind, 'fresh')[i]),
          afterOthers: round(queryRatios(x.lectern, x.pagefind, 'afterOthers')[i]),
        }]));
        ctx.progress(`${tag}: <lectern-reader> until its first list, and Pagefind's default UI until a search`);
        x.widget = await measureWidget(ctx, lecternPrefix);
        x.pagefindUi = await measurePagefindUi(ctx, pagefindPrefix);
        if (count <= SERVE_MAX) {
          ctx.progress(`${tag}: lectern serve on the folder: start, restart, reloads with and without a changed file`);
          x.serve = await serveVisits(ctx, source, path.join(dir, 'serve-cache'), ctx.rounds);
        }
      }
      result.sizes[tag] = x;
      result.rows.push(...sizeRows(tag, x));
      if (!ctx.keepTemp) rmSync(dir, { recursive: true, force: true });
    }
    return result;
  },
};
