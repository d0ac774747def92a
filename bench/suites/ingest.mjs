// Ingest throughput (issue 9): articles per second through Lectern's whole
// pipeline in WASM, as the page runs it with its two modules: the ingest
// module's `parseArticles` (front matter, sanitising, text, metadata) then the
// reader module's `Library.addArticles` (the index), batch by batch, both on
// the page's main thread (no worker, no copy between threads), against
// MiniSearch's and FlexSearch's index build alone on the plain text Lectern
// extracted from the same files. One page holds the three; each round builds
// each once, in a rotating order. Lectern's time is also split between its
// two calls.
import { modulePage, measureMemory } from '../lib/browser.mjs';
import { serveBenchArticles } from '../lib/dataset.mjs';
import { summary, rotate, round } from '../lib/stats.mjs';

const ENGINES = ['lectern', 'minisearch', 'flexsearch'];
const LABELS = { minisearch: 'MiniSearch', flexsearch: 'FlexSearch (default)' };
const GOALS = { minisearch: 3 };

export default {
  name: 'ingest',
  title: 'Ingest throughput',
  rounds: 7,
  async run(ctx) {
    const data = await serveBenchArticles(ctx);
    const session = await modulePage(ctx.browser, ctx.url('/bench/blank.html'), '/bench/engines.js');
    try {
      const { page } = session;
      const counts = await page.evaluate(() => window.bench.setup({ filesUrl: '/data/files.json', docsUrl: '/data/docs.json' }));
      const n = counts.files;
      const parts = { parseMs: [], addMs: [] };
      const build = async (engine, timed = true) => {
        const out = await page.evaluate((e) => {
          const result = window.bench.build(e);
          window.bench.drop();
          return result;
        }, engine);
        await measureMemory(session.cdp); // a full collection between builds
        if (engine === 'lectern' && timed) {
          parts.parseMs.push(out.parseMs);
          parts.addMs.push(out.addMs);
        }
        return out.ms;
      };
      for (const engine of ENGINES) await build(engine, false); // warm-up
      const perSecond = Object.fromEntries(ENGINES.map((e) => [e, []]));
      for (let r = 0; r < ctx.rounds; r++) {
        for (const engine of rotate(ENGINES, r)) perSecond[engine].push(n / ((await build(engine)) / 1000));
        ctx.progress(`round ${r + 1}/${ctx.rounds}: ${ENGINES.map((e) => `${e} ${perSecond[e].at(-1).toFixed(0)}/s`).join(', ')}`);
      }
      const bytes = data.files.reduce((s, f) => s + Buffer.byteLength(f.text), 0);
      const plain = data.docs.reduce((s, d) => s + Buffer.byteLength(d.text), 0);
      const result = {
        articles: n,
        skipped: data.skipped,
        fileBytes: bytes,
        plainTextBytes: plain,
        articlesPerSecond: Object.fromEntries(ENGINES.map((e) => [e, summary(perSecond[e])])),
        perRound: Object.fromEntries(ENGINES.map((e) => [e, perSecond[e].map(round)])),
        lecternSplitMs: { parseArticles: summary(parts.parseMs), addArticles: summary(parts.addMs) },
        settings: {
          lectern: 'batches of 512 files: ingest parseArticles(batch), then reader Library.addArticles(the articles it gave), in the page (main thread)',
          peers: 'index build alone on the plain text of the same articles (title, categories, author, text)',
        },
        rows: [],
      };
      const parseShare = summary(parts.parseMs.map((p, i) => p / (p + parts.addMs[i])));
      result.rows.push({
        id: 'lectern-articles-per-second',
        label: `Lectern WASM: articles/s (${n} files, ${(bytes / 1e6).toFixed(1)} MB, parse + sanitise + index: parseArticles + addArticles)`,
        value: result.articlesPerSecond.lectern,
        unit: 'articles/s',
        note: `parseArticles (ingest module) ${Math.round(parseShare.median * 100)} % of the time, addArticles (reader module) the rest`,
      });
      for (const peer of ENGINES.slice(1)) {
        const ratio = summary(perSecond.lectern.map((x, i) => x / perSecond[peer][i]));
        const goal = GOALS[peer];
        result.rows.push({
          id: `lectern-${peer}`,
          label: `Lectern (whole pipeline) / ${LABELS[peer]} (index build alone)`,
          value: ratio,
          unit: '×',
          goal: goal && { text: `≥ ${goal}×`, min: goal },
          holds: goal ? ratio.median >= goal : null,
          chart: true,
        });
      }
      return result;
    } finally {
      await session.close();
    }
  },
};
