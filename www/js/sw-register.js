// Registers the service worker that keeps the page usable offline (its
// script URL vouched for by worker-urls.js).
import { serviceWorkerUrl } from './worker-urls.js';

/** Registers sw.js (where the browser has service workers and the page is served over http(s)). */
export async function registerServiceWorker() {
  if (!('serviceWorker' in navigator) || !/^https?:$/.test(location.protocol)) return null;
  try {
    return await navigator.serviceWorker.register(serviceWorkerUrl(), { type: 'classic' });
  } catch (error) {
    // Offline use is a bonus: the page works without it.
    console.warn(`Lectern will not work offline: the service worker could not start (${error.message})`);
    return null;
  }
}
