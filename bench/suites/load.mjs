// Load (issue 9, issue 13): the reading list page served by `lectern serve`,
// for the project's sample collection and for 10,000 derived articles. The
// server builds each folder into a collection (in a cache folder of the run's,
// LECTERN_CACHE) before it listens, so the page reads a built collection with
// the reader module alone; that build is reported apart, never in the page's
// times. Measured, per collection: navigation → first list (a real row drawn),
// navigation → all listed (the page ready, `html[data-ready]`, with the
// collection's total shown: the list's size is every article), memory held
// after load (JS heap + every WebAssembly memory of the page), the same times
// on a second visit (same browser profile: its service worker and HTTP cache),
// and whether the ingest module (pkg/ingest_bg.wasm, or its worker) was ever
// fetched: it must not be (reported, not asserted).
//
// Each round opens each collection in a fresh browser context (empty
// storage), alternating which goes first. Sizes of what is downloaded are in
// size.json; bytes fetched from a built collection, in static.json.
import path from 'node:path';
import { freshPage, measureMemory } from '../lib/browser.mjs';
import { generateArticles } from '../lib/generate.mjs';
import { serveLectern } from '../lib/native.mjs';
import { ROOT } from '../lib/paths.mjs';
import { summary, rotate } from '../lib/stats.mjs';

const LARGE = 10_000;
/** Issue 13's goals at 10,000 articles (the figures before the split: 566 ms, 3.3 s, 292 MB). */
const GOALS = { firstListMs: 566, allListedMs: 3300, memoryMB: 60 };
/** What the page must never fetch on a built collection: the ingest module, its glue and its worker. */
const INGEST = /\/pkg\/ingest(_bg\.wasm|\.js)(\?|$)|\/js\/ingest-worker\.js(\?|$)/;

/**
 * Records, in the page, when the first real list row appears and when the
 * page is ready with `expected` articles listed (`html[data-ready]` and the
 * list's size).
 */
function watchLoad(expected) {
  const marks = {};
  window.__benchLoad = marks;
  const check = () => {
    if (marks.firstList === undefined && document.querySelector('#list .item .item-link')) marks.firstList = performance.now();
    if (marks.ready === undefined && document.documentElement.dataset.ready === 'true') marks.ready = performance.now();
    if (marks.ready !== undefined && marks.allListed === undefined) {
      const listed = Number(document.querySelector('#list .item')?.getAttribute('aria-setsize') ?? 0);
      if (listed === expected) marks.allListed = performance.now();
    }
  };
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready', 'aria-setsize'],
  });
}

async function visit(page, url, timeout) {
  await page.goto(url);
  await page.waitForFunction(() => window.__benchLoad?.firstList !== undefined && window.__benchLoad?.allListed !== undefined, null, { timeout, polling: 100 });
  return page.evaluate(() => ({
    ...window.__benchLoad,
    articles: Number(document.querySelector('#list .item')?.getAttribute('aria-setsize') ?? 0),
    count: document.querySelector('#result-count')?.textContent ?? '',
    collection: document.documentElement.dataset.collection ?? 'folder',
  }));
}

/** Counts what a browser context fetches of the ingest module, and the workers it starts. */
function watchIngest(session) {
  const seen = { requests: [], workers: [] };
  session.context.on('request', (request) => {
    if (INGEST.test(request.url())) seen.requests.push(new URL(request.url()).pathname);
  });
  session.page.on('worker', (worker) => seen.workers.push(new URL(worker.url()).pathname));
  return seen;
}

export default {
  name: 'load',
  title: 'Load',
  rounds: 5,
  async run(ctx) {
    const large = path.join(ctx.tmp, `derived-${LARGE}`);
    const generated = await generateArticles({ count: LARGE, seed: 1, out: large });
    ctx.progress(`generated ${generated.count} derived articles (${(generated.bytes / 1e6).toFixed(1)} MB) in ${large}`);
    const collections = [
      { id: 'samples', label: 'sample collection', dir: path.join(ROOT, 'samples') },
      { id: 'derived10k', label: `${LARGE.toLocaleString('en')} derived articles`, dir: large, goals: GOALS },
    ];
    const cache = path.join(ctx.tmp, 'serve-cache');
    const servers = {};
    try {
      // One at a time: each builds its folder before it listens (not part of any page time).
      for (const c of collections) {
        servers[c.id] = await serveLectern(c.dir, { cache });
        ctx.progress(`lectern serve: ${c.id}, ${servers[c.id].articles} articles, built in ${(servers[c.id].startMs / 1000).toFixed(1)} s (not counted)`);
      }
      const series = Object.fromEntries(collections.map((c) => [c.id, {
        firstList: [], allListed: [], jsHeap: [], wasm: [], total: [], warmFirstList: [], warmAllListed: [],
        articles: 0, count: '', kind: '', ingestRequests: [], ingestWorkers: [],
      }]));
      for (let r = 0; r < ctx.rounds; r++) {
        for (const c of rotate(collections, r)) {
          const server = servers[c.id];
          const session = await freshPage(ctx.browser);
          const ingest = watchIngest(session);
          try {
            await session.page.addInitScript(watchLoad, server.articles);
            const timeout = c.id === 'samples' ? 60_000 : 600_000;
            const cold = await visit(session.page, server.url, timeout);
            const memory = await measureMemory(session.cdp);
            const warm = await visit(session.page, server.url, timeout);
            const s = series[c.id];
            s.firstList.push(cold.firstList);
            s.allListed.push(cold.allListed);
            s.warmFirstList.push(warm.firstList);
            s.warmAllListed.push(warm.allListed);
            s.jsHeap.push(memory.jsHeap / 1e6);
            s.wasm.push(memory.wasm / 1e6);
            s.total.push(memory.total / 1e6);
            s.articles = cold.articles;
            s.count = cold.count;
            s.kind = cold.collection;
            s.ingestRequests.push(...ingest.requests);
            s.ingestWorkers.push(...ingest.workers);
            if (session.errors.length) ctx.progress(`page errors: ${session.errors.slice(0, 3).join(' | ')}`);
          } finally {
            await session.close();
          }
        }
        ctx.progress(`round ${r + 1}/${ctx.rounds}: ${collections.map((c) => `${c.id} first list ${series[c.id].firstList.at(-1).toFixed(0)} ms, all ${series[c.id].allListed.at(-1).toFixed(0)} ms, ${series[c.id].total.at(-1).toFixed(0)} MB`).join('; ')}`);
      }

      const result = {
        generated: { count: generated.count, seed: generated.seed, bytes: generated.bytes, byCorpus: generated.byCorpus },
        settings: {
          server: '`lectern serve DIR --port 0`, LECTERN_CACHE in the run\'s temporary folder; it builds DIR before it prints its address (serveBuildSeconds, not in any page time)',
          firstList: 'navigation → the first list row with its link (#list .item .item-link)',
          allListed: 'navigation → html[data-ready="true"] with the list\'s size (aria-setsize) equal to the articles served: the page ready with the total shown',
          memory: 'after the first visit: JS heap after full GC + every WebAssembly.Memory of the page',
          secondVisit: 'the same page again in the same browser context (its service worker and HTTP cache)',
          ingest: 'requests of the context for pkg/ingest_bg.wasm, pkg/ingest.js or js/ingest-worker.js, and workers started, over both visits of every round',
        },
        collections: {},
        rows: [],
      };
      for (const c of collections) {
        const s = series[c.id];
        const server = servers[c.id];
        const x = {
          label: c.label,
          articles: s.articles,
          served: server.articles,
          pageCollection: s.kind,
          countShown: s.count,
          serveBuildSeconds: Math.round(server.startMs) / 1000,
          firstListMs: summary(s.firstList),
          allListedMs: summary(s.allListed),
          memoryAfterLoadMB: { jsHeap: summary(s.jsHeap), wasm: summary(s.wasm), total: summary(s.total) },
          secondVisit: { firstListMs: summary(s.warmFirstList), allListedMs: summary(s.warmAllListed) },
          ingestFetched: { requests: s.ingestRequests.length, workers: s.ingestWorkers.length, paths: [...new Set([...s.ingestRequests, ...s.ingestWorkers])] },
        };
        result.collections[c.id] = x;
        const goal = (key, value, unit) => (c.goals ? { goal: { text: `≤ ${c.goals[key]} ${unit}`, max: c.goals[key] }, holds: value.median <= c.goals[key] } : {});
        const fetched = x.ingestFetched.requests + x.ingestFetched.workers;
        result.rows.push(
          {
            id: `${c.id}-first-list`,
            label: `${c.label} (${s.articles}, built by lectern serve): navigation → first list`,
            value: x.firstListMs,
            unit: 'ms',
            ...goal('firstListMs', x.firstListMs, 'ms'),
            note: `lectern serve built it in ${x.serveBuildSeconds.toFixed(1)} s before listening (not counted)`,
          },
          {
            id: `${c.id}-all-listed`,
            label: `${c.label}: navigation → all listed (page ready, total shown)`,
            value: x.allListedMs,
            unit: 'ms',
            ...goal('allListedMs', x.allListedMs, 'ms'),
          },
          {
            id: `${c.id}-memory`,
            label: `${c.label}: memory after load (JS heap + WASM)`,
            value: x.memoryAfterLoadMB.total,
            unit: 'MB',
            ...goal('memoryMB', x.memoryAfterLoadMB.total, 'MB'),
            note: `JS heap ${x.memoryAfterLoadMB.jsHeap.median.toFixed(1)} MB, WASM ${x.memoryAfterLoadMB.wasm.median.toFixed(1)} MB`,
          },
          {
            id: `${c.id}-second-visit`,
            label: `${c.label}: second visit (service worker, HTTP cache) → all listed`,
            value: x.secondVisit.allListedMs,
            unit: 'ms',
          },
          {
            id: `${c.id}-ingest-fetched`,
            label: `${c.label}: ingest module fetched (ingest_bg.wasm, its glue or worker)`,
            value: { median: fetched, p25: fetched, p75: fetched, min: fetched, max: fetched, n: ctx.rounds * 2 },
            text: fetched ? `${fetched} time(s)` : 'never fetched',
            unit: 'requests',
            goal: { text: 'never fetched' },
            holds: fetched === 0,
            note: `over ${ctx.rounds * 2} visits${fetched ? `: ${x.ingestFetched.paths.join(', ')}` : ''}`,
          },
        );
      }
      return result;
    } finally {
      for (const server of Object.values(servers)) await server.stop();
    }
  },
};
