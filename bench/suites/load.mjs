// Load (issue 9): the reading list page served by `lectern serve`, from
// navigation to the first list drawn and to every article listed, for the
// project's sample collection and for 10,000 derived articles; memory held
// after load; and the same on a second visit (the page's saved copy). Each
// round opens each collection in a fresh browser context (empty storage),
// alternating which goes first. Sizes of what is downloaded are in size.json.
import path from 'node:path';
import { freshPage, measureMemory } from '../lib/browser.mjs';
import { generateArticles } from '../lib/generate.mjs';
import { serveLectern } from '../lib/native.mjs';
import { ROOT } from '../lib/paths.mjs';
import { summary, rotate } from '../lib/stats.mjs';

const LARGE = 10_000;

/** Records, in the page, when the first list row appears and when the page says it is ready. */
function watchLoad() {
  const marks = {};
  window.__benchLoad = marks;
  const check = () => {
    if (marks.firstList === undefined && document.querySelector('#list .item')) marks.firstList = performance.now();
    if (marks.ready === undefined && document.documentElement.dataset.ready === 'true') marks.ready = performance.now();
  };
  new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-ready'] });
}

async function visit(page, url, timeout) {
  await page.goto(url);
  await page.waitForFunction(() => window.__benchLoad?.firstList !== undefined && window.__benchLoad?.ready !== undefined, null, { timeout, polling: 100 });
  return page.evaluate(() => ({
    ...window.__benchLoad,
    articles: Number(document.querySelector('#list .item')?.getAttribute('aria-setsize') ?? 0),
  }));
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
      { id: 'derived10k', label: `${LARGE.toLocaleString('en')} derived articles`, dir: large },
    ];
    const servers = {};
    for (const c of collections) servers[c.id] = await serveLectern(c.dir);
    const series = Object.fromEntries(collections.map((c) => [c.id, { firstList: [], ready: [], jsHeap: [], wasm: [], total: [], warmFirstList: [], warmReady: [], articles: 0 }]));
    try {
      for (let r = 0; r < ctx.rounds; r++) {
        for (const c of rotate(collections, r)) {
          const session = await freshPage(ctx.browser);
          try {
            await session.page.addInitScript(watchLoad);
            const timeout = c.id === 'samples' ? 60_000 : 600_000;
            const cold = await visit(session.page, servers[c.id].url, timeout);
            const memory = await measureMemory(session.cdp);
            const warm = await visit(session.page, servers[c.id].url, timeout);
            const s = series[c.id];
            s.firstList.push(cold.firstList);
            s.ready.push(cold.ready);
            s.warmFirstList.push(warm.firstList);
            s.warmReady.push(warm.ready);
            s.jsHeap.push(memory.jsHeap / 1e6);
            s.wasm.push(memory.wasm / 1e6);
            s.total.push(memory.total / 1e6);
            s.articles = cold.articles;
            if (session.errors.length) ctx.progress(`page errors: ${session.errors.slice(0, 3).join(' | ')}`);
          } finally {
            await session.close();
          }
        }
        ctx.progress(`round ${r + 1}/${ctx.rounds}: ${collections.map((c) => `${c.id} first list ${series[c.id].firstList.at(-1).toFixed(0)} ms, all ${series[c.id].ready.at(-1).toFixed(0)} ms`).join('; ')}`);
      }
    } finally {
      for (const server of Object.values(servers)) server.stop();
    }
    const result = { generated: { count: generated.count, seed: generated.seed, bytes: generated.bytes, byCorpus: generated.byCorpus }, collections: {}, rows: [] };
    for (const c of collections) {
      const s = series[c.id];
      result.collections[c.id] = {
        label: c.label,
        articles: s.articles,
        firstListMs: summary(s.firstList),
        allListedMs: summary(s.ready),
        memoryAfterLoadMB: { jsHeap: summary(s.jsHeap), wasm: summary(s.wasm), total: summary(s.total) },
        secondVisit: { firstListMs: summary(s.warmFirstList), allListedMs: summary(s.warmReady) },
      };
      const x = result.collections[c.id];
      result.rows.push(
        { id: `${c.id}-first-list`, label: `${c.label} (${s.articles}): navigation → first list`, value: x.firstListMs, unit: 'ms' },
        { id: `${c.id}-all-listed`, label: `${c.label}: navigation → all listed`, value: x.allListedMs, unit: 'ms' },
        { id: `${c.id}-memory`, label: `${c.label}: memory after load (JS heap + WASM)`, value: x.memoryAfterLoadMB.total, unit: 'MB' },
        { id: `${c.id}-second-visit`, label: `${c.label}: second visit (saved copy) → all listed`, value: x.secondVisit.allListedMs, unit: 'ms' },
      );
    }
    return result;
  },
};
