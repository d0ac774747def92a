// In-page engines of the ingest and search benchmarks. Lectern ingests the
// article files themselves, as a page does with its two WebAssembly modules:
// the ingest module's parseArticles (front matter, sanitising, text,
// metadata) then the reader module's Library.addArticles (the index), both on
// this page's main thread (the page runs the first in a worker); the peers
// index the plain text Lectern extracted from the same files (title,
// categories, author, text): their build does strictly less work.
import initReader, { Library } from '/pkg/reader.js';
import initIngest, { parseArticles } from '/pkg/ingest.js';
import MiniSearch from '/node_modules/minisearch/dist/es/index.js';
import { Document } from '/node_modules/flexsearch/dist/flexsearch.bundle.module.min.mjs';

const FIELDS = ['title', 'categories', 'author', 'text'];
/** Lectern takes files in batches, as the page does while downloading. */
const LECTERN_BATCH = 512;

let files = [];
let docs = [];
let built = null;
/** Lectern's last build, split: parseArticles (ingest module) and addArticles (reader module). */
let lecternParts = null;
/** Each module's WebAssembly.Memory. */
const memories = {};

/** The bytes of each module's linear memory (it never shrinks: the most it held). */
export function wasmMemory() {
  return Object.fromEntries(Object.entries(memories).map(([name, memory]) => [name, memory.buffer.byteLength]));
}

/** Loads the engines and the data: `copies` replicas of every article, each under new names (new ids). */
export async function setup({ filesUrl, docsUrl, copies = 1 }) {
  // Two modules, each with its own init (and its own memory).
  memories.reader = (await initReader({ module_or_path: '/pkg/reader_bg.wasm' })).memory;
  memories.ingest = (await initIngest({ module_or_path: '/pkg/ingest_bg.wasm' })).memory;
  if (filesUrl) {
    const base = await (await fetch(filesUrl)).json();
    files = [];
    for (let c = 0; c < copies; c++) for (const f of base) files.push({ name: `x${c}/${f.name}`, text: f.text });
  }
  if (docsUrl) {
    const base = await (await fetch(docsUrl)).json();
    docs = [];
    for (let c = 0; c < copies; c++) for (const d of base) docs.push({ ...d, id: `x${c}/${d.name}` });
  }
  return { files: files.length, docs: docs.length };
}

const isCjkQuery = (q) => /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(q);

function flexsearch(tokenize) {
  return {
    build() {
      const index = new Document({ tokenize, document: { id: 'id', index: FIELDS } });
      for (const doc of docs) index.add(doc);
      return index;
    },
    search(index, query, limit) {
      return index.search(query, { limit, merge: true }).map((hit) => hit.id);
    },
  };
}

const ENGINES = {
  lectern: {
    /** Each batch: parseArticles (ingest), then addArticles (reader) of the articles it gave. */
    build() {
      const library = new Library();
      let failures = 0;
      let parseMs = 0;
      let addMs = 0;
      for (let start = 0; start < files.length; start += LECTERN_BATCH) {
        const started = performance.now();
        const items = parseArticles(files.slice(start, start + LECTERN_BATCH));
        const parsed = performance.now();
        const articles = items.filter((item) => item.error === undefined);
        failures += items.length - articles.length;
        library.addArticles(articles);
        parseMs += parsed - started;
        addMs += performance.now() - parsed;
      }
      if (failures) console.error(`lectern: ${failures} files failed`);
      lecternParts = { parseMs, addMs, failures };
      return library;
    },
    prepare(library) {
      // Hits carry Lectern's ids: map them back to file names (not timed).
      library.names = new Map(library.summaries().map((s) => [s.id, s.name]));
    },
    /** Like the peers: ranked ids, exact words (no prefix, no typos), no snippets, no facets. */
    search(library, query, limit) {
      const { hits } = library.search(query, { limit, prefix: false, typos: false, snippetChars: 0, facetLimit: 0 });
      return hits.map((hit) => library.names?.get(hit.id) ?? hit.id);
    },
    /** The page's own call: 20 hits with snippets and facets (reported apart). */
    searchAsPage(library, query, limit) {
      return library.search(query, { limit, prefix: false, typos: false }).hits.length;
    },
    stats(library) {
      return { indexBytes: library.indexBytes, articles: library.size, ...lecternParts };
    },
  },
  minisearch: {
    build() {
      const index = new MiniSearch({ fields: FIELDS, storeFields: [] });
      index.addAll(docs);
      return index;
    },
    /** Defaults, AND across terms; prefix search for CJK queries (its best chance to find a span inside a run). */
    search(index, query) {
      return index.search(query, { prefix: isCjkQuery(query), combineWith: 'AND' }).map((hit) => hit.id);
    },
  },
  flexsearch: flexsearch('strict'),
  'flexsearch-full': flexsearch('full'),
};

/** Builds an engine's index (kept for the searches that follow) and returns the time it took. */
export function build(engine) {
  built = null;
  const started = performance.now();
  const index = ENGINES[engine].build();
  const ms = performance.now() - started;
  built = { engine, index };
  ENGINES[engine].prepare?.(index);
  return { ms, ...(ENGINES[engine].stats?.(index) ?? {}) };
}

/** Drops the built index. */
export function drop() {
  built?.index?.free?.();
  built = null;
}

/**
 * Time of one query, precise despite the browser's 5 µs timer: the query runs
 * repeatedly until at least 1 ms has passed (at most 200 times); the mean is kept.
 */
export function timeQuery(run) {
  let n = 0;
  const started = performance.now();
  let elapsed = 0;
  do {
    run();
    n++;
    elapsed = performance.now() - started;
  } while (elapsed < 1 && n < 200);
  return elapsed / n;
}

/**
 * Runs every query once untimed (warm-up), then times each (see `timeQuery`);
 * returns the times (ms per query) and, with `collect`, every hit (names) of an
 * unlimited search.
 */
export function searchAll(queries, { limit = 20, collect = false } = {}) {
  const { engine, index } = built;
  const search = ENGINES[engine].search;
  for (const q of queries) search(index, q, limit);
  const times = queries.map((q) => timeQuery(() => search(index, q, limit)));
  const hits = collect ? queries.map((q) => search(index, q, docs.length || files.length)) : null;
  const asPage = ENGINES[engine].searchAsPage;
  const pageTimes = asPage ? queries.map((q) => timeQuery(() => asPage(index, q, limit))) : null;
  return { times, hits, pageTimes };
}

/**
 * The saved library (`saveIndex()`: index and articles), raw and gzip: what
 * the page keeps in IndexedDB after parsing a plain folder, so a second visit
 * parses nothing.
 */
export async function savedSize() {
  const bytes = built.index.saveIndex();
  const gzip = await new Response(new Blob([bytes]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
  return { raw: bytes.length, gzip: gzip.byteLength };
}

/** The built index itself (for experiments from the console or a script). */
export function builtIndex() {
  return built?.index;
}
