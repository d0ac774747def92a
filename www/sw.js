// Lectern's service worker: keeps the page, its WASM and the collection's
// files so the reading list opens offline after the first visit.
//
// - The page and its modules: network first (so an update shows at once),
//   the cached copy when offline.
// - Collection files, whose URLs carry their modification time (?v=...):
//   cache first, as such a URL always means the same bytes.
// - Anything from another origin (article images) is left to the browser.
'use strict';

const CACHE = 'lectern-v1';
const SHELL = [
  './', 'index.html', 'manifest.webmanifest', 'favicon.svg', 'css/reader.css',
  'js/app.js', 'js/article-view.js', 'js/collection.js', 'js/core.js', 'js/dom.js', 'js/html-sink.js',
  'js/i18n.js', 'js/importer.js', 'js/keyboard.js', 'js/library.js', 'js/list-view.js', 'js/notices.js',
  'js/router.js', 'js/store.js', 'js/sw-register.js', 'js/virtual-list.js',
  'vendor/idb.js', 'pkg/lectern.js', 'pkg/lectern_bg.wasm',
];
const SCOPE = new URL('./', self.location.href).href;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // One by one, so one missing file does not stop the others being kept.
    await Promise.all(SHELL.map(async (path) => {
      try {
        const response = await fetch(new Request(new URL(path, SCOPE), { cache: 'no-cache' }));
        if (response.ok) await keep(cache, new URL(path, SCOPE), response);
      } catch {
        // Offline during install: the network-first path fills the cache later.
      }
    }));
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
  if (path.startsWith('collection/files/') && url.searchParams.has('v')) {
    event.respondWith(cacheFirst(request));
  } else if (path.startsWith('collection/manifest.json')) {
    event.respondWith(networkFirst(request, pruneCollection));
  } else {
    event.respondWith(networkFirst(request));
  }
});

async function cacheFirst(request) {
  const cache = await caches.open(CACHE);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await keep(cache, request, response.clone());
  return response;
}

/** Caches a response; a full disk only means it is not kept. */
async function keep(cache, request, response) {
  try {
    await cache.put(request, response);
    return true;
  } catch {
    return false;
  }
}

async function networkFirst(request, onFresh) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (response.ok && (await keep(cache, request, response.clone())) && onFresh) onFresh(response.clone(), cache);
    return response;
  } catch (error) {
    const cached = (await cache.match(request, { ignoreSearch: request.mode === 'navigate' }))
      ?? (request.mode === 'navigate' ? await cache.match(new URL('index.html', SCOPE)) : undefined);
    if (cached) return cached;
    throw error;
  }
}

/** Drops cached collection files that the fresh manifest no longer lists (or lists with a new version). */
async function pruneCollection(response, cache) {
  try {
    const manifest = await response.json();
    const keep = new Set(manifest.files.map((f) => {
      const url = new URL(`collection/files/${f.path.split('/').map(encodeURIComponent).join('/')}`, SCOPE);
      url.searchParams.set('v', String(f.modified));
      return url.href;
    }));
    for (const request of await cache.keys()) {
      if (request.url.startsWith(`${SCOPE}collection/files/`) && !keep.has(request.url)) await cache.delete(request);
    }
  } catch {
    // A manifest that cannot be read prunes nothing.
  }
}
