// Loading the collection next to the page. collection/manifest.json is either
// a static collection ("lectern-collection", built by `lectern index` or
// served by `lectern serve`: the page fetches only the pieces it shows or a
// search needs, see StaticSource) or the listing of a plain folder of article
// files on a static host ("lectern-files", `./build.sh dist`: each file is
// fetched from collection/files/<path> and parsed by the ingest module).

const MANIFEST = 'collection/manifest.json';
const CONCURRENCY = 6;
const BATCH = 100;

/**
 * The URL of a collection file, each path segment encoded. `version` (the
 * file's modification time) makes the URL change when the file does, so the
 * service worker can keep files without asking the server again.
 */
export function fileUrl(path, baseUrl = document.baseURI, version = undefined) {
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  const url = new URL(`collection/files/${encoded}`, baseUrl);
  if (version !== undefined) url.searchParams.set('v', String(version));
  return url.href;
}

/**
 * Fetches and checks the manifest; null when there is no collection at `baseUrl` (404).
 * @param {string} [baseUrl] the folder holding `collection/` (default: the page's)
 */
export async function fetchManifest(baseUrl = document.baseURI) {
  const response = await fetch(new URL(MANIFEST, baseUrl));
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`could not load the collection list (${MANIFEST}: HTTP ${response.status})`);
  let manifest;
  try {
    manifest = await response.json();
  } catch (error) {
    throw new Error(`${MANIFEST} is not valid JSON (${error.message})`);
  }
  if (manifest?.format === 'lectern-collection') return manifest;
  if (manifest?.format !== 'lectern-files' || manifest.version !== 1 || !Array.isArray(manifest.files)) {
    throw new Error(`unsupported collection format '${manifest?.format}' version ${manifest?.version}`);
  }
  return manifest;
}

/** True for the manifest of a static collection (built by `lectern index`). */
export function isStaticCollection(manifest) {
  return manifest?.format === 'lectern-collection';
}

/** Bytes of `response`, decompressed when they are gzip (the files of a static collection are). */
async function decompressed(response) {
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes; // the server decoded it already
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/**
 * A static collection next to the page: list pages, searches and articles,
 * each downloading only its own files. `engine` is the core's
 * StaticCollection (library.js makes it); `fetched` counts the bytes
 * downloaded (as sent, compressed).
 */
export class StaticSource {
  #engine;
  #base;
  #pages = new Map();
  #fed = new Set();
  #inflight = new Map();
  manifest;
  fetched = { files: 0, bytes: 0 };

  constructor(manifest, engine, baseUrl = document.baseURI) {
    this.manifest = manifest;
    this.#engine = engine;
    this.#base = new URL('collection/', baseUrl);
  }

  get size() {
    return this.manifest.articles;
  }

  /** The address of a file of the collection (`v`: its version, the build's by default). */
  url(path, v = this.manifest.build) {
    const url = new URL(path, this.#base);
    url.searchParams.set('v', v);
    return url.href;
  }

  async #get(path, v) {
    const key = `${path}?${v ?? ''}`;
    if (!this.#inflight.has(key)) {
      const work = (async () => {
        const response = await fetch(this.url(path, v));
        if (!response.ok) throw new Error(`collection/${path}: HTTP ${response.status}`);
        const sent = Number(response.headers.get('content-length'));
        const bytes = await decompressed(response);
        this.fetched.files++;
        this.fetched.bytes += Number.isFinite(sent) && sent > 0 ? sent : bytes.length;
        return bytes;
      })();
      this.#inflight.set(key, work);
      work.catch(() => this.#inflight.delete(key));
    }
    return this.#inflight.get(key);
  }

  async #json(path, v) {
    return JSON.parse(new TextDecoder().decode(await this.#get(path, v)));
  }

  /** List page `page` (oldest first): list entries. */
  listPage(page) {
    if (!this.#pages.has(page)) {
      const work = this.#json(`list/${page}.bin`).then((entries) => {
        // The engine learns which slot each id is in: filters by id (the reader's marks) need no id shard for them.
        this.#engine?.noteSlots(page * this.manifest.listPage, entries.map((entry) => entry.id));
        return entries;
      });
      this.#pages.set(page, work);
      work.catch(() => this.#pages.delete(page));
    }
    return this.#pages.get(page);
  }

  /**
   * The entries at positions [start, end) of the list newest first (or oldest
   * first), fetching the list pages that hold them.
   */
  async entries(start, end, oldest = false) {
    const n = this.size;
    const per = this.manifest.listPage;
    const slots = [];
    for (let i = Math.max(0, start); i < Math.min(end, n); i++) slots.push(oldest ? i : n - 1 - i);
    const pages = [...new Set(slots.map((slot) => Math.floor(slot / per)))];
    const loaded = new Map(await Promise.all(pages.map(async (page) => [page, await this.listPage(page)])));
    return slots.map((slot) => loaded.get(Math.floor(slot / per))[slot % per]);
  }

  /**
   * Searches: `{ total, hits: [{ id, score, snippet, slot, entry, added? }], facets }`
   * (see StaticCollection). `added`: a Library of the reader's own articles,
   * searched with the collection as one list (hits of its articles carry `added`).
   */
  async search(query, options, added = null) {
    for (let round = 0; round < 12; round++) {
      const step = added ? this.#engine.searchWith(query, options, added) : this.#engine.search(query, options);
      if (!step.needs) return step;
      const wanted = step.needs.filter((path) => !this.#fed.has(path));
      if (!wanted.length) throw new Error(`the collection asked twice for ${step.needs.join(', ')}`);
      const files = await Promise.all(wanted.map(async (path) => [path, await this.#get(path)]));
      for (const [path, bytes] of files) {
        const card = path.match(/^cards\/\d+\/(\d+)\.bin$/);
        if (card) this.#engine.feedCard(Number(card[1]), JSON.parse(new TextDecoder().decode(bytes)));
        else this.#engine.feed(path, bytes);
        this.#fed.add(path);
      }
    }
    throw new Error('the search needed more rounds of files than a collection should');
  }

  /** Facets over the whole collection. */
  async facets(limit = 100) {
    const facets = this.#engine.facets(limit);
    if (facets) return facets;
    await this.search('', { limit: 0 });
    return this.#engine.facets(limit);
  }

  /** The whole article (without its text): its file only. */
  article(id, v) {
    const folder = id.slice(0, 2);
    return this.#json(`articles/${encodeURIComponent(folder)}/${encodeURIComponent(id)}.bin`, v);
  }

  /** Frees the core's reader (the source is unusable afterwards). */
  free() {
    this.#engine?.free?.();
    this.#engine = null;
  }
}

/**
 * Downloads every file of a manifest, handing them over in batches as they
 * arrive (so the list can show while the rest download).
 * @param {object} manifest
 * @param {{onBatch: (files: {name: string, text: string, base: string}[]) => (void|Promise<void>),
 *          onProgress?: (done: number, total: number) => void}} handlers
 * @param {string} [baseUrl] the folder holding `collection/` (default: the page's)
 * @returns {Promise<{name: string, error: string}[]>} the files that could not be downloaded
 */
export async function downloadCollection(manifest, { onBatch, onProgress = () => {} }, baseUrl = document.baseURI) {
  const entries = manifest.files;
  const failures = [];
  const decoder = new TextDecoder('utf-8');
  let next = 0;
  let done = 0;
  let pending = [];
  let flushing = Promise.resolve();
  const flush = () => {
    if (!pending.length) return flushing;
    const batch = pending;
    pending = [];
    flushing = flushing.then(() => onBatch(batch));
    return flushing;
  };
  async function worker() {
    while (next < entries.length) {
      const { path, modified } = entries[next++];
      const url = fileUrl(path, baseUrl, modified);
      try {
        const reply = await fetch(url);
        if (!reply.ok) throw new Error(`HTTP ${reply.status}`);
        const text = decoder.decode(await reply.arrayBuffer());
        // (Read before pushing: `pending` is swapped by flush() meanwhile.)
        // The base for relative URLs is the file's address without the version.
        pending.push({ name: path, text, base: fileUrl(path, baseUrl) });
      } catch (error) {
        failures.push({ name: path, error: `could not download: ${error.message}` });
      }
      onProgress(++done, entries.length);
      if (pending.length >= BATCH) await flush();
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, entries.length) }, worker));
  await flush();
  return failures;
}
