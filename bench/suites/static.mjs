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
// - up to 20,000 articles, the first visit of `lectern serve` on the plain
//   folder: with its bundle endpoint and file by file.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { freshPage, modulePage, trackRequests } from '../lib/browser.mjs';
import { folderSize } from '../lib/files.mjs';
import { generateArticles } from '../lib/generate.mjs';
import { measureCommand, serveLectern } from '../lib/native.mjs';
import { writeArticlePages, buildIndex, bundleSize, pagefindFileKind } from '../lib/pagefind.mjs';
import { LECTERN } from '../lib/paths.mjs';
import { summary, rotate, round, formatBytes } from '../lib/stats.mjs';

/** The fixed query set: English words and pairs, a misspelling, Chinese words and pairs, Hebrew, Arabic. */
const QUERIES = ['release', 'rust async', 'i2p router', 'privacy', '发布', '人工智能', '苹果 手机', 'netwrok', 'שלום', 'الشبكة'];
/** Pagefind results whose data (fragment) is loaded per query, as a results page shows them. */
const SHOWN = 10;
const FIRST_LIST_GOAL = 200_000;
/** The bundle's first visit is measured up to this size (file by file, 100,000 articles take too long). */
const BUNDLE_VISIT_MAX = 20_000;
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

/** `lectern serve` on the article folder: navigation → every article listed, with the bundle and file by file. */
async function bundleVisit(ctx, source, rounds) {
  const server = await serveLectern(source);
  const times = { bundle: [], fileByFile: [] };
  try {
    for (let r = 0; r < rounds; r++) {
      for (const way of rotate(['bundle', 'fileByFile'], r)) {
        const session = await freshPage(ctx.browser);
        try {
          if (way === 'fileByFile') await session.context.route(/\/collection\/bundle$/, (route) => route.fulfill({ status: 404, body: '' }));
          const started = performance.now();
          await session.page.goto(server.url);
          await session.page.waitForSelector('html[data-ready="true"]', { state: 'attached', timeout: 900_000 });
          times[way].push((performance.now() - started) / 1000);
        } finally {
          await session.close();
        }
      }
    }
  } finally {
    server.stop();
  }
  return times;
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
  if (x.bundleVisit) {
    const b = x.bundleVisit;
    rows.push({
      id: `${tag}-bundle-visit`,
      label: `${tag}: lectern serve on the folder, first visit, file by file / bundle`,
      value: summary(b.fileByFile.map((t, i) => t / b.bundle[i])),
      unit: '×',
      note: `bundle ${summary(b.bundle).median} s, file by file ${summary(b.fileByFile).median} s`,
    });
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
        if (count <= BUNDLE_VISIT_MAX) {
          ctx.progress(`${tag}: lectern serve on the folder, first visit with the bundle and file by file`);
          const times = await bundleVisit(ctx, source, ctx.rounds);
          x.bundleVisit = { ...times, bundleSeconds: summary(times.bundle), fileByFileSeconds: summary(times.fileByFile) };
        }
      }
      result.sizes[tag] = x;
      result.rows.push(...sizeRows(tag, x));
      if (!ctx.keepTemp) rmSync(dir, { recursive: true, force: true });
    }
    return result;
  },
};
