// Size (issue 9, issue 13): what the browser downloads — each WebAssembly
// module (the reader, every page loads it; the ingest module, fetched only to
// parse; the feeds module, fetched only to read a feed) and its JS glue, the shell's JS, the vendored JS — raw, gzip and
// brotli; the goals (reader .wasm ≤ 120 KB gzip, stretch ≤ 100 KB; ingest
// .wasm ≤ 450 KB gzip); what <lectern-reader> downloads before its first list
// (the files build.sh `widget_sizes` counts); and a size profile of each
// module (twiggy) grouped by crate, so what takes the room is measured, not
// guessed.
import { readFileSync, readdirSync, existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import path from 'node:path';
import { ROOT, PKG, WWW, WASM_MODULES } from '../lib/paths.mjs';

/** The goals, gzip, in bytes (1 KB = 1,000 bytes). */
const GOALS = {
  reader: { max: 120_000, stretch: 100_000 },
  ingest: { max: 450_000 },
};

/** The flags build.sh gives wasm-opt (it exports them), used with -g so the profile can name functions. */
const WASM_OPT_FLAGS = (process.env.WASM_OPT_FLAGS ?? '-O3 --enable-bulk-memory --enable-reference-types --enable-nontrapping-float-to-int --enable-sign-ext --enable-multivalue --enable-mutable-globals').split(/\s+/).filter(Boolean);

export function sizes(bytes) {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const PRIMITIVES = /^(str|char|bool|[iu](8|16|32|64|128|size)|f(32|64)|\[.*\]|\(.*\)|&.*|\*.*)$/;

/** The crate of a Rust path (`hashbrown[5e61…]::raw::…` → hashbrown), or null. */
function pathCrate(path) {
  const match = path.trim().replace(/^(?:&|\*|mut |const |dyn )+/, '').match(/^([A-Za-z_][A-Za-z0-9_]*)(?:\[[0-9a-f]+\])?::/);
  return match ? match[1] : null;
}

/** The crate an item of twiggy's output belongs to (null for name sections, which are not shipped). */
export function crateOf(name) {
  if (/^data segment|^data\[/.test(name)) return 'data segments (.rodata: tables, strings)';
  if (/^(custom section|"[a-z ]+ names" subsection)/.test(name)) return null;
  if (/^(type|import|export|elem|table|memory|global)\[|^(table|memory|global|elem)/.test(name)) return 'wasm tables, types, imports';
  if (/shim$|^__wbg|^__wbindgen|^wbg|^[a-z][A-Za-z]*(_[a-z][A-Za-z_]*)?$/.test(name)) return 'wasm-bindgen exports (with inlined code)';
  let crate;
  const qualified = name.match(/^<(.+?) as (.+?)>::/);
  if (qualified) crate = pathCrate(qualified[1]) ?? pathCrate(qualified[2]);
  else if (name.startsWith('<')) {
    const inner = name.slice(1, name.indexOf('>') > 0 ? name.indexOf('>') : undefined);
    crate = pathCrate(inner) ?? (PRIMITIVES.test(inner) ? 'core' : null);
  } else crate = pathCrate(name);
  if (!crate) return 'other (unnamed or compiler)';
  return ['core', 'alloc', 'std'].includes(crate) ? 'Rust std (core, alloc)' : crate;
}

function twiggyTop(file) {
  const json = execFileSync('twiggy', ['top', '-n', '1000000', '-f', 'json', file], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  return JSON.parse(json);
}

/**
 * The size profile of one module: its build with names through wasm-bindgen
 * and wasm-opt (the flags build.sh uses, plus -g), read by twiggy, by crate.
 */
function profileOf(module, tmp) {
  if (!existsSync(module.withNames)) {
    return { source: `${path.relative(ROOT, module.withNames)} is missing: build with ./build.sh wasm for a profile`, byCrate: [], top: [] };
  }
  const dir = path.join(tmp, `size-profile-${module.name}`);
  mkdirSync(dir, { recursive: true });
  execFileSync('wasm-bindgen', ['--target', 'web', '--out-dir', dir, '--out-name', module.name, module.withNames]);
  const named = path.join(dir, `${module.name}_bg.wasm`);
  execFileSync(path.join(ROOT, 'node_modules/.bin/wasm-opt'), [...WASM_OPT_FLAGS, '-g', named, '-o', named]);
  const counted = twiggyTop(named).filter((item) => crateOf(item.name) !== null);
  const total = counted.reduce((n, item) => n + item.shallow_size, 0);
  const byCrate = new Map();
  for (const item of counted) {
    const crate = crateOf(item.name);
    byCrate.set(crate, (byCrate.get(crate) ?? 0) + item.shallow_size);
  }
  return {
    source: `twiggy top on ${path.relative(ROOT, module.withNames)} after wasm-bindgen and wasm-opt ${WASM_OPT_FLAGS.join(' ')} -g (names kept; name sections not counted)`,
    totalBytes: total,
    byCrate: [...byCrate].sort((a, b) => b[1] - a[1]).map(([crate, bytes]) => ({ crate, bytes, percent: Math.round((bytes / total) * 1000) / 10 })),
    top: counted.slice(0, 25).map((item) => ({ name: item.name.replace(/::h[0-9a-f]{16}$/, ''), bytes: item.shallow_size })),
  };
}

/** A bash array of build.sh (`NAME=(a b c)`), or null when it is not there. */
function buildShArray(name) {
  const text = readFileSync(path.join(ROOT, 'build.sh'), 'utf8');
  const match = text.match(new RegExp(`^${name}=\\(([^)]*)\\)`, 'm'));
  return match ? match[1].trim().split(/\s+/) : null;
}

/** The modules `entry` (www/js/) imports, itself included, following static `from './x.js'` imports. */
function staticImports(entry) {
  const seen = new Set();
  const visit = (name) => {
    if (seen.has(name)) return;
    seen.add(name);
    const text = readFileSync(path.join(WWW, 'js', `${name}.js`), 'utf8');
    for (const [, imported] of text.matchAll(/^\s*(?:import|export)\s[^'";]*?from\s+'\.\/([a-z0-9-]+)\.js'/gm)) visit(imported);
  };
  visit(entry);
  return seen;
}

/**
 * What <lectern-reader> downloads before its first list, as build.sh
 * `widget_sizes` counts it: WIDGET_MODULES, the element's three style sheets,
 * the reader glue and .wasm (not the collection's own files: the static suite
 * measures those on a built collection). Each file gzip -9 on its own, as a
 * server sends it.
 */
function widgetFirstLoad() {
  const modules = buildShArray('WIDGET_MODULES');
  if (!modules) return null;
  const files = [
    ...modules.map((m) => path.join(WWW, 'js', `${m}.js`)),
    ...['lectern-reader.css', 'theme.css', 'article-body.css'].map((f) => path.join(WWW, 'css', f)),
    path.join(PKG, 'reader.js'),
    path.join(PKG, 'reader_bg.wasm'),
  ];
  const total = { raw: 0, gzip: 0, brotli: 0 };
  for (const file of files) {
    const s = sizes(readFileSync(file));
    for (const k of Object.keys(total)) total[k] += s[k];
  }
  // The modules the element really imports (statically), against the list build.sh keeps.
  const imported = staticImports('lectern-reader');
  const missing = [...imported].filter((m) => !modules.includes(m));
  const extra = modules.filter((m) => !imported.has(m));
  return { files: files.map((f) => path.relative(ROOT, f)), ...total, importedNotListed: missing, listedNotImported: extra };
}

export default {
  name: 'size',
  title: 'Size',
  rounds: 1,
  async run(ctx) {
    const files = {};
    const wasm = {};
    for (const module of Object.values(WASM_MODULES)) {
      const wasmFile = path.join(PKG, `${module.name}_bg.wasm`);
      if (!existsSync(wasmFile)) throw new Error(`${wasmFile} is missing: run ./build.sh wasm`);
      wasm[module.name] = `${module.name} .wasm (www/pkg/${module.name}_bg.wasm)`;
      files[wasm[module.name]] = readFileSync(wasmFile);
      files[`${module.name} JS glue (www/pkg/${module.name}.js)`] = readFileSync(path.join(PKG, `${module.name}.js`));
    }
    const shell = readdirSync(path.join(WWW, 'js')).filter((f) => f.endsWith('.js')).sort();
    files[`shell JS (www/js/, ${shell.length} modules)`] = Buffer.concat(shell.map((f) => readFileSync(path.join(WWW, 'js', f))));
    const vendor = path.join(WWW, 'vendor');
    if (existsSync(vendor)) {
      const vendored = readdirSync(vendor).filter((f) => f.endsWith('.js')).sort();
      if (vendored.length) files[`vendored JS (www/vendor/: ${vendored.join(', ')})`] = Buffer.concat(vendored.map((f) => readFileSync(path.join(vendor, f))));
    }
    const peers = {
      'MiniSearch (dist/es/index.js)': 'node_modules/minisearch/dist/es/index.js',
      'FlexSearch (bundle.module.min.js)': 'node_modules/flexsearch/dist/flexsearch.bundle.module.min.mjs',
      'DOMPurify (purify.es.mjs)': 'node_modules/dompurify/dist/purify.es.mjs',
    };
    const result = {
      files: {},
      peers: {},
      goal: { readerWasmGzipBytes: GOALS.reader.max, readerWasmGzipStretchBytes: GOALS.reader.stretch, ingestWasmGzipBytes: GOALS.ingest.max },
    };
    for (const [label, bytes] of Object.entries(files)) result.files[label] = sizes(bytes);
    for (const [label, file] of Object.entries(peers)) {
      if (existsSync(path.join(ROOT, file))) result.peers[label] = sizes(readFileSync(path.join(ROOT, file)));
    }
    result.widgetFirstLoad = widgetFirstLoad();
    result.profiles = {};
    for (const module of Object.values(WASM_MODULES)) result.profiles[module.name] = profileOf(module, ctx.tmp);

    const single = (v) => ({ median: v, p25: v, p75: v, min: v, max: v, n: 1 });
    const kb = (bytes) => single(bytes / 1000);
    const note = (s) => `raw ${(s.raw / 1000).toFixed(s.raw < 100_000 ? 1 : 0)} KB, brotli ${(s.brotli / 1000).toFixed(s.brotli < 100_000 ? 1 : 0)} KB`;
    const wasmRow = (name) => {
      const s = result.files[wasm[name]];
      const goal = GOALS[name];
      if (!goal) return { id: `${name}-wasm-gzip`, label: `${name} .wasm, gzip`, value: kb(s.gzip), unit: 'KB', note: `${note(s)}; no goal (fetched only when a feed is read)` };
      const stretch = goal.stretch ? `; stretch ≤ ${goal.stretch / 1000} KB ${s.gzip <= goal.stretch ? 'holds' : 'does not hold'}` : '';
      return {
        id: `${name}-wasm-gzip`,
        label: `${name} .wasm, gzip`,
        value: kb(s.gzip),
        unit: 'KB',
        goal: { text: `≤ ${goal.max / 1000} KB${goal.stretch ? ` (stretch ≤ ${goal.stretch / 1000})` : ''}`, max: goal.max / 1000 },
        holds: s.gzip <= goal.max,
        note: `${note(s)}${stretch}`,
        chart: { label: `${name} .wasm gzip: goal size / size`, value: single(goal.max / s.gzip), goal: 1 },
      };
    };
    result.rows = Object.keys(wasm).map(wasmRow);
    for (const [label, s] of Object.entries(result.files)) {
      if (Object.values(wasm).includes(label)) continue;
      result.rows.push({
        id: label.split(' (')[0].replace(/\W+/g, '-'),
        label: `${label.split(' (')[0]}, gzip`,
        value: kb(s.gzip),
        unit: 'KB',
        note: note(s),
      });
    }
    const w = result.widgetFirstLoad;
    if (w) {
      const drift = [
        w.importedNotListed.length ? `imported but not in WIDGET_MODULES: ${w.importedNotListed.join(', ')}` : '',
        w.listedNotImported.length ? `in WIDGET_MODULES but not imported: ${w.listedNotImported.join(', ')}` : '',
      ].filter(Boolean).join('; ');
      result.rows.push({
        id: 'widget-first-load',
        label: `<lectern-reader> first load (${w.files.length} files: its modules, CSS, reader module), gzip`,
        value: kb(w.gzip),
        unit: 'KB',
        note: `as build.sh widget_sizes counts it, each file gzip on its own; raw ${(w.raw / 1000).toFixed(0)} KB, brotli ${(w.brotli / 1000).toFixed(0)} KB; the collection's files apart (static suite)${drift ? `; ${drift}` : ''}`,
      });
    }
    for (const [name, profile] of Object.entries(result.profiles)) {
      ctx.progress(`${name} .wasm by crate (${profile.totalBytes ? `${(profile.totalBytes / 1000).toFixed(0)} KB` : profile.source}):`);
      for (const { crate, bytes, percent } of profile.byCrate.slice(0, 10)) ctx.progress(`  ${crate.padEnd(44)} ${(bytes / 1000).toFixed(1).padStart(7)} KB ${percent}%`);
    }
    return result;
  },
};
