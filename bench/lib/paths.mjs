// Where things are: the repository, the built artefacts, the peers' packages.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BENCH = path.join(ROOT, 'bench');
export const RESULTS = path.join(BENCH, 'results');
/** Where a --quick run writes its results (ignored by git): never over the figures of record. */
export const QUICK_RESULTS = path.join(RESULTS, 'quick');
/** The web page measured: www/, or LECTERN_WEB (as `lectern serve` and `lectern index` take it too). */
export const WWW = process.env.LECTERN_WEB ? path.resolve(process.env.LECTERN_WEB) : path.join(ROOT, 'www');
export const PKG = path.join(WWW, 'pkg');
export const LECTERN = process.env.LECTERN_BIN || path.join(ROOT, 'target/release/lectern');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const PAGEFIND = path.join(ROOT, 'node_modules/@pagefind/linux-x64/bin/pagefind_extended');

/**
 * The two WebAssembly modules (build.sh `build_wasm`): `name` is their file
 * name in www/pkg/ (`<name>.js`, `<name>_bg.wasm`); `withNames` the build
 * before wasm-bindgen and wasm-opt, with its name section (for the size
 * profile).
 */
export const WASM_MODULES = {
  reader: {
    name: 'reader',
    withNames: path.join(ROOT, 'target/wasm32-unknown-unknown/wasm/lectern_wasm_reader.wasm'),
  },
  ingest: {
    name: 'ingest',
    withNames: path.join(ROOT, 'target/wasm32-unknown-unknown/wasm/lectern_wasm_ingest.wasm'),
  },
  feeds: {
    name: 'feeds',
    withNames: path.join(ROOT, 'target/wasm32-unknown-unknown/wasm/lectern_wasm_feeds.wasm'),
  },
};
