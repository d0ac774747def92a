// Headless Chromium for the benchmark (Debian's build, through playwright-core),
// fresh pages that never reach the internet, and memory read through the
// DevTools protocol: the JavaScript heap after a full collection plus every
// WebAssembly memory the page holds.
import { chromium } from 'playwright-core';
import { CHROMIUM } from './paths.mjs';

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-extensions',
  '--disable-renderer-backgrounding', '--disable-background-timer-throttling',
];

/** Launches headless Chromium. */
export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * A page in a fresh context (fresh storage and cache). Requests that leave
 * 127.0.0.1 are aborted: article images point at the internet.
 */
export async function freshPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.route(/^https?:\/\/(?!127\.0\.0\.1[:/])/, (route) => route.abort());
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error' && !/Failed to load resource|ERR_FAILED/.test(message.text())) errors.push(message.text());
  });
  const cdp = await context.newCDPSession(page);
  return {
    page,
    context,
    errors,
    cdp,
    close: () => context.close(),
  };
}

/**
 * Follows a page's requests: `idle()` resolves once none has been in flight
 * for `quietMs` (what a page fetches after an input has arrived by then).
 */
export function trackRequests(page) {
  let inFlight = 0;
  let last = performance.now();
  const started = () => {
    inFlight++;
    last = performance.now();
  };
  const ended = () => {
    inFlight = Math.max(0, inFlight - 1);
    last = performance.now();
  };
  page.on('request', started);
  page.on('requestfinished', ended);
  page.on('requestfailed', ended);
  return {
    async idle(quietMs = 300, timeoutMs = 300_000) {
      const deadline = performance.now() + timeoutMs;
      while (inFlight > 0 || performance.now() - last < quietMs) {
        if (performance.now() > deadline) throw new Error(`${inFlight} request(s) still in flight after ${timeoutMs / 1000} s`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    },
  };
}

/** Opens `url` in a fresh page and imports an ES module into `window.bench`. */
export async function modulePage(browser, url, modulePath) {
  const session = await freshPage(browser);
  await session.page.goto(url);
  await session.page.evaluate(async (path) => {
    window.bench = await import(path);
  }, modulePath);
  return session;
}

/**
 * Memory the page holds after a full garbage collection: `jsHeap` (the V8 heap's
 * used bytes) and `wasm` (the byte length of every WebAssembly.Memory: linear
 * memory never shrinks, so this is the peak the module reached).
 */
export async function measureMemory(cdp) {
  await cdp.send('HeapProfiler.enable');
  for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
  const { usedSize } = await cdp.send('Runtime.getHeapUsage');
  const { result: proto } = await cdp.send('Runtime.evaluate', { expression: 'WebAssembly.Memory.prototype' });
  const { objects } = await cdp.send('Runtime.queryObjects', { prototypeObjectId: proto.objectId });
  const { result } = await cdp.send('Runtime.callFunctionOn', {
    objectId: objects.objectId,
    functionDeclaration: 'function () { return this.reduce((n, m) => n + m.buffer.byteLength, 0); }',
    returnByValue: true,
  });
  await cdp.send('Runtime.releaseObject', { objectId: objects.objectId });
  await cdp.send('Runtime.releaseObject', { objectId: proto.objectId });
  return { jsHeap: usedSize, wasm: result.value, total: usedSize + result.value };
}
