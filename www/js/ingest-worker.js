// The ingest worker's script: loads the ingest WebAssembly module
// (pkg/ingest.js, built from crates/wasm-ingest) and hands the worker to it.
// From then on the module answers the page's requests itself (see
// crates/wasm-ingest/src/worker.rs for the messages; ingest.js is the page's
// side). If the module cannot start, the page is told why.
import init, { runWorker } from '../pkg/ingest.js';

try {
  await init({ module_or_path: new URL('../pkg/ingest_bg.wasm', import.meta.url) });
  runWorker();
} catch (error) {
  self.postMessage({ type: 'failed', id: null, error: String(error?.message ?? error) });
}
