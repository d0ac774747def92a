// Settings → Sync: the server, database and credentials, turning sync on
// and off, Sync now, and the state (live, last sync, the last error,
// documents ignored). The replication itself is js/sync.js.
import { t, relativeDate } from './i18n.js';
import { Sync, SyncError, loadSyncConfig, saveSyncConfig, remoteAddress } from './sync.js';

/**
 * @param {object} options
 * @param {(id: string) => HTMLElement} options.$
 * @param {(message: string, options?: object) => void} options.notify
 * @param {object} options.handlers what Sync needs from the page (see sync.js)
 * @returns {{ sync: () => Sync|null, startIfOn: () => Promise<void> }}
 */
export function setupSync({ $, notify, handlers }) {
  let sync = null;
  let lastStatus = null;
  const config = loadSyncConfig();
  if (config) {
    $('sync-url').value = config.url ?? '';
    $('sync-db').value = config.db ?? 'lectern';
    $('sync-user').value = config.username ?? '';
    $('sync-password').value = config.password ?? '';
    $('sync-remember').checked = Boolean(config.remember);
  }

  const render = () => {
    const on = Boolean(sync);
    $('sync-on').hidden = on;
    $('sync-now').hidden = !on;
    $('sync-off').hidden = !on;
    for (const id of ['sync-url', 'sync-db', 'sync-user', 'sync-password']) $(id).disabled = on;
    const status = lastStatus;
    const parts = [];
    if (!status || status.state === 'off') parts.push(t('syncOff'));
    else parts.push(t(`syncState_${status.state}`));
    if (status?.lastSync) parts.push(t('syncLast', { when: relativeDate(new Date(status.lastSync).toISOString()) }));
    if (status?.error) parts.push(t('syncProblem', { error: status.error }));
    if (status?.ignored) parts.push(t('syncIgnored', { count: status.ignored }));
    $('sync-status').textContent = parts.join(' · ');
    $('sync-status').classList.toggle('sync-failed', Boolean(status?.error));
    document.documentElement.dataset.sync = status?.state ?? 'off';
  };

  const form = () => ({
    url: $('sync-url').value.trim(),
    db: $('sync-db').value.trim(),
    username: $('sync-user').value.trim(),
    password: $('sync-password').value,
    remember: $('sync-remember').checked,
  });

  /** Starts sync with `settings`; resolves true when it is on. Nothing is saved when it fails. */
  const start = async (settings) => {
    let remote;
    try {
      remote = remoteAddress(settings.url, settings.db);
    } catch (error) {
      notify(t('syncFailed', { error: error.message }), { kind: 'error', id: 'sync' });
      return false;
    }
    const session = new Sync({ ...handlers, status: (status) => {
      lastStatus = status;
      render();
    } });
    try {
      await session.start({ address: remote.address, username: settings.username || remote.username, password: settings.password || remote.password });
    } catch (error) {
      await session.stop().catch(() => {});
      lastStatus = { state: 'off', error: error instanceof SyncError ? error.message : String(error.message), lastSync: null, ignored: 0 };
      render();
      notify(t('syncFailed', { error: lastStatus.error }), { kind: 'error', id: 'sync' });
      return false;
    }
    sync = session;
    render();
    return true;
  };

  $('sync-form').addEventListener('submit', async (event) => {
    event.preventDefault();
    const settings = form();
    $('sync-on').disabled = true;
    const started = await start(settings);
    $('sync-on').disabled = false;
    if (started) {
      saveSyncConfig({ ...settings, enabled: true });
      notify(t('syncStarted', { host: new URL(remoteAddress(settings.url, settings.db).address).host }), { id: 'sync' });
    }
  });

  $('sync-now').addEventListener('click', async () => {
    try {
      await sync?.syncNow();
      notify(t('syncDone'), { id: 'sync' });
    } catch (error) {
      notify(t('syncFailed', { error: error.message }), { kind: 'error', id: 'sync' });
    }
  });

  $('sync-off').addEventListener('click', async () => {
    const session = sync;
    sync = null;
    await session?.stop();
    const settings = form();
    saveSyncConfig({ ...settings, enabled: false });
    lastStatus = null;
    render();
  });

  render();
  return {
    sync: () => sync,
    /** At start: sync again when it was on (and the password is kept, or none is needed). */
    async startIfOn() {
      const saved = loadSyncConfig();
      if (!saved?.enabled) return;
      if (saved.username && !saved.password) {
        lastStatus = { state: 'off', error: t('syncNeedsPassword'), lastSync: null, ignored: 0 };
        render();
        return;
      }
      await start({ ...saved });
    },
  };
}
