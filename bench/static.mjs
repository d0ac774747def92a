#!/usr/bin/env node
// Static collections at scale: `lectern index` against Pagefind (npm
// `pagefind`, its extended binary) on the same derived articles
// (bench/static-corpus.mjs, from ../shared/corpus, in a temporary folder).
//
// For each size (10,000 and 100,000 articles): index time and peak memory
// (/usr/bin/time -v), output size; bytes fetched in Chromium for the first
// list and for each query of a fixed set, cold (a fresh browser profile per
// query, so one-time files count) and warm (after the other queries). Lectern
// is measured through its real page (the collection's files); Pagefind through
// its own JS API loading the first 10 results' fragments (its index files and
// fragments; its JS and WASM are listed apart). Also `lectern serve` on a plain
// folder: first visit with the bundle endpoint against file by file.
// Writes bench/results/static.json and prints the ratios.
//
//   node bench/static.mjs [--sizes 10000,100000] [--keep-temp]
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, mkdirSync, writeFileSync, statSync, readdirSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { generate } from './static-corpus.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const LECTERN = process.env.LECTERN_BIN || path.join(ROOT, 'target/release/lectern');
const PAGEFIND = path.join(ROOT, 'node_modules/@pagefind/linux-x64/bin/pagefind_extended');
const QUERIES = ['release', 'rust async', 'i2p router', 'privacy', '发布', '人工智能', '苹果 手机', 'netwrok', 'שלום', 'الشبكة'];
const args = process.argv.slice(2);
const arg = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const SIZES = arg('sizes', '10000,100000').split(',').map(Number);
const keep = args.includes('--keep-temp');

/** Runs a command under /usr/bin/time -v: wall time and peak resident memory. */
function timeV(command, commandArgs) {
  const quoted = [command, ...commandArgs].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  // A build with skipped files exits 1; the figures are still in time's report.
  const log = execFileSync('/bin/sh', ['-c', `/usr/bin/time -v ${quoted} 2>&1 >/dev/null; true`], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const rss = Number(log.match(/Maximum resident set size \(kbytes\): (\d+)/)?.[1] ?? 0) * 1024;
  const clock = (log.match(/Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)/)?.[1] ?? '0').split(':').map(Number);
  const seconds = clock.reduce((total, part) => total * 60 + part, 0);
  return { seconds, peakRssBytes: rss };
}

function folderBytes(dir) {
  let files = 0;
  let bytes = 0;
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        files++;
        bytes += statSync(full).size;
      }
    }
  };
  walk(dir);
  return { files, bytes };
}

const escape = (s) => String(s ?? '').replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/** Renders every article as an HTML page for Pagefind (title, categories, author, body HTML). */
async function renderPages(source, site) {
  mkdirSync(site, { recursive: true });
  const child = spawn(LECTERN, ['parse', source], { stdio: ['ignore', 'pipe', 'ignore'] });
  const lines = readline.createInterface({ input: child.stdout });
  let n = 0;
  for await (const line of lines) {
    const a = JSON.parse(line);
    if (a.error) continue;
    const folder = path.join(site, `p${Math.floor(n / 1000)}`);
    if (n % 1000 === 0) mkdirSync(folder, { recursive: true });
    writeFileSync(path.join(folder, `${n % 1000}.html`), `<!doctype html><html lang="${escape(a.lang || 'en')}"><head><meta charset="utf-8"><title>${escape(a.title)}</title></head>`
      + `<body><main data-pagefind-body><h1>${escape(a.title)}</h1><p>${escape((a.categories ?? []).join(' · '))}</p><p>${escape(a.author)}</p>${a.html}</main></body></html>\n`);
    n++;
  }
  return n;
}

function staticServer(dir) {
  return new Promise((resolve, reject) => {
    const child = spawn('python3', ['-m', 'http.server', '0', '--bind', '127.0.0.1', '--directory', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(/port (\d+)/);
      if (match) resolve({ url: `http://127.0.0.1:${match[1]}/`, stop: () => child.kill() });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => reject(new Error(`http.server exited ${code}: ${output}`)));
  });
}

/** Counts response bytes (as sent) of requests whose path matches `pattern`. */
function counter(page, pattern) {
  const seen = [];
  page.on('requestfinished', async (request) => {
    const url = new URL(request.url());
    if (!pattern.test(url.pathname)) return;
    try {
      const response = await request.response();
      const length = Number((await response?.allHeaders())?.['content-length']);
      seen.push({ path: url.pathname, bytes: Number.isFinite(length) ? length : 0 });
    } catch {
      // The page closed meanwhile: the request belonged to a finished measurement.
    }
  });
  return {
    take() {
      const out = seen.splice(0);
      return { files: out.length, bytes: out.reduce((s, f) => s + f.bytes, 0), paths: out.map((f) => f.path) };
    },
  };
}

async function settle(page) {
  await page.waitForLoadState('networkidle').catch(() => {});
  await page.waitForTimeout(300);
}

async function lecternQuery(page, query) {
  const before = await page.textContent('#result-count');
  await page.fill('#search', query);
  await page.waitForFunction((text) => document.querySelector('#result-count').textContent !== text, before, { timeout: 120_000 }).catch(() => {});
  await settle(page);
}

async function measureLectern(browser, url) {
  const out = { firstList: null, cold: {}, warm: {} };
  {
    const context = await browser.newContext();
    await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
    const page = await context.newPage();
    const count = counter(page, /\/collection\//);
    await page.goto(url);
    await page.waitForSelector('#list .item .item-link', { timeout: 120_000 });
    await settle(page);
    out.firstList = count.take();
    for (const query of QUERIES) {
      await lecternQuery(page, query);
      out.warm[query] = count.take();
    }
    await context.close();
  }
  for (const query of QUERIES) {
    const context = await browser.newContext();
    await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForSelector('#list .item .item-link', { timeout: 120_000 });
    await settle(page);
    const count = counter(page, /\/collection\//);
    await lecternQuery(page, query);
    out.cold[query] = count.take();
    await context.close();
  }
  return out;
}

async function pagefindQuery(page, query) {
  return page.evaluate(async (q) => {
    const pagefind = await import('/pagefind/pagefind.js');
    await pagefind.init();
    const search = await pagefind.search(q);
    await Promise.all(search.results.slice(0, 10).map((r) => r.data()));
    return search.results.length;
  }, query);
}

async function measurePagefind(browser, url) {
  const out = { cold: {}, warm: {}, results: {} };
  const engineFiles = /pagefind(-entry\.json|\.js|.*\.wasm|-highlight\.js|-ui\.js)/;
  const split = (taken) => {
    const engine = taken.paths.filter((p) => engineFiles.test(p));
    return { ...taken, engineFiles: engine.length };
  };
  {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${url}blank.html`);
    const count = counter(page, /\/pagefind\//);
    for (const query of QUERIES) {
      out.results[query] = await pagefindQuery(page, query);
      await settle(page);
      out.warm[query] = split(count.take());
    }
    await context.close();
  }
  for (const query of QUERIES) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${url}blank.html`);
    const count = counter(page, /\/pagefind\//);
    await pagefindQuery(page, query);
    await settle(page);
    out.cold[query] = split(count.take());
    await context.close();
  }
  return out;
}

/** Bytes of Pagefind's JS and WASM (the same for any site) within a set of paths. */
function pagefindEngineBytes(site) {
  const dir = path.join(site, 'pagefind');
  return readdirSync(dir).filter((f) => /\.(js|wasm\..*|pf_meta)$/.test(f) && !f.endsWith('.pf_meta')).reduce((s, f) => s + statSync(path.join(dir, f)).size, 0);
}

async function bundleFirstVisit(browser, source) {
  const server = await new Promise((resolve, reject) => {
    const child = spawn(LECTERN, ['serve', source, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = output.match(/Open (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (match) resolve({ url: match[1], stop: () => child.kill('SIGINT') });
    });
    child.on('exit', (code) => reject(new Error(`lectern serve exited ${code}`)));
  });
  const visit = async (withBundle) => {
    const context = await browser.newContext();
    await context.route(/^https?:\/\/(?!127\.0\.0\.1)/, (route) => route.abort());
    if (!withBundle) await context.route(/\/collection\/bundle$/, (route) => route.fulfill({ status: 404, body: '' }));
    const page = await context.newPage();
    const started = Date.now();
    await page.goto(server.url);
    await page.waitForSelector('html[data-ready="true"]', { state: 'attached', timeout: 900_000 });
    const ms = Date.now() - started;
    await context.close();
    return ms;
  };
  try {
    return { bundleMs: await visit(true), fileByFileMs: await visit(false) };
  } finally {
    server.stop();
  }
}

async function main() {
  const tmp = mkdtempSync(path.join(tmpdir(), 'lectern-static-bench-'));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  const results = { machine: { cores: cpus().length, cpu: cpus()[0]?.model }, queries: QUERIES, sizes: [] };
  try {
    for (const size of SIZES) {
      const source = path.join(tmp, `articles-${size}`);
      const generated = generate({ count: size, seed: 1, out: source });
      const site = path.join(tmp, `lectern-${size}`);
      console.error(`${size}: lectern index…`);
      const index = timeV(LECTERN, ['index', source, '-o', site]);
      const collection = folderBytes(path.join(site, 'collection'));
      const pfSite = path.join(tmp, `pagefind-${size}`);
      console.error(`${size}: rendering pages for Pagefind…`);
      const pages = await renderPages(source, pfSite);
      writeFileSync(path.join(pfSite, 'blank.html'), '<!doctype html><title>pagefind bench</title>\n');
      console.error(`${size}: pagefind…`);
      const pf = timeV(PAGEFIND, ['--site', pfSite, '--output-subdir', 'pagefind', '--force-language', 'zh', '--quiet']);
      const pfBundle = folderBytes(path.join(pfSite, 'pagefind'));
      console.error(`${size}: measuring fetches in Chromium…`);
      const [lecternServer, pagefindServer] = await Promise.all([staticServer(site), staticServer(pfSite)]);
      let lectern;
      let pagefind;
      try {
        lectern = await measureLectern(browser, lecternServer.url);
        pagefind = await measurePagefind(browser, pagefindServer.url);
      } finally {
        lecternServer.stop();
        pagefindServer.stop();
      }
      const entry = {
        articles: size, sourceBytes: generated.bytes,
        lectern: { indexSeconds: index.seconds, peakRssBytes: index.peakRssBytes, collectionBytes: collection.bytes, collectionFiles: collection.files, ...lectern },
        pagefind: { pages, indexSeconds: pf.seconds, peakRssBytes: pf.peakRssBytes, bundleBytes: pfBundle.bytes, bundleFiles: pfBundle.files, engineBytes: pagefindEngineBytes(pfSite), ...pagefind },
      };
      entry.ratios = Object.fromEntries(QUERIES.map((q) => [q, {
        cold: Math.round((lectern.cold[q].bytes / Math.max(1, pagefind.cold[q].bytes)) * 1000) / 1000,
        warm: Math.round((lectern.warm[q].bytes / Math.max(1, pagefind.warm[q].bytes)) * 1000) / 1000,
      }]));
      if (size <= 20_000) entry.bundle = await bundleFirstVisit(browser, source);
      results.sizes.push(entry);
      print(entry);
      if (!keep) for (const dir of [source, site, pfSite]) rmSync(dir, { recursive: true, force: true });
    }
  } finally {
    await browser.close();
    if (!keep) rmSync(tmp, { recursive: true, force: true });
  }
  mkdirSync(path.join(ROOT, 'bench/results'), { recursive: true });
  writeFileSync(path.join(ROOT, 'bench/results/static.json'), `${JSON.stringify(results, null, 1)}\n`);
  console.error('wrote bench/results/static.json');
}

const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
const mib = (b) => `${(b / 1048576).toFixed(1)} MiB`;

function print(e) {
  const l = e.lectern;
  const p = e.pagefind;
  console.log(`\n${e.articles} articles (${mib(e.sourceBytes)} of sources)`);
  console.log(`  index:  lectern ${l.indexSeconds.toFixed(1)} s, peak ${mib(l.peakRssBytes)}, ${mib(l.collectionBytes)} in ${l.collectionFiles} files`);
  console.log(`          pagefind ${p.indexSeconds.toFixed(1)} s, peak ${mib(p.peakRssBytes)}, ${mib(p.bundleBytes)} in ${p.bundleFiles} files`);
  console.log(`  first list (lectern): ${kb(l.firstList.bytes)} in ${l.firstList.files} files`);
  console.log('  query                 lectern cold / warm        pagefind cold / warm       ratio cold / warm');
  for (const q of QUERIES) {
    console.log(`  ${q.padEnd(20)}  ${kb(l.cold[q].bytes).padStart(10)} / ${kb(l.warm[q].bytes).padStart(10)}   ${kb(p.cold[q].bytes).padStart(10)} / ${kb(p.warm[q].bytes).padStart(10)}   ${e.ratios[q].cold} / ${e.ratios[q].warm}`);
  }
  if (e.bundle) console.log(`  lectern serve (folder), first visit: ${(e.bundle.bundleMs / 1000).toFixed(1)} s with the bundle, ${(e.bundle.fileByFileMs / 1000).toFixed(1)} s file by file`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
