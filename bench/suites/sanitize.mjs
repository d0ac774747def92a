// Sanitise throughput (issue 9): Lectern's WASM `sanitize` (the ingest
// module's: the one that sanitises, in the page's worker) against DOMPurify,
// `Element.setHTML` + serialise, a bare `<template>` parse + serialise, and the
// native CLI, on three sets of real HTML, interleaved round by round.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { sanitizeSets } from '../lib/corpus.mjs';
import { modulePage } from '../lib/browser.mjs';
import { runLectern } from '../lib/native.mjs';
import { summary, rotate, round } from '../lib/stats.mjs';

const PEERS = [
  { id: 'dompurify', label: 'DOMPurify', goal: 10 },
  { id: 'sethtml', label: 'setHTML + serialise', goal: 3 },
  { id: 'template', label: '<template> parse + serialise', goal: 1.5 },
  { id: 'native', label: 'native CLI', goal: 0.8 },
];
/** The set on which the goals are set. */
const GOAL_SET = 'rsshub';

export default {
  name: 'sanitize',
  title: 'Sanitise throughput',
  async run(ctx) {
    const sets = sanitizeSets();
    ctx.server.put('/data/sanitize.json', JSON.stringify(Object.fromEntries(sets.map((s) => [s.id, s.items]))));
    const session = await modulePage(ctx.browser, ctx.url('/bench/blank.html'), '/bench/sanitize.js');
    try {
      const { page } = session;
      const inPage = await page.evaluate((url) => window.bench.setup(url), '/data/sanitize.json');
      const probe = await page.evaluate(() => window.bench.check());
      for (const [name, out] of Object.entries(probe)) {
        if (name !== 'template' && (/<script|onclick/i.test(out) || !/referrerpolicy="no-referrer"/.test(out))) {
          throw new Error(`contender ${name} is not configured as claimed: ${out}`);
        }
      }
      const contenders = [...inPage, 'native'];
      const target = ctx.quick ? 150 : 400;

      // Native input: each set as a JSON array, repeated to run about as long as the others.
      const nativeRun = async (set, passes) => {
        const file = path.join(ctx.tmp, `sanitize-${set.id}-${passes}.json`);
        if (!ctx.files.has(file)) {
          writeFileSync(file, JSON.stringify(Array.from({ length: passes }, () => set.items).flat()));
          ctx.files.add(file);
        }
        const { stderr, code } = await runLectern(['sanitize', '--json', '--stats'], { inputFile: file, keepStdout: false });
        const line = stderr.trim().split('\n').pop();
        if (code !== 0) throw new Error(`lectern sanitize --json --stats failed (${code}): ${stderr}`);
        const stats = JSON.parse(line);
        return { ms: stats.seconds * 1000, bytes: stats.bytes };
      };
      const measure = async (contender, set, passes) => {
        if (contender === 'native') return (await nativeRun(set, passes)).ms;
        return (await page.evaluate(([c, s, p]) => window.bench.run(c, s, p), [contender, set.id, passes])).ms;
      };

      // Warm up once, and choose each contender's passes so one measurement lasts about `target` ms.
      const passes = {};
      for (const set of sets) {
        passes[set.id] = {};
        for (const contender of contenders) {
          await measure(contender, set, 1);
          const ms = await measure(contender, set, 1);
          passes[set.id][contender] = Math.max(1, Math.min(200, Math.ceil(target / Math.max(ms, 0.05))));
        }
      }

      const mbps = Object.fromEntries(sets.map((s) => [s.id, Object.fromEntries(contenders.map((c) => [c, []]))]));
      for (let r = 0; r < ctx.rounds; r++) {
        for (const set of sets) {
          for (const contender of rotate(contenders, r)) {
            const p = passes[set.id][contender];
            const ms = await measure(contender, set, p);
            mbps[set.id][contender].push((set.bytes * p) / 1e6 / (ms / 1000));
          }
        }
        ctx.progress(`round ${r + 1}/${ctx.rounds}: ${sets.map((s) => `${s.id} lectern ${mbps[s.id].lectern.at(-1).toFixed(1)} MB/s`).join(', ')}`);
      }

      const result = { sets: {}, rows: [] };
      for (const set of sets) {
        const m = mbps[set.id];
        result.sets[set.id] = {
          label: set.label,
          documents: set.items.length,
          bytes: set.bytes,
          passes: passes[set.id],
          mbPerSecond: Object.fromEntries(contenders.map((c) => [c, summary(m[c])])),
          perRound: Object.fromEntries(contenders.map((c) => [c, m[c].map(round)])),
          ratios: Object.fromEntries(PEERS.map((p) => [p.id, summary(m.lectern.map((x, i) => x / m[p.id][i]))])),
        };
        for (const peer of PEERS) {
          const ratio = result.sets[set.id].ratios[peer.id];
          const goal = set.id === GOAL_SET ? peer.goal : null;
          result.rows.push({
            id: `${set.id}-${peer.id}`,
            label: `${set.id}: Lectern WASM / ${peer.label}`,
            value: ratio,
            unit: '×',
            goal: goal && { text: `≥ ${goal}×`, min: goal },
            holds: goal ? ratio.median >= goal : null,
            chart: set.id === GOAL_SET,
          });
        }
        result.rows.push({
          id: `${set.id}-lectern-mbps`,
          label: `${set.id}: Lectern WASM throughput (${set.items.length} docs, ${(set.bytes / 1e6).toFixed(2)} MB)`,
          value: result.sets[set.id].mbPerSecond.lectern,
          unit: 'MB/s',
        });
      }
      return result;
    } finally {
      await session.close();
    }
  },
};
