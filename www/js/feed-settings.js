// Settings → Feeds. In the extension: subscribe (the feed's host permission
// is asked for here, on the reader's click), the subscriptions with their
// last fetch and error, unsubscribe, refresh now, the refresh interval, and
// OPML import and export; the background keeps and fetches them
// (extension/feeds.js). On a web page: an OPML export of the feeds that the
// feed files the reader added came from.
import { h } from './dom.js';
import { t, relativeDate } from './i18n.js';
import { writeOpml } from './ingest.js';

const INTERVALS = [15, 30, 60, 180, 360, 720, 1440];

/** A request to the background; rejects with its reason. */
async function ask(type, values = {}) {
  const reply = await chrome.runtime.sendMessage({ type, ...values });
  if (!reply?.ok) throw new Error(reply?.error ?? 'the extension did not answer');
  return reply.result;
}

/** Asks for the host permissions of `urls` (one prompt). Resolves true when granted. */
async function allowHosts(urls) {
  const origins = [...new Set(urls.map((url) => {
    const { protocol, hostname } = new URL(url);
    return `${protocol}//${hostname}/*`;
  }))];
  if (!origins.length) return true;
  try {
    return await chrome.permissions.request({ origins });
  } catch {
    return false;
  }
}

/**
 * @param {object} options
 * @param {boolean} options.extension true in the extension's own pages, where the background keeps subscriptions
 * @param {(id: string) => HTMLElement} options.$
 * @param {(message: string, options?: object) => void} options.notify
 * @param {() => Promise<{url: string, title?: string}[]>} options.knownFeeds the feeds of added feed files (the web page's export)
 * @param {(name: string, type: string, text: string) => void} options.download
 */
export function setupFeedSettings({ extension, $, notify, knownFeeds, download }) {
  $('export-opml').addEventListener('click', () => exportOpml({ extension, notify, knownFeeds, download }));
  if (!extension) return { refresh: () => {} };

  $('feeds-intro').dataset.i18n = 'feedsIntro';
  $('feeds-intro').textContent = t('feedsIntro');
  for (const id of ['subscribe-form', 'feed-list', 'feed-interval-field', 'refresh-feeds', 'import-opml-button']) $(id).hidden = false;
  const select = $('feed-interval');
  for (const minutes of INTERVALS) {
    select.append(h('option', { value: String(minutes) }, minutes < 60 ? t('everyMinutes', { count: minutes }) : t('everyHours', { count: minutes / 60 })));
  }

  const render = async () => {
    let listed;
    try {
      listed = await ask('feeds:list');
    } catch (error) {
      notify(error.message, { kind: 'error', id: 'feeds' });
      return;
    }
    select.value = String(listed.interval);
    const list = $('feed-list');
    list.replaceChildren(...(listed.subscriptions.length ? listed.subscriptions.map((s) => row(s, render, notify)) : [h('li', { class: 'feed-empty' }, t('noSubscriptions'))]));
  };

  $('subscribe-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const input = $('subscribe-input');
    const url = input.value.trim();
    // Asked first, in the click: the permission prompt needs the reader's gesture.
    let valid = true;
    try {
      new URL(url);
    } catch {
      valid = false;
    }
    if (!valid || !(await allowHosts([url]))) {
      notify(t('subscribeFailed', { url, error: valid ? t('feedPermissionRefused', { host: new URL(url).host }) : url }), { kind: 'error', id: 'feeds' });
      return;
    }
    try {
      const subscription = await ask('feeds:subscribe', { url });
      if (subscription?.error) notify(t('subscribeFailed', { url, error: subscription.error }), { kind: 'error', id: 'feeds' });
      else notify(t('subscribed', { title: subscription?.title ?? url }), { id: 'feeds' });
      input.value = '';
    } catch (error) {
      notify(t('subscribeFailed', { url, error: error.message }), { kind: 'error', id: 'feeds' });
    }
    render();
  });

  $('refresh-feeds').addEventListener('click', async () => {
    try {
      const totals = await ask('feeds:refresh');
      notify(t('feedsRefreshed', totals), { id: 'feeds', kind: totals.failed ? 'error' : undefined });
    } catch (error) {
      notify(error.message, { kind: 'error', id: 'feeds' });
    }
    render();
  });

  select.addEventListener('change', () => ask('feeds:interval', { minutes: Number(select.value) }).catch((error) => notify(error.message, { kind: 'error', id: 'feeds' })));

  $('import-opml').addEventListener('change', async (event) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    try {
      const text = await file.text();
      // Only to know which hosts to ask for, now, while the click lets the page ask (the background reads
      // the list itself with the feeds module; DOMParser would need a TrustedHTML under the page's policy).
      const urls = [...text.matchAll(/\bxmlUrl\s*=\s*(["'])(.*?)\1/gi)].map((m) => m[2].replace(/&amp;/g, '&').trim()).filter((u) => /^https?:\/\//i.test(u));
      await allowHosts(urls);
      const result = await ask('feeds:import-opml', { text });
      notify(t('opmlImported', result), { id: 'feeds' });
    } catch (error) {
      notify(t('importListFailed', { name: file.name, error: error.message }), { kind: 'error', id: 'feeds' });
    }
    render();
  });

  return { refresh: render };
}

/** One subscription: its name, address, state, and an Unsubscribe button. */
function row(subscription, render, notify) {
  const state = subscription.error
    ? t('feedError', { error: subscription.error })
    : subscription.lastFetch ? t('feedFetched', { when: relativeDate(subscription.lastFetch) }) : t('feedNeverFetched');
  const remove = h('button', { type: 'button', class: 'button button-small' }, t('unsubscribe'));
  remove.addEventListener('click', async () => {
    try {
      await ask('feeds:unsubscribe', { url: subscription.url });
    } catch (error) {
      notify(error.message, { kind: 'error', id: 'feeds' });
    }
    render();
  });
  return h('li', { class: subscription.error ? 'feed feed-failed' : 'feed', 'data-url': subscription.url },
    h('span', { class: 'feed-title' }, subscription.title ?? subscription.url),
    h('span', { class: 'feed-url' }, subscription.url),
    h('span', { class: 'feed-state' }, `${t('feedItems', { count: subscription.items })} · ${state}`),
    remove);
}

async function exportOpml({ extension, notify, knownFeeds, download }) {
  try {
    let text;
    let count;
    if (extension) {
      text = await ask('feeds:export-opml');
      count = (text.match(/xmlUrl=/g) ?? []).length;
    } else {
      const feeds = await knownFeeds();
      if (!feeds.length) {
        notify(t('noFeedsKnown'), { id: 'feeds' });
        return;
      }
      text = await writeOpml('Lectern feeds', feeds);
      count = feeds.length;
    }
    download(`lectern-feeds-${new Date().toISOString().slice(0, 10)}.opml`, 'text/x-opml', text);
    notify(t('opmlExported', { count }), { id: 'feeds' });
  } catch (error) {
    notify(error.message, { kind: 'error', id: 'feeds' });
  }
}
