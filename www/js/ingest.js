// The page's side of the ingest module: parsing article files, and
// sanitising HTML where the browser has no Sanitizer API, in a Web Worker
// (js/ingest-worker.js runs pkg/ingest.js, built from crates/wasm-ingest), so
// the page never freezes while it parses. The worker, and with it the ingest
// module's download, starts on first use: a page that only shows a built
// collection never fetches it.
//
// A worker that dies while it reads (a file that makes the module trap, the
// browser reclaiming memory) is started again and the files it had not
// answered are read one by one: a file that stops the module on its own is
// reported as a failure, the others are read. A worker that cannot start at
// all (no module workers, the module missing, the page's policy) rejects with
// an IngestError saying why; nothing the page had is lost.
import { ingestWorkerUrl } from './worker-urls.js';

/** How long the worker may take to download and start the module. */
const START_TIMEOUT_MS = 60_000;

/** The ingest module could not be started or used: `message` says why. */
export class IngestError extends Error {
  constructor(message, cause) {
    super(message);
    this.name = 'IngestError';
    this.cause = cause;
  }
}

/** The worker stopped while it was answering (it is started again on the next request). */
class WorkerStopped extends Error {}

class IngestWorker {
  #worker = null;
  #ready = null;
  #pending = new Map();
  #nextId = 1;

  /** Starts the worker (once; again after it stopped). Resolves when the module is ready. */
  start() {
    this.#ready ??= new Promise((resolve, reject) => {
      let started = false;
      let worker;
      const fail = (reason) => {
        clearTimeout(timer);
        worker?.terminate();
        this.#worker = null;
        this.#ready = null;
        reject(new IngestError(`Lectern's article reader (its ingest module) could not start: ${reason}`));
      };
      const timer = setTimeout(() => fail(`it did not answer within ${START_TIMEOUT_MS / 1000} s`), START_TIMEOUT_MS);
      try {
        worker = new Worker(ingestWorkerUrl(), { type: 'module', name: 'lectern-ingest' });
      } catch (error) {
        fail(`this browser cannot run it in a module worker (${error.message})`);
        return;
      }
      this.#worker = worker;
      worker.addEventListener('message', (event) => {
        const message = event.data;
        if (!started) {
          if (message?.type === 'ready') {
            started = true;
            clearTimeout(timer);
            resolve(worker);
          } else if (message?.type === 'failed') {
            fail(message.error);
          }
          return;
        }
        this.#answer(message);
      });
      worker.addEventListener('error', (event) => {
        event.preventDefault();
        const reason = event.message || 'the worker script could not be loaded';
        if (!started) fail(reason);
        else this.#stopped(reason);
      });
      worker.addEventListener('messageerror', () => this.#stopped('a message could not be read'));
    });
    return this.#ready;
  }

  /**
   * Sends a request; `onReply` sees every reply, one after the other (a reply
   * waits for the promise `onReply` returned for the one before); resolves
   * with the last reply once `onReply` is done with it.
   */
  async request(message, onReply = () => {}) {
    const worker = await this.start();
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { onReply, resolve, reject, chain: Promise.resolve() });
      worker.postMessage({ ...message, id });
    });
  }

  #answer(message) {
    const waiting = this.#pending.get(message?.id);
    if (!waiting) {
      if (message?.type === 'failed') console.warn(`the ingest worker: ${message.error}`);
      return;
    }
    const last = message.type !== 'parsed' || message.last;
    if (message.type === 'failed' || last) this.#pending.delete(message.id);
    if (message.type === 'failed') {
      waiting.chain.then(() => waiting.reject(new Error(message.error)), waiting.reject);
      return;
    }
    waiting.chain = waiting.chain.then(() => waiting.onReply(message));
    if (last) waiting.chain.then(() => waiting.resolve(message), waiting.reject);
    else waiting.chain.catch(waiting.reject);
  }

  /** The worker died: every request it held fails, and the next one starts a new worker. */
  #stopped(reason) {
    this.#worker?.terminate();
    this.#worker = null;
    this.#ready = null;
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    // After the replies that did arrive were handled: the caller knows which files were answered.
    for (const waiting of pending) waiting.chain.then(() => waiting.reject(new WorkerStopped(reason)), waiting.reject);
  }
}

const ingest = new IngestWorker();

/**
 * Parses article files in the worker, handing the results over as they come
 * (a few at a time, in file order): `onItems(items)` gets articles, and
 * `{ name, error }` for files that could not be read.
 * @param {{name: string, text: string, base?: string}[]} files
 * @param {(items: object[]) => (void|Promise<void>)} onItems
 * @returns {Promise<void>} rejects with an IngestError when the module cannot start
 */
export async function parseFiles(files, onItems) {
  if (!files.length) return;
  let answered = 0;
  const take = (reply) => {
    answered += reply.items.length;
    return onItems(reply.items);
  };
  try {
    await ingest.request({ type: 'parse', files }, take);
    return;
  } catch (error) {
    if (!(error instanceof WorkerStopped)) throw error;
  }
  // The worker stopped: the files it had not answered, one at a time.
  for (const file of files.slice(answered)) {
    try {
      await ingest.request({ type: 'parse', files: [file] }, (reply) => onItems(reply.items));
    } catch (error) {
      if (!(error instanceof WorkerStopped)) throw error;
      await onItems([{ name: file.name, error: `Lectern's article reader stopped while reading this file (${error.message}); it was skipped` }]);
    }
  }
}

/** Sanitises HTML with the core's policy, in the worker. */
export async function sanitizeHtml(html) {
  const reply = await ingest.request({ type: 'sanitize', html });
  return reply.html;
}

/** The main article of a web page, as a sanitised article (see README "Saving a web page"). */
export async function extractPage(html, url) {
  const reply = await ingest.request({ type: 'extract', html, url });
  return reply.article;
}

/**
 * Reads a feed document (RSS, Atom, JSON Feed) in the worker, with the feeds
 * module: resolves to `{ address, title, site, notes, posts }`, each post an
 * article file `{ name, key, text, firstSeen }` to parse like any other.
 * Rejects with the reason when the document is not a feed.
 * @param {ArrayBuffer|Uint8Array} bytes
 * @param {string} address where it came from (the base for relative URLs)
 * @param {{firstSeen?: Record<string, string>}} [options]
 */
export async function readFeed(bytes, address, options = {}) {
  const reply = await ingest.request({ type: 'readFeed', bytes, address, options });
  return reply.feed;
}

/** An OPML document listing `subscriptions` ([{ url, title?, site?, category? }]), from the worker. */
export async function writeOpml(title, subscriptions) {
  const reply = await ingest.request({ type: 'writeOpml', title, subscriptions });
  return reply.text;
}
