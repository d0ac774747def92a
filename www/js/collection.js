// Loading the collection served next to the page: collection/manifest.json
// lists the article files, each fetched from collection/files/<path>.

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
  if (manifest?.format !== 'lectern-files' || manifest.version !== 1 || !Array.isArray(manifest.files)) {
    throw new Error(`unsupported collection format '${manifest?.format}' version ${manifest?.version}`);
  }
  return manifest;
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
