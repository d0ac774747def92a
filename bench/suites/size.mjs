// Size (issue 9): what the browser downloads — the core's .wasm and its JS glue,
// the shell's JS — raw, gzip and brotli; the goal (core .wasm ≤ 300 KB gzip);
// and a size profile of the .wasm (twiggy) grouped by crate, so what takes the
// room is measured, not guessed.
import { readFileSync, readdirSync, existsSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import path from 'node:path';
import { ROOT, WASM_WITH_NAMES } from '../lib/paths.mjs';

/** The goal: the whole core's .wasm, gzip, at most this many bytes (1 KB = 1,000 bytes). */
const WASM_GZIP_GOAL = 300_000;

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

export default {
  name: 'size',
  title: 'Size',
  rounds: 1,
  async run(ctx) {
    const pkg = path.join(ROOT, 'www/pkg');
    const wasmFile = path.join(pkg, 'lectern_bg.wasm');
    if (!existsSync(wasmFile)) throw new Error(`${wasmFile} is missing: run ./build.sh wasm`);
    const files = {
      'core .wasm (www/pkg/lectern_bg.wasm)': readFileSync(wasmFile),
      'core JS glue (www/pkg/lectern.js)': readFileSync(path.join(pkg, 'lectern.js')),
    };
    const shell = readdirSync(path.join(ROOT, 'www/js')).filter((f) => f.endsWith('.js')).sort();
    files[`shell JS (www/js/, ${shell.length} modules)`] = Buffer.concat(shell.map((f) => readFileSync(path.join(ROOT, 'www/js', f))));
    const vendor = path.join(ROOT, 'www/vendor');
    if (existsSync(vendor)) {
      const vendored = readdirSync(vendor).filter((f) => f.endsWith('.js')).sort();
      if (vendored.length) files[`vendored JS (www/vendor/: ${vendored.join(', ')})`] = Buffer.concat(vendored.map((f) => readFileSync(path.join(vendor, f))));
    }
    const peers = {
      'MiniSearch (dist/es/index.js)': 'node_modules/minisearch/dist/es/index.js',
      'FlexSearch (bundle.module.min.js)': 'node_modules/flexsearch/dist/flexsearch.bundle.module.min.mjs',
      'DOMPurify (purify.es.mjs)': 'node_modules/dompurify/dist/purify.es.mjs',
    };
    const result = { files: {}, peers: {}, goal: { wasmGzipBytes: WASM_GZIP_GOAL } };
    for (const [label, bytes] of Object.entries(files)) result.files[label] = sizes(bytes);
    for (const [label, file] of Object.entries(peers)) {
      if (existsSync(path.join(ROOT, file))) result.peers[label] = sizes(readFileSync(path.join(ROOT, file)));
    }
    const wasm = result.files['core .wasm (www/pkg/lectern_bg.wasm)'];

    // The profile: the same build through wasm-bindgen and wasm-opt, keeping the names.
    const profile = { source: null, byCrate: [], top: [] };
    if (existsSync(WASM_WITH_NAMES)) {
      const dir = path.join(ctx.tmp, 'size-profile');
      mkdirSync(dir, { recursive: true });
      execFileSync('wasm-bindgen', ['--target', 'web', '--out-dir', dir, '--out-name', 'lectern', WASM_WITH_NAMES]);
      const named = path.join(dir, 'lectern_bg.wasm');
      execFileSync(path.join(ROOT, 'node_modules/.bin/wasm-opt'), [...WASM_OPT_FLAGS, '-g', named, '-o', named]);
      const items = twiggyTop(named);
      const counted = items.filter((item) => crateOf(item.name) !== null);
      const total = counted.reduce((n, item) => n + item.shallow_size, 0);
      const byCrate = new Map();
      for (const item of counted) {
        const crate = crateOf(item.name);
        byCrate.set(crate, (byCrate.get(crate) ?? 0) + item.shallow_size);
      }
      profile.source = 'twiggy top on the release WASM after wasm-bindgen and wasm-opt -Oz -g (names kept; name sections not counted)';
      profile.totalBytes = total;
      profile.byCrate = [...byCrate].sort((a, b) => b[1] - a[1]).map(([crate, bytes]) => ({ crate, bytes, percent: Math.round((bytes / total) * 1000) / 10 }));
      profile.top = counted.slice(0, 25).map((item) => ({ name: item.name.replace(/::h[0-9a-f]{16}$/, ''), bytes: item.shallow_size }));
    } else {
      profile.source = `${WASM_WITH_NAMES} is missing: build with ./build.sh wasm for a profile`;
    }
    result.profile = profile;

    const single = (v) => ({ median: v, p25: v, p75: v, min: v, max: v, n: 1 });
    const kb = (bytes) => single(bytes / 1000);
    result.rows = [
      {
        id: 'wasm-gzip',
        label: 'core .wasm, gzip',
        value: kb(wasm.gzip),
        unit: 'KB',
        goal: { text: `≤ ${WASM_GZIP_GOAL / 1000} KB`, max: WASM_GZIP_GOAL / 1000 },
        holds: wasm.gzip <= WASM_GZIP_GOAL,
        note: `raw ${(wasm.raw / 1000).toFixed(0)} KB, brotli ${(wasm.brotli / 1000).toFixed(0)} KB`,
        chart: { label: 'core .wasm gzip: goal size / size', value: single(WASM_GZIP_GOAL / wasm.gzip), goal: 1 },
      },
      ...Object.entries(result.files).slice(1).map(([label, s]) => ({
        id: label.split(' (')[0].replace(/\W+/g, '-'),
        label: `${label.split(' (')[0]}, gzip`,
        value: kb(s.gzip),
        unit: 'KB',
        note: `raw ${(s.raw / 1000).toFixed(1)} KB, brotli ${(s.brotli / 1000).toFixed(1)} KB`,
      })),
    ];
    for (const { crate, bytes, percent } of profile.byCrate.slice(0, 12)) ctx.progress(`${crate.padEnd(44)} ${(bytes / 1000).toFixed(1).padStart(7)} KB ${percent}%`);
    return result;
  },
};
