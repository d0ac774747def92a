// Script URLs for workers. Under the page's Trusted Types policy a worker's
// script URL must be a TrustedScriptURL: this module's policy
// ("lectern-worker") vouches for exactly two scripts and refuses any other:
// the service worker (sw.js beside the page) and the ingest worker
// (js/ingest-worker.js beside this module).
//
// The policy is made on first use, so a host page that never starts a worker
// (a <lectern-reader> on a built collection) need not allow it.

/** The Trusted Types policy's name: a host page's CSP lists it in `trusted-types` to start workers. */
export const WORKER_POLICY = 'lectern-worker';

const INGEST_WORKER = new URL('./ingest-worker.js', import.meta.url).href;

let policy;

function workerPolicy() {
  if (policy !== undefined) return policy;
  if (!globalThis.trustedTypes) {
    policy = null;
    return policy;
  }
  const allowed = () => [INGEST_WORKER, globalThis.document ? new URL('sw.js', document.baseURI).href : ''];
  try {
    policy = globalThis.trustedTypes.createPolicy(WORKER_POLICY, {
      createScriptURL(url) {
        if (!allowed().includes(url)) throw new TypeError(`${WORKER_POLICY}: refusing script URL ${url}`);
        return url;
      },
    });
  } catch (error) {
    throw new Error(`the page's Content-Security-Policy does not allow the Trusted Types policy '${WORKER_POLICY}' `
      + `(add it to the trusted-types directive): ${error.message}`);
  }
  return policy;
}

/** The script URL of the ingest worker, as the page may pass it to `new Worker`. */
export function ingestWorkerUrl() {
  return workerPolicy()?.createScriptURL(INGEST_WORKER) ?? INGEST_WORKER;
}

/** The script URL of the service worker beside the page. */
export function serviceWorkerUrl() {
  const url = new URL('sw.js', document.baseURI).href;
  return workerPolicy()?.createScriptURL(url) ?? url;
}
