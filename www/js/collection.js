// Loading the collection served next to the page: collection/manifest.json
// lists the article files, each fetched from collection/files/<path>.

const MANIFEST = 'collection/manifest.json';
const CONCURRENCY = 8;

/** The URL of a collection file, each path segment encoded. */
export function fileUrl(path, baseUrl = document.baseURI) {
  const encoded = path.split('/').map(encodeURIComponent).join('/');
  return new URL(`collection/files/${encoded}`, baseUrl).href;
}

/**
 * Fetches the manifest and every article file.
 * @param {(done: number, total: number) => void} onProgress
 * @returns {Promise<{files: {name: string, text: string, base: string}[], failures: {name: string, error: string}[]}>}
 */
export async function fetchCollection(onProgress = () => {}) {
  const response = await fetch(MANIFEST);
  if (!response.ok) throw new Error(`could not load the collection list (${MANIFEST}: HTTP ${response.status})`);
  const manifest = await response.json();
  if (manifest.format !== 'lectern-files' || manifest.version !== 1) {
    throw new Error(`unsupported collection format '${manifest.format}' version ${manifest.version}`);
  }
  const entries = manifest.files;
  const files = new Array(entries.length);
  const failures = [];
  let next = 0;
  let done = 0;
  const decoder = new TextDecoder('utf-8');
  async function worker() {
    while (next < entries.length) {
      const index = next++;
      const { path } = entries[index];
      const url = fileUrl(path);
      try {
        const reply = await fetch(url);
        if (!reply.ok) throw new Error(`HTTP ${reply.status}`);
        files[index] = { name: path, text: decoder.decode(await reply.arrayBuffer()), base: url };
      } catch (error) {
        failures.push({ name: path, error: `could not download: ${error.message}` });
      }
      onProgress(++done, entries.length);
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, entries.length) }, worker));
  return { files: files.filter(Boolean), failures };
}
