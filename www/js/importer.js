// Reading article files the reader brings: picked files, a picked folder,
// files and folders dropped on the page, or one file by URL.

/** Extensions read as articles (the same list as the core's collection walker). */
const ARTICLE_EXTENSIONS = ['md', 'markdown', 'mdown', 'mkd', 'mkdn', 'html', 'htm', 'txt'];
/** Feed documents (their items are added): taken from folders too. */
const FEED_EXTENSIONS = ['rss', 'atom'];
/** Feed documents only when a file is picked or dropped by name (a folder's .xml or .json is rarely a feed). */
const NAMED_FEED_EXTENSIONS = [...FEED_EXTENSIONS, 'xml', 'json'];
/** Project documents skipped even with an article extension. */
const SKIPPED_NAMES = ['readme', 'license', 'licence', 'changelog', 'contributing', 'code_of_conduct'];
/** Files larger than this are refused before reading (the core's limit is 8 MiB). */
const MAX_FILE_BYTES = 8 * 1024 * 1024;

/** True when a file name (or path) looks like an article file. */
export function isArticleName(path) {
  const name = path.split('/').pop() ?? '';
  if (name.startsWith('.')) return false;
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return false;
  const stem = name.slice(0, dot).toLowerCase();
  const extension = name.slice(dot + 1).toLowerCase();
  return (ARTICLE_EXTENSIONS.includes(extension) || FEED_EXTENSIONS.includes(extension)) && !SKIPPED_NAMES.includes(stem);
}

/** True when a file (picked, dropped or found in a folder) is read as a feed: its items are the articles. */
export function isFeedName(path) {
  const name = (path.split('/').pop() ?? '').toLowerCase();
  const extension = name.slice(name.lastIndexOf('.') + 1);
  return name.includes('.') && NAMED_FEED_EXTENSIONS.includes(extension);
}

function hiddenPath(path) {
  return path.split('/').some((part) => part.startsWith('.') || part === 'node_modules');
}

/**
 * Picks the article files out of a list of {file, path}. Files named
 * explicitly (not found inside a folder) are kept whatever their extension.
 */
export function articleFiles(entries, { fromFolder }) {
  return entries.filter(({ path }) => !fromFolder || (isArticleName(path) && !hiddenPath(path)));
}

/** Files from an <input type=file> (webkitRelativePath gives folder paths). */
export function filesFromInput(input) {
  const entries = [...input.files].map((file) => ({ file, path: file.webkitRelativePath || file.name }));
  const fromFolder = entries.some((e) => e.path.includes('/'));
  return articleFiles(entries, { fromFolder });
}

/** Files from a drop: walks dropped folders. */
export async function filesFromDrop(dataTransfer) {
  const roots = [...(dataTransfer.items ?? [])]
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry?.())
    .filter(Boolean);
  if (!roots.length) {
    return articleFiles([...dataTransfer.files].map((file) => ({ file, path: file.name })), { fromFolder: false });
  }
  const out = [];
  let fromFolder = false;
  for (const entry of roots) {
    if (entry.isDirectory) fromFolder = true;
    await walkEntry(entry, out);
  }
  return articleFiles(out, { fromFolder });
}

async function walkEntry(entry, out) {
  if (entry.isFile) {
    const file = await new Promise((resolve, reject) => entry.file(resolve, reject));
    out.push({ file, path: entry.fullPath.replace(/^\//, '') });
    return;
  }
  if (!entry.isDirectory) return;
  const reader = entry.createReader();
  // readEntries returns the listing in chunks until it returns none.
  for (;;) {
    const chunk = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
    if (!chunk.length) break;
    for (const child of chunk) await walkEntry(child, out);
  }
}

/**
 * Reads files as text in batches of about `batchBytes`, handing each batch to
 * `onBatch` and reporting progress. A feed file is handed to `readFeed(path,
 * bytes)` as its bytes (its encoding is its own) and its items, article files,
 * join the batch. A file that cannot be read, or is too large, is a failure;
 * the others go on.
 * @returns {Promise<{name: string, error: string}[]>}
 */
export async function readFiles(entries, { onBatch, readFeed = null, onProgress = () => {}, batchBytes = 2 * 1024 * 1024 }) {
  const failures = [];
  const decoder = new TextDecoder('utf-8');
  let batch = [];
  let size = 0;
  let done = 0;
  for (const { file, path } of entries) {
    if (file.size > MAX_FILE_BYTES) {
      failures.push({ name: path, error: `the file is ${file.size} bytes, over the limit of ${MAX_FILE_BYTES}` });
    } else {
      try {
        const bytes = await file.arrayBuffer();
        if (readFeed && isFeedName(path)) {
          const posts = await readFeed(path, bytes);
          batch.push(...posts);
        } else {
          batch.push({ name: path, text: decoder.decode(bytes) });
        }
        size += file.size;
      } catch (error) {
        failures.push({ name: path, error: `could not read the file: ${error.message}` });
      }
    }
    done++;
    if (size >= batchBytes || batch.length >= 100) {
      await onBatch(batch);
      batch = [];
      size = 0;
    }
    onProgress(done, entries.length);
  }
  if (batch.length) await onBatch(batch);
  return failures;
}

/** Why fetching an article by URL failed: `code` is an i18n key. */
export class FetchError extends Error {
  constructor(code, values) {
    super(code);
    this.code = code;
    this.values = values;
  }
}

/**
 * Fetches one article file by URL. Throws FetchError: 'fetchBadUrl',
 * 'fetchHttp' (with status), or 'fetchRefused' (network error or CORS).
 * @returns {Promise<{name: string, text: string, base: string}>}
 */
export async function fetchArticle(address) {
  let url;
  try {
    url = new URL(address);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('scheme');
  } catch {
    throw new FetchError('fetchBadUrl', { url: address });
  }
  let response;
  try {
    response = await fetch(url.href, { mode: 'cors', credentials: 'omit', referrerPolicy: 'no-referrer' });
  } catch {
    throw new FetchError('fetchRefused', { url: url.href });
  }
  if (!response.ok) throw new FetchError('fetchHttp', { url: url.href, status: `${response.status} ${response.statusText}`.trim() });
  const bytes = await response.arrayBuffer();
  // The URL is the name: a different site's post.md is a different article.
  const name = `${url.host}${url.pathname}`.replace(/\/$/, '');
  return { name, text: new TextDecoder('utf-8').decode(bytes), base: url.href };
}
