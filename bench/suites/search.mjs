// Search (issue 3): Lectern against MiniSearch, FlexSearch (default and `full`
// tokenisers) and Pagefind on the shared corpora at ×1 and ×10 (every article
// replicated under new names, so new ids): index build time, memory held after
// the build, query latency (p50, p95) over one query set, recall and precision
// against brute force, and for Pagefind the bytes a query fetches.
//
// Each round builds each engine in a fresh page (so memory is its own), in a
// rotating order. Lectern builds from the article files with its two modules
// (the ingest module's parseArticles, then the reader module's
// Library.addArticles: parsing and sanitising too; its memory is both
// modules'); the peers index the plain text Lectern extracted.
import { mkdirSync, readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';
import { modulePage, measureMemory } from '../lib/browser.mjs';
import { serveBenchArticles } from '../lib/dataset.mjs';
import { makeQueries, bruteForce, score } from '../lib/queries.mjs';
import { writeSite, buildIndex, fragmentUrls, bundleSize } from '../lib/pagefind.mjs';
import { PKG } from '../lib/paths.mjs';
import { summary, quantile, rotate, round } from '../lib/stats.mjs';

const ENGINES = [
  { id: 'lectern', label: 'Lectern', data: 'files' },
  { id: 'minisearch', label: 'MiniSearch', data: 'docs' },
  { id: 'flexsearch', label: 'FlexSearch (default)', data: 'docs' },
  // At ×1 it already needs ~0.7 GB of heap and 10+ s; ×10 would pass Chromium's 4 GB heap limit.
  { id: 'flexsearch-full', label: 'FlexSearch (full)', data: 'docs', maxCopies: 1 },
  { id: 'pagefind', label: 'Pagefind', data: 'site' },
];
const PEERS = ENGINES.filter((e) => e.id !== 'lectern');

const single = (v) => ({ median: v, p25: v, p75: v, min: v, max: v, n: 1 });

async function runPagefind(ctx, scale, queries, collect) {
  const session = await modulePage(ctx.browser, ctx.url('/bench/blank.html'), '/bench/pagefind.js');
  try {
    await session.page.evaluate((base) => window.bench.setup(base), scale.pagefindBase);
    return await session.page.evaluate(([q, c]) => window.bench.searchAll(q, { collect: c }), [queries, collect]);
  } finally {
    await session.close();
  }
}

/** Bytes Pagefind fetches for each query in a fresh page: its start-up, then the query's index chunks. */
async function pagefindBytes(ctx, scale, queries) {
  const init = [];
  const perQuery = [];
  for (const q of queries) {
    const session = await modulePage(ctx.browser, ctx.url('/bench/blank.html'), '/bench/pagefind.js');
    try {
      ctx.server.takeLog();
      await session.page.evaluate((base) => window.bench.setup(base), scale.pagefindBase);
      init.push(ctx.server.takeLog().filter((e) => e.path.startsWith(scale.sitePrefix)).reduce((n, e) => n + e.bytes, 0));
      await session.page.evaluate((query) => window.bench.search(query), q);
      perQuery.push(ctx.server.takeLog().filter((e) => e.path.startsWith(scale.sitePrefix)).reduce((n, e) => n + e.bytes, 0));
    } finally {
      await session.close();
    }
  }
  return { init: summary(init), perQuery: summary(perQuery), perQueryP95: quantile(perQuery, 0.95) };
}

async function runEngine(ctx, engine, copies, queries, collect) {
  const session = await modulePage(ctx.browser, ctx.url('/bench/blank.html'), '/bench/engines.js');
  try {
    const { page, cdp } = session;
    await page.evaluate(([data, c]) => window.bench.setup({ [`${data}Url`]: `/data/${data}.json`, copies: c }), [engine.data, copies]);
    const before = await measureMemory(cdp);
    const built = await page.evaluate((e) => window.bench.build(e), engine.id);
    const after = await measureMemory(cdp);
    const modules = engine.id === 'lectern' ? await page.evaluate(() => window.bench.wasmMemory()) : null;
    const searched = await page.evaluate(([q, c]) => window.bench.searchAll(q, { collect: c }), [queries, collect]);
    const saved = engine.id === 'lectern' && collect ? await page.evaluate(() => window.bench.savedSize()) : null;
    if (session.errors.length) ctx.progress(`${engine.id}: page errors: ${session.errors.slice(0, 3).join(' | ')}`);
    return {
      buildMs: built.ms,
      heapMB: (after.total - before.total) / 1e6,
      jsHeapMB: (after.jsHeap - before.jsHeap) / 1e6,
      wasmMB: (after.wasm - before.wasm) / 1e6,
      moduleMemoryMB: modules && Object.fromEntries(Object.entries(modules).map(([name, bytes]) => [name, bytes / 1e6])),
      indexBytes: built.indexBytes,
      times: searched.times,
      pageTimes: searched.pageTimes,
      hits: searched.hits,
      saved,
    };
  } finally {
    await session.close();
  }
}

export default {
  name: 'search',
  title: 'Search',
  rounds: 5,
  async run(ctx) {
    const data = await serveBenchArticles(ctx);
    const querySet = makeQueries(data.docs);
    const texts = querySet.map((q) => q.text);
    const truthIndexes = bruteForce(data.docs, querySet);
    // What a plain folder on a static host costs the page before its first query: every
    // article file (each gzip on its own, as a server sends it) and both modules (gzip).
    const gzipOf = (file) => gzipSync(readFileSync(path.join(PKG, file)), { level: 9 }).length;
    const wasmGzip = { reader: gzipOf('reader_bg.wasm'), ingest: gzipOf('ingest_bg.wasm') };
    const filesGzip = data.files.reduce((n, f) => n + gzipSync(f.text, { level: 9 }).length, 0);
    const result = {
      articles: data.docs.length,
      queries: {
        count: querySet.length,
        byKind: Object.fromEntries(['cjk', 'latin', 'arabic', 'hebrew'].map((k) => [k, querySet.filter((q) => q.kind === k).length])),
        list: querySet.map((q, i) => ({ ...q, relevant: truthIndexes[i].length })),
      },
      settings: {
        lectern: 'ingest parseArticles then reader Library.addArticles from the article files (batches of 512, main thread); search(q, { limit: 20, prefix: false, typos: false }) with snippets and facets',
        minisearch: "fields title, categories, author, text; search(q, { prefix: CJK query, combineWith: 'AND' }) (all hits, no limit)",
        flexsearch: "Document, tokenize 'strict' (default); search(q, { limit: 20, merge: true })",
        'flexsearch-full': "Document, tokenize 'full'; search(q, { limit: 20, merge: true })",
        pagefind: 'extended binary, --force-language zh (one index for every article); pagefind.search(q) in the page (all result ids, no fragments)',
        latency: 'each query warmed once, then repeated until 1 ms has passed (at most 200 times; Pagefind 20); the mean per query; p50 and p95 over the query set',
        recall: 'an unlimited search per query, untimed, in the first round',
      },
      scales: {},
      rows: [],
    };
    const scales = (ctx.quick ? [1] : [1, 10]).map((copies) => ({ copies, rounds: copies === 1 ? ctx.rounds : Math.min(ctx.rounds, 3) }));
    for (const scale of scales) {
      const { copies } = scale;
      const tag = `×${copies}`;
      const only = process.env.BENCH_SEARCH_ENGINES?.split(',');
      const engines = ENGINES.filter((e) => (!e.maxCopies || copies <= e.maxCopies) && (!only || e.id === 'lectern' || only.includes(e.id)));
      const withPagefind = engines.some((e) => e.id === 'pagefind');
      // Pagefind: the articles as pages, indexed by its binary.
      const site = path.join(ctx.tmp, `pagefind-x${copies}`);
      let pageNames = new Map();
      let pagefindBuild = { ms: NaN };
      let idUrls = new Map();
      if (withPagefind) {
        mkdirSync(site, { recursive: true });
        pageNames = writeSite(data.docs, copies, site);
        pagefindBuild = await buildIndex(site);
        scale.sitePrefix = `/site/x${copies}/`;
        scale.pagefindBase = `${scale.sitePrefix}pagefind/`;
        ctx.server.mount(scale.sitePrefix, site);
        idUrls = fragmentUrls(site);
        ctx.progress(`${tag}: Pagefind indexed ${pageNames.size} pages in ${(pagefindBuild.ms / 1000).toFixed(1)} s`);
      }

      const truth = truthIndexes.map((hits) => new Set(hits.flatMap((i) => Array.from({ length: copies }, (_, c) => `x${c}/${data.docs[i].name}`))));
      const series = Object.fromEntries(engines.map((e) => [e.id, { buildMs: [], heapMB: [], jsHeapMB: [], wasmMB: [], p50: [], p95: [], pageP50: [], pageP95: [], byKind: [] }]));
      const byKind = (times) => Object.fromEntries(['cjk', 'latin', 'arabic', 'hebrew'].map((k) => {
        const t = times.filter((_, i) => querySet[i].kind === k);
        return [k, { p50: round(quantile(t, 0.5)), p95: round(quantile(t, 0.95)) }];
      }));
      const answers = {};
      const extra = {};
      for (let r = 0; r < scale.rounds; r++) {
        for (const engine of rotate(engines, r)) {
          const collect = r === 0;
          const s = series[engine.id];
          if (engine.id === 'pagefind') {
            const out = await runPagefind(ctx, scale, texts, collect);
            s.p50.push(quantile(out.times, 0.5));
            s.p95.push(quantile(out.times, 0.95));
            s.byKind.push(byKind(out.times));
            if (collect) {
              const missing = [...new Set(out.hits.flat())].filter((id) => !idUrls.has(id));
              if (missing.length) throw new Error(`${missing.length} Pagefind result ids have no fragment file (bundled fragments?)`);
              answers.pagefind = out.hits.map((ids) => ids.map((id) => pageNames.get(idUrls.get(id))));
            }
          } else {
            const out = await runEngine(ctx, engine, copies, texts, collect);
            s.buildMs.push(out.buildMs);
            s.heapMB.push(out.heapMB);
            s.jsHeapMB.push(out.jsHeapMB);
            s.wasmMB.push(out.wasmMB);
            s.p50.push(quantile(out.times, 0.5));
            s.p95.push(quantile(out.times, 0.95));
            s.byKind.push(byKind(out.times));
            if (out.pageTimes) {
              s.pageP50.push(quantile(out.pageTimes, 0.5));
              s.pageP95.push(quantile(out.pageTimes, 0.95));
            }
            if (collect) answers[engine.id] = out.hits;
            if (out.saved) extra.lecternSaved = out.saved;
            if (out.indexBytes) extra.lecternIndexBytes = out.indexBytes;
            if (out.moduleMemoryMB) extra.lecternModuleMemoryMB = out.moduleMemoryMB;
          }
        }
        ctx.progress(`${tag} round ${r + 1}/${scale.rounds}: ${engines.map((e) => `${e.id} ${series[e.id].buildMs.length ? `build ${(series[e.id].buildMs.at(-1) / 1000).toFixed(1)} s, ` : ''}p50 ${series[e.id].p50.at(-1).toFixed(2)} ms`).join('; ')}`);
      }
      const bytes = withPagefind ? await pagefindBytes(ctx, scale, texts) : null;
      const quality = Object.fromEntries(engines.map((e) => [e.id, score(querySet, truth, answers[e.id])]));

      const out = {
        articles: data.docs.length * copies,
        engines: {},
        pagefind: withPagefind ? {
          buildMs: round(pagefindBuild.ms),
          buildPeakRssBytes: pagefindBuild.peakRssBytes,
          bundleBytes: bundleSize(site).bytes,
          startupBytes: bytes.init,
          bytesPerQuery: bytes.perQuery,
          bytesPerQueryP95: bytes.perQueryP95,
        } : undefined,
        lectern: {
          indexBytes: extra.lecternIndexBytes,
          savedLibrary: extra.lecternSaved,
          moduleMemoryMB: extra.lecternModuleMemoryMB,
          wasmGzipBytes: wasmGzip,
          articleFilesGzipBytes: filesGzip * copies,
        },
        skipped: ENGINES.filter((e) => e.maxCopies && copies > e.maxCopies).map((e) => ({ engine: e.id, reason: `not run at ×${copies}: at ×1 it already holds about ${Math.round(result.scales['×1']?.engines?.[e.id]?.heapMB?.median ?? 0)} MB; ×${copies} would pass Chromium's 4 GB JavaScript heap limit` })),
      };
      for (const e of engines) {
        const s = series[e.id];
        out.engines[e.id] = {
          buildMs: s.buildMs.length ? summary(s.buildMs) : undefined,
          heapMB: s.heapMB.length ? summary(s.heapMB) : undefined,
          jsHeapMB: s.jsHeapMB.length ? summary(s.jsHeapMB) : undefined,
          wasmMB: s.wasmMB.length ? summary(s.wasmMB) : undefined,
          latencyMs: { p50: summary(s.p50), p95: summary(s.p95), byKindFirstRound: s.byKind[0] },
          ...(s.pageP50.length ? { pageCallLatencyMs: { p50: summary(s.pageP50), p95: summary(s.pageP95) } } : {}),
          quality: quality[e.id],
        };
      }
      result.scales[tag] = out;

      // Rows: ratios peer / Lectern (higher is better for Lectern), per round.
      const L = series.lectern;
      const ratio = (peer, key) => summary(series[peer][key].map((x, i) => x / L[key][i]));
      const row = (id, label, value, goal, extraRow = {}) => result.rows.push({
        id: `${tag}-${id}`, label: `${tag}: ${label}`, value, unit: '×',
        goal: goal && { text: `≥ ${goal}×`, min: goal }, holds: goal ? value.median >= goal : null, chart: true, ...extraRow,
      });
      for (const peer of ['minisearch', 'flexsearch', 'flexsearch-full']) {
        if (!series[peer]) continue;
        const label = ENGINES.find((e) => e.id === peer).label;
        row(`build-${peer}`, `build time ${label} / Lectern (Lectern also parses and sanitises)`, ratio(peer, 'buildMs'), peer === 'minisearch' ? 1 : null);
        const modules = extra.lecternModuleMemoryMB;
        row(`heap-${peer}`, `memory after build ${label} / Lectern (JS heap + both modules' memory)`, ratio(peer, 'heapMB'), peer === 'minisearch' ? 1 : peer === 'flexsearch-full' ? 3 : null,
          modules && peer === 'minisearch' ? { note: `Lectern's WASM memory after the build: reader ${modules.reader.toFixed(0)} MB, ingest ${modules.ingest.toFixed(0)} MB (in the page the ingest module runs in a worker)` } : {});
      }
      for (const peer of PEERS.map((p) => p.id)) {
        if (!series[peer]) continue;
        const label = ENGINES.find((e) => e.id === peer).label;
        for (const key of ['p50', 'p95']) row(`${key}-${peer}`, `${key} latency ${label} / Lectern`, ratio(peer, key), peer === 'minisearch' ? 1 : null, { chart: peer === 'minisearch' || peer === 'pagefind' });
      }
      const ms = (x) => `${x.median < 1 ? x.median.toFixed(3) : x.median.toFixed(1)} ms`;
      result.rows.push({
        id: `${tag}-lectern-latency`,
        label: `${tag}: Lectern latency p50 / p95: ranked ids (as the peers); the page's call (20 hits, snippets, facets)`,
        value: summary(L.p50),
        text: `${ms(summary(L.p50))} / ${ms(summary(L.p95))}; ${ms(summary(L.pageP50))} / ${ms(summary(L.pageP95))}`,
        unit: 'ms',
      });
      for (const e of engines) {
        const q = quality[e.id].cjk;
        const isLectern = e.id === 'lectern';
        result.rows.push({
          id: `${tag}-cjk-quality-${e.id}`,
          label: `${tag}: CJK spans recall / precision, ${e.label} (${q.exact} of ${q.queries} exact)`,
          value: single(q.recall),
          text: `${q.recall.toFixed(3)} / ${q.precision.toFixed(3)}`,
          unit: 'recall / precision',
          goal: isLectern ? { text: '1.000 / 1.000' } : undefined,
          holds: isLectern ? q.recall === 1 && q.precision === 1 : null,
        });
      }
      if (!withPagefind) continue;
      const lecternBytes = filesGzip * copies + wasmGzip.reader + wasmGzip.ingest;
      const pagefindFirstQuery = bytes.init.median + bytes.perQuery.median;
      // A plain folder is downloaded and parsed whole; the goal on bytes per query against
      // Pagefind belongs to static collections (the static suite), which `lectern serve` serves too.
      result.rows.push({
        id: `${tag}-bytes-pagefind`,
        label: `${tag}: bytes before a first query, Pagefind / Lectern on a plain folder parsed in the browser (for static collections and lectern serve see the static suite)`,
        value: single(pagefindFirstQuery / lecternBytes),
        unit: '×',
        note: `Pagefind ${(bytes.init.median / 1e3).toFixed(0)} KB start-up + ${(bytes.perQuery.median / 1e3).toFixed(0)} KB per query (median); Lectern ${(lecternBytes / 1e6).toFixed(1)} MB: every article file and both .wasm, gzip (the saved library the page keeps: ${((extra.lecternSaved?.gzip ?? NaN) / 1e6).toFixed(1)} MB gzip)`,
      });
    }
    return result;
  },
};
