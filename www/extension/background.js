// The extension's background (a service worker in Chromium, an event page in
// Firefox): "save this page" from the toolbar button, the page's context menu
// and a keyboard command, plus opening the reading list (a tab, or the side
// panel where the browser has one).
//
// Reading the page needs no standing permission: a click on the button or the
// menu, or the command, grants `activeTab` for that tab, and `scripting` runs
// one function in it that returns the document's HTML.
import { saveDocument } from './save-page.js';
import * as feeds from './feeds.js';
import { localized, resolveLocale } from '../js/i18n.js';

const READING_LIST = 'index.html';
const i18n = localized(resolveLocale('auto', [globalThis.navigator?.language ?? 'en']));
const { t } = i18n;

const MENU_SAVE = 'lectern-save-page';
const MENU_OPEN = 'lectern-open-list';
const MENU_PANEL = 'lectern-open-panel';
const MENU_SUBSCRIBE = 'lectern-subscribe';

chrome.runtime.onInstalled.addListener(() => {
  chrome.contextMenus.removeAll(() => {
    chrome.contextMenus.create({ id: MENU_SAVE, title: t('savePage'), contexts: ['page'] });
    chrome.contextMenus.create({ id: MENU_SUBSCRIBE, title: t('subscribeToPage'), contexts: ['page'] });
    chrome.contextMenus.create({ id: MENU_OPEN, title: t('openReadingList'), contexts: ['action'] });
    if (chrome.sidePanel?.open) chrome.contextMenus.create({ id: MENU_PANEL, title: t('openSidePanel'), contexts: ['action'] });
  });
  feeds.ensureAlarm();
});

// Subscriptions are refreshed by an alarm, which survives restarts; it is made again if it is gone.
chrome.runtime.onStartup?.addListener(() => feeds.ensureAlarm());
chrome.alarms.onAlarm.addListener((alarm) => {
  if (feeds.isRefreshAlarm(alarm)) feeds.refresh();
});

chrome.action.onClicked.addListener((tab) => {
  saveTab(tab);
});

chrome.contextMenus.onClicked.addListener((info, tab) => {
  if (info.menuItemId === MENU_SAVE) saveTab(tab);
  else if (info.menuItemId === MENU_SUBSCRIBE) subscribeToTab(tab);
  else if (info.menuItemId === MENU_OPEN) openReadingList();
  else if (info.menuItemId === MENU_PANEL && tab) chrome.sidePanel.open({ windowId: tab.windowId });
});

chrome.commands.onCommand.addListener((command, tab) => {
  if (command === 'save-page') {
    if (tab) saveTab(tab);
    else chrome.tabs.query({ active: true, currentWindow: true }).then(([active]) => active && saveTab(active));
  } else if (command === 'open-reading-list') {
    openReadingList();
  }
});

/**
 * Messages from the extension's own pages (nothing outside can send them: the
 * manifest has no externally_connectable): `{ type: 'save-tab', tabId }` saves
 * a tab as the toolbar button does.
 */
chrome.runtime.onMessage.addListener((message, sender, reply) => {
  if (sender.id !== chrome.runtime.id || !sender.url?.startsWith(chrome.runtime.getURL(''))) return false;
  if (message?.type === 'save-tab' && Number.isInteger(message.tabId)) {
    chrome.tabs.get(message.tabId).then(saveTab).then(reply, (error) => reply({ ok: false, error: error.message }));
    return true;
  }
  const feedRequest = FEED_REQUESTS[message?.type];
  if (feedRequest) {
    feedRequest(message).then((result) => reply({ ok: true, result }), (error) => reply({ ok: false, error: String(error?.message ?? error) }));
    return true;
  }
  return false;
});

/**
 * The reading list's feed settings ask the background (which keeps the
 * subscriptions and refreshes them); the page has asked for each feed's host
 * permission before it subscribes.
 */
const FEED_REQUESTS = {
  'feeds:list': () => feeds.listSubscriptions(),
  'feeds:subscribe': ({ url }) => feeds.subscribe(url),
  'feeds:unsubscribe': ({ url }) => feeds.unsubscribe(url),
  'feeds:refresh': () => feeds.refresh(),
  'feeds:interval': ({ minutes }) => feeds.setInterval(minutes),
  'feeds:import-opml': ({ text }) => feeds.importOpml(String(text ?? '')),
  'feeds:export-opml': () => feeds.exportOpml(),
};

/** Runs in the page: the feeds its head names (`<link rel="alternate">` of a feed type). */
function pageFeeds() {
  const types = ['application/rss+xml', 'application/atom+xml', 'application/feed+json', 'application/json'];
  return [...document.querySelectorAll('link[rel~="alternate"][href]')]
    .filter((link) => types.includes((link.type || '').toLowerCase().trim()))
    .map((link) => ({ url: link.href, title: link.title || null }));
}

/** "Subscribe to this page's feed": the first feed the page names, or the page itself when it is a feed. */
async function subscribeToTab(tab) {
  let outcome;
  try {
    const [injection] = await chrome.scripting.executeScript({ target: { tabId: tab.id }, func: pageFeeds });
    const found = injection?.result ?? [];
    const url = found[0]?.url ?? (/\.(rss|atom|xml)$|\/feed\/?$/i.test(tab.url ?? '') ? tab.url : null);
    if (!url) throw new Error(t('noFeedOnPage'));
    // The menu click lets the extension ask for the feed's host now.
    const granted = await chrome.permissions.request({ origins: [feeds.originPattern(url)] }).catch(() => false);
    if (!granted) throw new Error(t('feedPermissionRefused', { host: new URL(url).host }));
    const subscription = await feeds.subscribe(url);
    outcome = subscription?.error
      ? { ok: false, error: subscription.error }
      : { ok: true, title: subscription?.title ?? url, message: t('subscribed', { title: subscription?.title ?? url }) };
  } catch (error) {
    outcome = { ok: false, error: error.message };
  }
  await report(tab, outcome);
}

/** The function run in the page: its document, as the reader sees it now. */
function readDocument() {
  return { html: document.documentElement.outerHTML, url: document.URL, contentType: document.contentType };
}

/** Saves a tab's page; tells the reader how it went (in the page, and on the button). */
async function saveTab(tab) {
  let page;
  try {
    const [injection] = await chrome.scripting.executeScript({ target: { tabId: tab.id }, func: readDocument });
    page = injection?.result;
  } catch {
    page = null;
  }
  let outcome;
  if (!page) outcome = { ok: false, error: t('cannotReadPage') };
  else if (!/html/i.test(page.contentType ?? '')) outcome = { ok: false, error: `${page.contentType} is not a web page` };
  else {
    try {
      outcome = await saveDocument(page);
    } catch (error) {
      outcome = { ok: false, error: error.message };
    }
  }
  await report(tab, outcome);
  return outcome;
}

async function report(tab, outcome) {
  const message = outcome.message ?? (outcome.ok ? t('savedPage', { title: outcome.title }) : t('saveFailed', { error: outcome.error }));
  try {
    await chrome.action.setBadgeBackgroundColor({ tabId: tab.id, color: outcome.ok ? '#15803d' : '#b91c1c' });
    await chrome.action.setBadgeText({ tabId: tab.id, text: outcome.ok ? '✓' : '!' });
    await chrome.action.setTitle({ tabId: tab.id, title: message });
  } catch {
    // The tab may be gone.
  }
  try {
    await chrome.scripting.executeScript({ target: { tabId: tab.id }, func: showToast, args: [message, outcome.ok] });
  } catch {
    // A page Lectern may not touch: the button's badge and title say it.
  }
}

/** Runs in the page: a short notice, isolated in its own shadow root. */
function showToast(message, ok) {
  const id = 'lectern-save-notice';
  document.getElementById(id)?.remove();
  const host = document.createElement('div');
  host.id = id;
  const shadow = host.attachShadow({ mode: 'open' });
  const box = document.createElement('div');
  box.setAttribute('role', ok ? 'status' : 'alert');
  box.textContent = message;
  Object.assign(box.style, {
    position: 'fixed', insetBlockStart: '16px', insetInlineEnd: '16px', zIndex: '2147483647', maxWidth: '24rem',
    padding: '10px 14px', borderRadius: '8px', font: '14px/1.4 system-ui, sans-serif', color: '#fff',
    background: ok ? '#166534' : '#991b1b', boxShadow: '0 4px 16px rgb(0 0 0 / .25)',
  });
  shadow.append(box);
  document.documentElement.append(host);
  setTimeout(() => host.remove(), 5000);
}

/** Opens the reading list, or shows the tab that has it. */
async function openReadingList() {
  const url = chrome.runtime.getURL(READING_LIST);
  // The extension sees its own tabs without the "tabs" permission through
  // runtime.getContexts (Chromium 116+); elsewhere a new tab opens.
  const contexts = chrome.runtime.getContexts
    ? await chrome.runtime.getContexts({ contextTypes: ['TAB'], documentUrls: [url] }).catch(() => [])
    : [];
  const open = contexts.find((context) => context.tabId >= 0);
  if (open) {
    await chrome.tabs.update(open.tabId, { active: true });
    if (open.windowId >= 0) await chrome.windows.update(open.windowId, { focused: true });
  } else {
    await chrome.tabs.create({ url });
  }
}
