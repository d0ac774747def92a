// Where things are: the repository, the built artefacts, the peers' packages.
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BENCH = path.join(ROOT, 'bench');
export const RESULTS = path.join(BENCH, 'results');
export const LECTERN = process.env.LECTERN_BIN || path.join(ROOT, 'target/release/lectern');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const PAGEFIND = path.join(ROOT, 'node_modules/@pagefind/linux-x64/bin/pagefind_extended');
/** The WASM build before wasm-bindgen and wasm-opt, with its name section (for the size profile). */
export const WASM_WITH_NAMES = path.join(ROOT, 'target/wasm32-unknown-unknown/wasm/lectern.wasm');
