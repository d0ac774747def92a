#!/usr/bin/env node
// Lectern's benchmark: runs the suites (bench/suites/) in one headless Chromium,
// writes bench/results/<suite>.json, prints the table of ratios and goals, and
// renders bench/results/chart.svg. Run it through `./build.sh bench`, which
// builds what it measures first. A --quick run writes into bench/results/quick/
// (ignored by git), never over the figures of record.
//
//   node bench/run.mjs [--suite a,b] [--rounds N] [--quick] [--keep-temp]
import { mkdtempSync, rmSync, writeFileSync, readFileSync, readdirSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir, cpus, loadavg, totalmem, release } from 'node:os';
import path from 'node:path';
import { SUITES } from './suites/index.mjs';
import { ROOT, RESULTS, QUICK_RESULTS, WWW } from './lib/paths.mjs';
import { startServer } from './lib/server.mjs';
import { launchBrowser } from './lib/browser.mjs';
import { printTable, markdownTable } from './lib/table.mjs';
import { renderChart } from './lib/chart.mjs';

function parseArgs(argv) {
  const args = { suites: null, rounds: null, quick: false, keepTemp: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--suite' || arg === '--suites') args.suites = argv[++i].split(',').map((s) => s.trim()).filter(Boolean);
    else if (arg === '--rounds') args.rounds = Number(argv[++i]);
    else if (arg === '--quick') args.quick = true;
    else if (arg === '--keep-temp') args.keepTemp = true;
    else if (arg === '-h' || arg === '--help') {
      console.log(`usage: node bench/run.mjs [--suite ${SUITES.map((s) => s.name).join(',')}] [--rounds N] [--quick] [--keep-temp]`);
      process.exit(0);
    } else throw new Error(`unknown argument '${arg}' (try --help)`);
  }
  if (args.rounds !== null && !(Number.isInteger(args.rounds) && args.rounds > 0)) throw new Error('--rounds takes a positive whole number');
  const known = new Set(SUITES.map((s) => s.name));
  for (const name of args.suites ?? []) if (!known.has(name)) throw new Error(`unknown suite '${name}' (known: ${[...known].join(', ')})`);
  return args;
}

function commandOutput(command, args) {
  try {
    return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

function machine(browserVersion) {
  const cpu = cpus();
  return {
    cores: cpu.length,
    cpu: cpu[0]?.model?.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    os: `${commandOutput('uname', ['-sr']) ?? release()}`,
    chromium: browserVersion,
    node: process.version,
    rustc: commandOutput('rustc', ['--version']),
    commit: commandOutput('git', ['-C', ROOT, 'rev-parse', '--short', 'HEAD']),
    dirty: Boolean(commandOutput('git', ['-C', ROOT, 'status', '--porcelain', '--untracked-files=no'])),
  };
}

const load = () => loadavg().map((x) => Math.round(x * 100) / 100);

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const suites = args.suites ? SUITES.filter((s) => args.suites.includes(s.name)) : SUITES;
  const results = args.quick ? QUICK_RESULTS : RESULTS;
  const shown = path.relative(ROOT, results);
  mkdirSync(results, { recursive: true });
  const tmp = mkdtempSync(path.join(tmpdir(), 'lectern-bench-'));
  const server = await startServer({
    '/bench/': path.join(ROOT, 'bench/pages'),
    '/pkg/': path.join(WWW, 'pkg'),
    // The shell as a site serves it (js/ importing ../pkg/), for pages that use www/js/ modules.
    '/www/': WWW,
    '/node_modules/': path.join(ROOT, 'node_modules'),
  });
  const browser = await launchBrowser();
  const info = machine(browser.version());
  const cores = info.cores;
  console.error(`benchmark: ${suites.map((s) => s.name).join(', ')} · ${cores} cores · Chromium ${info.chromium} · load ${load().join(' ')}`);
  if (load()[0] > cores * 0.75) console.error(`warning: the machine is busy (load ${load()[0]} on ${cores} cores): figures will be noisy`);

  let failed = 0;
  const cache = new Map();
  try {
    for (const suite of suites) {
      const started = Date.now();
      const loadBefore = load();
      const log = (message) => console.error(`  [${suite.name}] ${message}`);
      log(`${suite.title} (load ${loadBefore.join(' ')})`);
      const ctx = {
        browser,
        server,
        tmp,
        files: new Set(),
        quick: args.quick,
        keepTemp: args.keepTemp,
        rounds: args.rounds ?? (args.quick ? Math.min(2, suite.rounds ?? 7) : suite.rounds ?? 7),
        url: (p) => `${server.url}${p}`,
        progress: log,
        cache,
      };
      try {
        const result = await suite.run(ctx);
        const record = {
          suite: suite.name,
          title: suite.title,
          date: new Date().toISOString(),
          rounds: ctx.rounds,
          quick: args.quick,
          keepTemp: args.keepTemp,
          ...(process.env.LECTERN_WEB ? { web: WWW } : {}),
          seconds: Math.round((Date.now() - started) / 100) / 10,
          load: { before: loadBefore, after: load() },
          machine: info,
          ...result,
        };
        writeFileSync(path.join(results, `${suite.name}.json`), `${JSON.stringify(record, null, 2)}\n`);
        log(`done in ${record.seconds} s → ${shown}/${suite.name}.json`);
      } catch (error) {
        failed++;
        log(`FAILED: ${error.stack || error.message}`);
      }
    }
  } finally {
    await browser.close();
    await server.close();
    if (args.keepTemp) console.error(`temporary files kept in ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }

  // The table and the chart cover every suite's latest results (this run's and earlier ones').
  const records = readdirSync(results).filter((f) => f.endsWith('.json')).sort()
    .map((f) => JSON.parse(readFileSync(path.join(results, f), 'utf8')))
    .sort((a, b) => SUITES.findIndex((s) => s.name === a.suite) - SUITES.findIndex((s) => s.name === b.suite));
  printTable(records);
  const chart = renderChart(records);
  writeFileSync(path.join(results, 'chart.svg'), chart);
  writeFileSync(path.join(results, 'table.md'), `${markdownTable(records)}\n`);
  console.error(`chart: ${shown}/chart.svg; Markdown table (for the README): ${shown}/table.md`);
  if (failed) {
    console.error(`${failed} suite(s) failed`);
    process.exitCode = 1;
  }
}

main().catch((error) => {
  console.error(`bench: ${error.message}`);
  process.exitCode = 2;
});

