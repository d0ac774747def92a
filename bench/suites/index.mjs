// The benchmark's suites, in the order they run. A suite is a module whose
// default export is `{ name, title, run(ctx) }`; `run` resolves to an object
// written to `bench/results/<name>.json`, whose `rows` feed the table and the
// chart (see bench/README.md). To add a suite, write it and list it here.
import size from './size.mjs';
import sanitize from './sanitize.mjs';
import ingest from './ingest.mjs';
import load from './load.mjs';
import search from './search.mjs';
import staticCollections from './static.mjs';

export const SUITES = [size, sanitize, ingest, load, search, staticCollections];
