// Registers the service worker that keeps the page usable offline. Under the
// page's Trusted Types policy a worker's script URL must be a TrustedScriptURL:
// this module's policy ("lectern-worker") vouches for exactly one URL, sw.js
// next to the page, and refuses any other.

const SCRIPT = new URL('sw.js', document.baseURI).href;

const policy = globalThis.trustedTypes?.createPolicy('lectern-worker', {
  createScriptURL(url) {
    if (url !== SCRIPT) throw new TypeError(`lectern-worker: refusing script URL ${url}`);
    return url;
  },
});

/** Registers sw.js (where the browser has service workers and the page is served over http(s)). */
export async function registerServiceWorker() {
  if (!('serviceWorker' in navigator) || !/^https?:$/.test(location.protocol)) return null;
  try {
    return await navigator.serviceWorker.register(policy ? policy.createScriptURL(SCRIPT) : SCRIPT, { type: 'classic' });
  } catch (error) {
    // Offline use is a bonus: the page works without it.
    console.warn(`Lectern will not work offline: the service worker could not start (${error.message})`);
    return null;
  }
}
