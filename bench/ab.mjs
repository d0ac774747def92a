#!/usr/bin/env node
// A/B of two WASM builds (a www/pkg/ folder each: reader.js, reader_bg.wasm,
// ingest.js, ingest_bg.wasm), for judging a change on a busy machine:
// sanitise throughput on the three HTML sets (the ingest module's sanitize)
// and ingest throughput (the ingest module's parseArticles, then the reader
// module's Library.addArticles; each also apart: 'parse', 'add'),
// interleaved A B B A ..., in Node (the same V8 as Chromium),
// timed in CPU time of this process (process.cpuUsage), which other work on the
// machine disturbs far less than wall time. The benchmark itself (run.mjs) runs
// in Chromium and reports wall time.
//
//   cp -r www/pkg /tmp/pkg-before   # before the change
//   ./build.sh wasm                 # after it
//   node bench/ab.mjs /tmp/pkg-before www/pkg [--rounds 7]
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { sanitizeSets } from './lib/corpus.mjs';
import { benchArticles } from './lib/dataset.mjs';
import { summary, formatSpread } from './lib/stats.mjs';

const args = process.argv.slice(2);
const roundsAt = args.indexOf('--rounds');
const rounds = roundsAt >= 0 ? Number(args[roundsAt + 1]) : 7;
const [a, b] = args.filter((x, i) => !x.startsWith('--') && i !== roundsAt + 1);
if (!a || !b) {
  console.error('usage: node bench/ab.mjs PKG_A PKG_B [--rounds N]');
  process.exit(2);
}

/** One build's two modules, initialised: `{ reader, ingest }`. */
async function load(pkg) {
  const dir = path.resolve(pkg);
  const out = {};
  for (const name of ['reader', 'ingest']) {
    // A query string gives each build its own module instance.
    const module = await import(`${pathToFileURL(path.join(dir, `${name}.js`)).href}?${encodeURIComponent(dir)}`);
    module.initSync({ module: readFileSync(path.join(dir, `${name}_bg.wasm`)) });
    out[name] = module;
  }
  return out;
}

const cpuMs = (run) => {
  const before = process.cpuUsage();
  run();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
};

const builds = [await load(a), await load(b)];
const sets = sanitizeSets();
const { files } = await benchArticles();
const results = { ...Object.fromEntries(sets.map((s) => [s.id, [[], []]])), ingest: [[], []], parse: [[], []], add: [[], []] };
for (let r = -1; r < rounds; r++) {
  for (const which of r % 2 === 0 ? [0, 1] : [1, 0]) {
    const { reader, ingest } = builds[which];
    for (const set of sets) {
      const passes = set.id === 'source' ? 1 : set.id === 'expected' ? 3 : 10;
      const ms = cpuMs(() => {
        for (let p = 0; p < passes; p++) for (const html of set.items) ingest.sanitize(html);
      });
      if (r >= 0) results[set.id][which].push((set.bytes * passes) / 1e6 / (ms / 1000));
    }
    const library = new reader.Library();
    let parseMs = 0;
    let addMs = 0;
    for (let i = 0; i < files.length; i += 512) {
      let articles;
      parseMs += cpuMs(() => {
        articles = ingest.parseArticles(files.slice(i, i + 512)).filter((item) => item.error === undefined);
      });
      addMs += cpuMs(() => library.addArticles(articles));
    }
    library.free();
    if (r >= 0) {
      results.ingest[which].push(files.length / ((parseMs + addMs) / 1000));
      results.parse[which].push(files.length / (parseMs / 1000));
      results.add[which].push(files.length / (addMs / 1000));
    }
  }
  if (r >= 0) console.error(`round ${r + 1}/${rounds}`);
}
for (const [label, [x, y]] of Object.entries(results)) {
  const unit = ['ingest', 'parse', 'add'].includes(label) ? 'articles/s' : 'MB/s';
  const ratio = summary(y.map((v, i) => v / x[i]));
  console.log(`${label.padEnd(10)} A ${formatSpread(summary(x))} ${unit}   B ${formatSpread(summary(y))} ${unit}   B/A ${formatSpread(ratio, 3, '×')}`);
}
