// Pagefind in the page, as a static site uses it: its own pagefind.js, which
// fetches the index chunks a query needs from the site.
let pagefind = null;

/** Loads Pagefind from a built bundle (`basePath` ends with '/pagefind/'). */
export async function setup(basePath) {
  pagefind = await import(`${basePath}pagefind.js`);
  await pagefind.options({ basePath });
  await pagefind.init();
}

/** One search; resolves to the result ids (fragment names), all of them. */
export async function search(query) {
  const found = await pagefind.search(query);
  return found.results.map((r) => r.id);
}

/**
 * One search as a results page shows it: the results and the data (title,
 * excerpt, URL) of the first `shown`, which fetches their fragments.
 * Resolves to the number of results.
 */
export async function searchShown(query, shown = 10) {
  const found = await pagefind.search(query);
  await Promise.all(found.results.slice(0, shown).map((r) => r.data()));
  return found.results.length;
}

/** The URLs of results whose fragment the caller could not map (loads their data). */
export async function urls(query, ids) {
  const wanted = new Set(ids);
  const found = await pagefind.search(query);
  const out = {};
  for (const r of found.results) if (wanted.has(r.id)) out[r.id] = (await r.data()).url;
  return out;
}

/**
 * Every query once untimed (loads its index chunks), then each timed: repeated
 * until at least 1 ms has passed (at most 20 times), the mean kept. With
 * `collect`, the ids found.
 */
export async function searchAll(queries, { collect = false } = {}) {
  const hits = [];
  for (const q of queries) hits.push(await search(q));
  const times = [];
  for (const q of queries) {
    let n = 0;
    const started = performance.now();
    let elapsed = 0;
    do {
      await search(q);
      n++;
      elapsed = performance.now() - started;
    } while (elapsed < 1 && n < 20);
    times.push(elapsed / n);
  }
  return { times, hits: collect ? hits : null };
}
