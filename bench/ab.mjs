#!/usr/bin/env node
// A/B of two WASM builds of the core, for judging a change on a busy machine:
// sanitise throughput on the three HTML sets and ingest throughput
// (Library.addFiles), interleaved A B B A ..., in Node (the same V8 as Chromium),
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

async function load(pkg) {
  const dir = path.resolve(pkg);
  // A query string gives each build its own module instance.
  const module = await import(`${pathToFileURL(path.join(dir, 'lectern.js')).href}?${encodeURIComponent(dir)}`);
  module.initSync({ module: readFileSync(path.join(dir, 'lectern_bg.wasm')) });
  return module;
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
const results = { ...Object.fromEntries(sets.map((s) => [s.id, [[], []]])), ingest: [[], []] };
for (let r = -1; r < rounds; r++) {
  for (const which of r % 2 === 0 ? [0, 1] : [1, 0]) {
    const core = builds[which];
    for (const set of sets) {
      const passes = set.id === 'source' ? 1 : set.id === 'expected' ? 3 : 10;
      const ms = cpuMs(() => {
        for (let p = 0; p < passes; p++) for (const html of set.items) core.sanitize(html);
      });
      if (r >= 0) results[set.id][which].push((set.bytes * passes) / 1e6 / (ms / 1000));
    }
    let library;
    const ms = cpuMs(() => {
      library = new core.Library();
      for (let i = 0; i < files.length; i += 512) library.addFiles(files.slice(i, i + 512));
    });
    library.free();
    if (r >= 0) results.ingest[which].push(files.length / (ms / 1000));
  }
  if (r >= 0) console.error(`round ${r + 1}/${rounds}`);
}
for (const [label, [x, y]] of Object.entries(results)) {
  const unit = label === 'ingest' ? 'articles/s' : 'MB/s';
  const ratio = summary(y.map((v, i) => v / x[i]));
  console.log(`${label.padEnd(10)} A ${formatSpread(summary(x))} ${unit}   B ${formatSpread(summary(y))} ${unit}   B/A ${formatSpread(ratio, 3, '×')}`);
}
