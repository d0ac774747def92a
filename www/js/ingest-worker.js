// The ingest worker's script: loads the ingest WebAssembly module
// (pkg/ingest.js, built from crates/wasm-ingest) and hands the worker to it.
// From then on the module answers the page's requests itself (see
// crates/wasm-ingest/src/worker.rs for the messages; ingest.js is the page's
// side). If the module cannot start, the page is told why.
//
// Feed documents are the one request this script answers itself, with the
// feeds module (pkg/feeds.js, crates/wasm-feeds), loaded on the first one:
//   { type: 'readFeed', id, bytes, address, options }  → { type: 'feedRead', id, feed }
//   { type: 'writeOpml', id, title, subscriptions }   → { type: 'opmlWritten', id, text }
// Its listener comes before the module's and keeps these messages to itself.
import init, { runWorker } from '../pkg/ingest.js';

let feeds = null;

/** The feeds module (once; again after a failed try). */
function loadFeeds() {
  feeds ??= import('../pkg/feeds.js')
    .then(async (module) => {
      await module.default({ module_or_path: new URL('../pkg/feeds_bg.wasm', import.meta.url) });
      return module;
    })
    .catch((error) => {
      feeds = null;
      throw new Error(`the feeds module could not start: ${error.message}`);
    });
  return feeds;
}

const FEED_REQUESTS = {
  readFeed: async (module, { bytes, address, options }) => ({ type: 'feedRead', feed: module.readFeed(new Uint8Array(bytes), address, options) }),
  writeOpml: async (module, { title, subscriptions }) => ({ type: 'opmlWritten', text: module.writeOpml(title, subscriptions) }),
};

self.addEventListener('message', async (event) => {
  const request = event.data;
  const handler = FEED_REQUESTS[request?.type];
  if (!handler) return;
  event.stopImmediatePropagation();
  try {
    const reply = await handler(await loadFeeds(), request);
    self.postMessage({ ...reply, id: request.id });
  } catch (error) {
    self.postMessage({ type: 'failed', id: request.id, error: String(error?.message ?? error) });
  }
});

try {
  await init({ module_or_path: new URL('../pkg/ingest_bg.wasm', import.meta.url) });
  runWorker();
} catch (error) {
  self.postMessage({ type: 'failed', id: null, error: String(error?.message ?? error) });
}
