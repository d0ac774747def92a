// Feed subscriptions, kept by the extension's background: each feed is
// fetched (conditional GET with the validators of the last fetch), read into
// post files by the feeds module, parsed by the ingest module and kept in the
// reading list's store as added articles, new ones unread. The same item
// fetched again is the same article (its id comes from its GUID or link);
// an item that changed replaces its copy; an item that left the feed stays.
//
// The subscriptions live in chrome.storage.local (so they survive restarts)
// and are refreshed by a chrome.alarms alarm, every `interval` minutes. Each
// feed's host permission is asked for when subscribing (the manifest lists
// them as optional_host_permissions; nothing is granted up front).
import initFeeds, { readFeed, readOpml, writeOpml } from '../pkg/feeds.js';
import initIngest, { parseArticles, version as ingestVersion } from '../pkg/ingest.js';
import { openStore } from '../js/store.js';

const STATE_KEY = 'feeds';
const STATE_VERSION = 1;
const ALARM = 'lectern-feeds';
export const DEFAULT_INTERVAL_MINUTES = 60;
const FETCH_TIMEOUT_MS = 30_000;
const MAX_FEED_BYTES = 16 * 1024 * 1024;
/** Feeds fetched at the same time. */
const PARALLEL = 3;

let modules = null;
let store = null;
let refreshing = null;

/** The feeds and ingest modules (once; again after a failed try). */
function loadModules() {
  modules ??= Promise.all([
    initFeeds({ module_or_path: new URL('../pkg/feeds_bg.wasm', import.meta.url) }),
    initIngest({ module_or_path: new URL('../pkg/ingest_bg.wasm', import.meta.url) }),
  ]).catch((error) => {
    modules = null;
    throw new Error(`Lectern's feed reader could not start: ${error.message}`);
  });
  return modules;
}

async function loadState() {
  const { [STATE_KEY]: state } = await chrome.storage.local.get(STATE_KEY);
  if (state?.version === STATE_VERSION && Array.isArray(state.subscriptions)) return state;
  return { version: STATE_VERSION, interval: DEFAULT_INTERVAL_MINUTES, subscriptions: [] };
}

async function saveState(state) {
  await chrome.storage.local.set({ [STATE_KEY]: state });
}

/** Changes the state under one lock, so concurrent requests do not lose each other's changes. */
let stateLock = Promise.resolve();
function withState(change) {
  const run = stateLock.then(async () => {
    const state = await loadState();
    const result = await change(state);
    await saveState(state);
    return result;
  });
  stateLock = run.catch(() => {});
  return run;
}

/** The pattern a feed's host permission is asked for with. */
export function originPattern(url) {
  const { protocol, hostname } = new URL(url);
  return `${protocol}//${hostname}/*`;
}

function checkedUrl(address) {
  let url;
  try {
    url = new URL(String(address).trim());
  } catch {
    throw new Error(`'${String(address).slice(0, 200)}' is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`only http(s) feeds can be subscribed to, not ${url.protocol}`);
  return url.href;
}

/** What the settings show: the subscriptions without their item lists. */
export async function listSubscriptions() {
  const state = await loadState();
  return {
    interval: state.interval,
    subscriptions: state.subscriptions.map(({ items, etag, lastModified, ...shown }) => ({ ...shown, items: Object.keys(items ?? {}).length })),
  };
}

/** Subscribes to a feed and fetches it at once. Resolves to the subscription as listed. */
export async function subscribe(address, { title = null, category = null } = {}) {
  const url = checkedUrl(address);
  await withState((state) => {
    if (!state.subscriptions.some((s) => s.url === url)) {
      state.subscriptions.push({ url, title, category, site: null, etag: null, lastModified: null, lastFetch: null, lastSuccess: null, error: null, items: {} });
    }
  });
  await ensureAlarm();
  await refresh([url]);
  return (await listSubscriptions()).subscriptions.find((s) => s.url === url);
}

/** Unsubscribes; the articles it brought stay in the reading list. */
export async function unsubscribe(address) {
  await withState((state) => {
    state.subscriptions = state.subscriptions.filter((s) => s.url !== address);
  });
}

export async function setInterval(minutes) {
  const interval = Math.min(24 * 60, Math.max(15, Math.round(Number(minutes)) || DEFAULT_INTERVAL_MINUTES));
  await withState((state) => {
    state.interval = interval;
  });
  await chrome.alarms.clear(ALARM);
  await ensureAlarm();
  return interval;
}

/** The alarm that refreshes every subscription (made when missing, as after a browser restart). */
export async function ensureAlarm() {
  const state = await loadState();
  if (!state.subscriptions.length) return;
  const existing = await chrome.alarms.get(ALARM);
  if (!existing || existing.periodInMinutes !== state.interval) {
    await chrome.alarms.create(ALARM, { delayInMinutes: state.interval, periodInMinutes: state.interval });
  }
}

export function isRefreshAlarm(alarm) {
  return alarm?.name === ALARM;
}

/** The subscriptions of an OPML document, subscribed to (each fetched). */
export async function importOpml(text) {
  await loadModules();
  const list = readOpml(text);
  let added = 0;
  await withState((state) => {
    for (const entry of list) {
      let url;
      try {
        url = checkedUrl(entry.url);
      } catch {
        continue;
      }
      if (state.subscriptions.some((s) => s.url === url)) continue;
      state.subscriptions.push({ url, title: entry.title ?? null, category: entry.category ?? null, site: entry.site ?? null, etag: null, lastModified: null, lastFetch: null, lastSuccess: null, error: null, items: {} });
      added++;
    }
  });
  await ensureAlarm();
  await refresh();
  return { listed: list.length, added };
}

export async function exportOpml() {
  await loadModules();
  const state = await loadState();
  return writeOpml('Lectern subscriptions', state.subscriptions.map(({ url, title, site, category }) => ({ url, title, site, category })));
}

/**
 * Fetches the subscriptions (all, or those at `urls`), a few at a time; one
 * refresh at a time (a second call waits for the first, then runs).
 * Resolves to `{ fetched, failed, added, updated }`.
 */
export function refresh(urls = null) {
  const run = (refreshing ?? Promise.resolve()).catch(() => {}).then(() => refreshNow(urls));
  refreshing = run;
  run.finally(() => {
    if (refreshing === run) refreshing = null;
  });
  return run;
}

async function refreshNow(urls) {
  const state = await loadState();
  const targets = state.subscriptions.filter((s) => !urls || urls.includes(s.url)).map((s) => s.url);
  const totals = { fetched: 0, failed: 0, added: 0, updated: 0 };
  let next = 0;
  const worker = async () => {
    while (next < targets.length) {
      const url = targets[next++];
      const outcome = await fetchOne(url);
      if (outcome.error) totals.failed++;
      else totals.fetched++;
      totals.added += outcome.added ?? 0;
      totals.updated += outcome.updated ?? 0;
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, targets.length) }, worker));
  return totals;
}

/** Fetches one subscription and keeps what it gave; never throws (the error is kept on the subscription). */
async function fetchOne(url) {
  const before = (await loadState()).subscriptions.find((s) => s.url === url);
  if (!before) return { error: 'not subscribed' };
  let outcome;
  try {
    outcome = await fetchAndKeep(before);
  } catch (error) {
    outcome = { error: String(error?.message ?? error) };
  }
  const now = new Date().toISOString();
  await withState((state) => {
    const subscription = state.subscriptions.find((s) => s.url === url);
    if (!subscription) return;
    subscription.lastFetch = now;
    subscription.error = outcome.error ?? null;
    if (!outcome.error) {
      subscription.lastSuccess = now;
      Object.assign(subscription, outcome.changes ?? {});
    }
  });
  return outcome;
}

async function fetchAndKeep(subscription) {
  const headers = {};
  if (subscription.etag) headers['If-None-Match'] = subscription.etag;
  if (subscription.lastModified) headers['If-Modified-Since'] = subscription.lastModified;
  let response;
  try {
    response = await fetch(subscription.url, {
      headers, cache: 'no-store', credentials: 'omit', referrerPolicy: 'no-referrer', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS),
    });
  } catch (error) {
    if (error?.name === 'TimeoutError') throw new Error(`no answer within ${FETCH_TIMEOUT_MS / 1000} s`);
    const granted = await chrome.permissions.contains({ origins: [originPattern(subscription.url)] }).catch(() => false);
    throw new Error(granted ? `the server could not be reached (${error.message})` : `the server could not be reached, or Lectern may not read ${new URL(subscription.url).host} (subscribe again to grant it)`);
  }
  if (response.status === 304) return { changes: {} };
  if (!response.ok) throw new Error(`the server answered ${response.status} ${response.statusText}`.trim());
  if (Number(response.headers.get('content-length')) > MAX_FEED_BYTES) throw new Error(`the feed is larger than ${MAX_FEED_BYTES / 1048576} MiB`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.byteLength > MAX_FEED_BYTES) throw new Error(`the feed is larger than ${MAX_FEED_BYTES / 1048576} MiB`);

  await loadModules();
  const firstSeen = Object.fromEntries(Object.entries(subscription.items ?? {}).map(([key, item]) => [key, item.firstSeen]));
  const feed = readFeed(bytes, response.url || subscription.url, { firstSeen });
  const { added, updated } = await keepPosts(feed.posts, subscription.url);
  return {
    added,
    updated,
    changes: {
      title: subscription.title ?? feed.title,
      site: feed.site ?? subscription.site,
      etag: response.headers.get('etag'),
      lastModified: response.headers.get('last-modified'),
      items: Object.fromEntries(feed.posts.map((post) => [post.key, { name: post.name, firstSeen: post.firstSeen }])),
    },
  };
}

/**
 * Keeps the posts that are new or changed as added articles: only those are
 * parsed (a feed without validators answers in full every time, and most of
 * its items are what is kept already).
 */
async function keepPosts(posts, feedUrl) {
  store ??= await openStore();
  if (!store.persistent) throw new Error('the browser does not let the extension store anything (IndexedDB is unavailable)');
  const fresh = [];
  for (const post of posts) {
    const existing = await store.article(post.id);
    if (existing?.text !== post.text) fresh.push({ post, existing });
  }
  if (!fresh.length) return { added: 0, updated: 0 };
  const parsed = parseArticles(fresh.map(({ post }) => ({ name: post.name, text: post.text })));
  const now = Date.now();
  const records = [];
  let updated = 0;
  for (const [index, article] of parsed.entries()) {
    if (article.error) continue;
    const { post, existing } = fresh[index];
    if (existing) updated++;
    records.push({
      id: article.id, name: article.name, text: post.text, article, coreVersion: ingestVersion(),
      added: existing?.added ?? now, saved: now, kind: 'feed', feed: feedUrl,
    });
  }
  if (records.length) await store.putArticles(records);
  return { added: records.length - updated, updated };
}
