// Lectern's service worker: keeps the page, its reader module and the
// collection's files so the reading list opens offline after the first visit.
// The ingest module (js/ingest-worker.js, pkg/ingest*) is not fetched ahead:
// it is kept once a page used it (network first, like the rest).
//
// - The page and its modules: network first (so an update shows at once),
//   the cached copy when offline.
// - Article files of the collection: not kept here (the page keeps a parsed
//   copy of the collection in IndexedDB); their media are, network first.
// - Anything from another origin (article images) is left to the browser.
'use strict';

const CACHE = 'lectern-v5';
const SHELL = [
  './', 'index.html', 'manifest.webmanifest', 'favicon.svg', 'css/theme.css', 'css/reader.css', 'css/article-body.css',
  'js/app.js', 'js/article-view.js', 'js/collection.js', 'js/dom.js', 'js/feed-settings.js', 'js/html-sink.js', 'js/i18n.js',
  'js/importer.js', 'js/ingest.js', 'js/keyboard.js', 'js/library.js', 'js/list-view.js', 'js/notices.js',
  'js/reader.js', 'js/router.js', 'js/static-list.js', 'js/store.js', 'js/sw-register.js', 'js/sync.js', 'js/sync-settings.js', 'js/virtual-list.js',
  'js/worker-urls.js', 'vendor/idb.js', 'pkg/reader.js', 'pkg/reader_bg.wasm',
  // The collection's listing (when the page has one): offline, it tells the
  // page its saved copy is current.
  'collection/manifest.json',
];
const SCOPE = new URL('./', self.location.href).href;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // One at a time, each tried twice; one missing file does not stop the others being kept.
    for (const path of SHELL) {
      const url = new URL(path, SCOPE);
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          const response = await fetch(url, { cache: 'no-cache' });
          if (response.ok) await keep(cache, url, response);
          break;
        } catch {
          // Offline or refused: try once more, then leave it to the network-first path.
        }
      }
    }
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) if (name.startsWith('lectern-') && name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || !request.url.startsWith(SCOPE)) return;
  const path = request.url.slice(SCOPE.length);
  // Article files of the collection are kept by the page itself (a parsed
  // copy in IndexedDB): keeping them here too would store them twice.
  if (path.startsWith('collection/files/') && url.searchParams.has('v')) return;
  event.respondWith(networkFirst(request));
});

/** Caches a response; a full disk only means it is not kept. */
async function keep(cache, request, response) {
  try {
    await cache.put(request, response);
    return true;
  } catch {
    return false;
  }
}

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok) await keep(cache, request, response.clone());
    return response;
  } catch (error) {
    const cached = (await cache.match(request, { ignoreSearch: request.mode === 'navigate' }))
      ?? (request.mode === 'navigate' ? await cache.match(new URL('index.html', SCOPE)) : undefined);
    if (cached) return cached;
    throw error;
  }
}
