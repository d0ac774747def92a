// Your reading state on every device, through CouchDB replication: PouchDB
// (vendor/pouchdb.js, loaded only when sync is turned on) keeps a local
// database in this browser and replicates it, live while the page is open,
// with any CouchDB-protocol server (Apache CouchDB, IBM Cloudant, PouchDB
// Server). Lectern invents no protocol and runs no server.
//
// Documents, one per thing that changes on its own:
//   mark:<article id>     { type: 'mark', fields: { read, starred, position: { value, at } } }
//   article:<article id>  { type: 'article', name, text, base?, added, updated }   (articles the reader added)
// A mark keeps a time per field, so concurrent changes on two devices merge
// field by field, the newest change of each winning: a star set on one and a
// read mark on the other both survive. An added article is its article file
// (parsed again on the other device, by the same sanitiser); removing it
// deletes the document, and the deletion replicates.
//
// Everything that comes from the server is checked before it is used: a
// document of another shape or another program is ignored (and counted),
// never rendered; an article is text parsed and sanitised like any file.
// The credentials go to PouchDB's `auth` option (never into a URL that could
// be logged), are stored only when the reader asks, and never in the
// reading list's export (they are not settings).

const CONFIG_KEY = 'lectern-sync';
const LOCAL_DB = 'lectern-sync';
export const MARK_FIELDS = ['read', 'starred', 'position'];
const ID = /^[0-9a-f]{16}$/;
const MAX_TEXT_CHARS = 8 * 1024 * 1024;
const MAX_NAME_CHARS = 1024;

/** The sync settings of this browser: { url, db, username, password?, remember, enabled } or null. */
export function loadSyncConfig() {
  try {
    const config = JSON.parse(localStorage.getItem(CONFIG_KEY) ?? 'null');
    return config && typeof config === 'object' && typeof config.url === 'string' ? config : null;
  } catch {
    return null;
  }
}

/** Saves the sync settings; the password only when `remember` is set. */
export function saveSyncConfig({ url, db, username, password, remember, enabled }) {
  const config = { url, db, username: username || '', remember: Boolean(remember), enabled: Boolean(enabled) };
  if (remember && password) config.password = password;
  localStorage.setItem(CONFIG_KEY, JSON.stringify(config));
}

export function forgetSyncConfig() {
  localStorage.removeItem(CONFIG_KEY);
}

/** Why sync could not start or stopped, in the reader's words. */
export class SyncError extends Error {}

let pouch = null;

/** PouchDB, loaded on first use. */
async function loadPouch() {
  pouch ??= import('../vendor/pouchdb.js').then(() => {
    if (typeof globalThis.PouchDB !== 'function') throw new Error('vendor/pouchdb.js did not define PouchDB');
    return globalThis.PouchDB;
  }).catch((error) => {
    pouch = null;
    throw new SyncError(`the sync library could not be loaded (${error.message})`);
  });
  return pouch;
}

/** What a server's answer means, without the credentials. */
export function describeSyncError(error, where) {
  const status = Number(error?.status) || 0;
  if (status === 401 || status === 403) return `the server at ${where} refused the user name or password`;
  if (status === 404) return `there is no database at ${where}`;
  if (!status || status >= 502 || error?.name === 'TypeError' || /fetch|network|ECONNREFUSED/i.test(String(error?.message))) {
    return `the server at ${where} could not be reached`;
  }
  return `the server at ${where} answered ${status}: ${error?.reason ?? error?.message ?? 'an error'}`;
}

/** The server's address and the database, checked; credentials in the address are taken out. */
export function remoteAddress(url, db) {
  let base;
  try {
    base = new URL(String(url).trim());
  } catch {
    throw new SyncError(`'${String(url).slice(0, 100)}' is not a server address`);
  }
  if (base.protocol !== 'https:' && base.protocol !== 'http:') throw new SyncError('the server address must start with https:// (or http://)');
  const username = decodeURIComponent(base.username);
  const password = decodeURIComponent(base.password);
  base.username = '';
  base.password = '';
  const name = String(db ?? '').trim();
  if (!/^[a-z][a-z0-9_$()+/-]*$/.test(name)) throw new SyncError(`'${name}' is not a database name (lower-case letters, digits and _$()+-/, starting with a letter)`);
  const path = base.pathname.endsWith('/') ? base.pathname : `${base.pathname}/`;
  return { address: `${base.origin}${path}${encodeURIComponent(name)}`, username, password };
}

/** A mark's field as documents hold it: position a number, read and starred booleans. */
const fieldValue = (mark, field) => (field === 'position' ? Number(mark.position) || 0 : Boolean(mark[field]));

/** A mark from a mark document, or null when the document is not one Lectern wrote. */
export function markFromDoc(doc) {
  const id = doc?._id?.startsWith('mark:') ? doc._id.slice(5) : null;
  if (!id || !ID.test(id) || doc.type !== 'mark' || !doc.fields || typeof doc.fields !== 'object') return null;
  const mark = { id, read: false, starred: false, position: 0, updated: 0 };
  for (const field of MARK_FIELDS) {
    const entry = doc.fields[field];
    if (entry === undefined) continue;
    if (!entry || typeof entry !== 'object' || !Number.isFinite(entry.at) || entry.at < 0) return null;
    const valid = field === 'position' ? Number.isFinite(entry.value) && entry.value >= 0 && entry.value <= 1 : typeof entry.value === 'boolean';
    if (!valid) return null;
    mark[field] = entry.value;
    mark.updated = Math.max(mark.updated, entry.at);
  }
  return mark;
}

/** An added article's file from its document, or null when the document is not one Lectern wrote. */
export function fileFromDoc(doc) {
  const id = doc?._id?.startsWith('article:') ? doc._id.slice(8) : null;
  if (!id || !ID.test(id) || doc.type !== 'article') return null;
  if (typeof doc.name !== 'string' || !doc.name || doc.name.length > MAX_NAME_CHARS) return null;
  if (typeof doc.text !== 'string' || !doc.text || doc.text.length > MAX_TEXT_CHARS) return null;
  if (doc.base !== undefined && (typeof doc.base !== 'string' || !/^https?:\/\//i.test(doc.base))) return null;
  return { id, name: doc.name, text: doc.text, ...(doc.base ? { base: doc.base } : {}) };
}

/** Of several revisions of one mark document, each field's newest change. */
export function mergeMarkDocs(docs) {
  const [winner] = docs;
  const fields = {};
  for (const field of MARK_FIELDS) {
    for (const doc of docs) {
      const entry = doc.fields?.[field];
      if (entry && Number.isFinite(entry.at) && (!fields[field] || entry.at > fields[field].at)) fields[field] = entry;
    }
  }
  return { ...winner, fields };
}

/**
 * One sync session. `handlers` connect it to the page:
 *   marks() → the page's marks (Map), articles() → its added-article records, article(id) → one,
 *   applyMarks(marks), applyArticles(files), removeArticles(ids): what came from the server,
 *   status(status): { state, lastSync, error, ignored } for the settings.
 */
export class Sync {
  #handlers;
  #local = null;
  #remote = null;
  #live = null;
  #changes = null;
  #queue = Promise.resolve();
  #where = '';
  #ignored = new Set();
  #status = { state: 'off', lastSync: null, error: null, ignored: 0 };

  constructor(handlers) {
    this.#handlers = handlers;
  }

  get status() {
    return { ...this.#status };
  }

  #set(changes) {
    this.#status = { ...this.#status, ...changes, ignored: this.#ignored.size };
    this.#handlers.status(this.status);
  }

  /**
   * Connects to `address` (from remoteAddress) and replicates, live. Rejects
   * with a SyncError, having changed nothing here, when the server cannot be
   * reached or refuses the credentials.
   */
  async start({ address, username, password }) {
    const PouchDB = await loadPouch();
    this.#where = new URL(address).host;
    this.#set({ state: 'connecting', error: null });
    const remote = new PouchDB(address, { auth: username ? { username, password } : undefined, skip_setup: false });
    try {
      // Makes the database when it is missing (and the user may), and checks the credentials.
      await remote.info();
    } catch (error) {
      await remote.close().catch(() => {});
      const message = describeSyncError(error, this.#where);
      this.#set({ state: 'off', error: message });
      throw new SyncError(message);
    }
    this.#remote = remote;
    this.#local = new PouchDB(LOCAL_DB);
    const { update_seq: since } = await this.#local.info();
    // What this browser changed while sync was off goes in first (the newer of each field wins), then
    // what the local database holds is applied here, then every change from now on, in order.
    await this.#enqueue(() => this.#seed());
    await this.#enqueue(() => this.#catchUp());
    this.#changes = this.#local.changes({ since, live: true, include_docs: true, conflicts: true })
      .on('change', (change) => this.#enqueue(() => this.#incoming(change.doc)))
      .on('error', (error) => this.#set({ error: `the local sync database: ${error.message}` }));
    await this.syncNow();
    this.#live = this.#local.sync(this.#remote, { live: true, retry: true, back_off_function: (delay) => Math.min(delay ? delay * 2 : 1000, 15_000) })
      .on('change', () => this.#set({ state: 'live', lastSync: Date.now(), error: null }))
      .on('paused', (error) => this.#set(error ? { state: 'retrying', error: describeSyncError(error, this.#where) } : { state: 'live', lastSync: Date.now(), error: null }))
      .on('active', () => this.#set({ state: 'live', error: null }))
      .on('denied', (error) => this.#set({ error: `the server refused a change: ${error?.reason ?? error?.message ?? 'denied'}` }))
      .on('error', (error) => this.#set({ state: 'error', error: describeSyncError(error, this.#where) }));
  }

  /** One replication both ways, now. */
  async syncNow() {
    if (!this.#local) throw new SyncError('sync is off');
    this.#set({ state: 'syncing' });
    try {
      await this.#local.sync(this.#remote);
      // The changes the pull brought are applied before the status says done.
      await this.#enqueue(() => {});
      this.#set({ state: this.#live ? 'live' : 'synced', lastSync: Date.now(), error: null });
    } catch (error) {
      this.#set({ state: 'error', error: describeSyncError(error, this.#where) });
      throw new SyncError(describeSyncError(error, this.#where));
    }
  }

  /** Stops replicating (the local database stays, so turning it on again sends only what changed). */
  async stop() {
    this.#live?.cancel();
    this.#changes?.cancel();
    await this.#queue.catch(() => {});
    await this.#remote?.close().catch(() => {});
    await this.#local?.close().catch(() => {});
    this.#live = this.#changes = this.#remote = this.#local = null;
    this.#set({ state: 'off', error: null });
  }

  /** A mark changed here. */
  markChanged(mark) {
    if (this.#local) this.#enqueue(() => this.#pushMark(mark));
  }

  /** Added articles were saved here (records as the store keeps them). */
  articlesChanged(records) {
    if (this.#local) this.#enqueue(async () => {
      for (const record of records) await this.#pushArticle(record);
    });
  }

  /** An added article was removed here. */
  articleRemoved(id) {
    if (this.#local) this.#enqueue(async () => {
      const doc = await this.#get(`article:${id}`);
      if (doc) await this.#local.remove(doc);
    });
  }

  /** Runs `work` after everything queued before it (changes here and from the server, in order). */
  #enqueue(work) {
    const run = this.#queue.then(work);
    this.#queue = run.catch((error) => this.#set({ error: `sync: ${error.message}` }));
    return run;
  }

  async #get(id) {
    try {
      return await this.#local.get(id);
    } catch (error) {
      if (error.status === 404) return null;
      throw error;
    }
  }

  /** Everything this browser has, into the local database (only what differs is written). */
  async #seed() {
    for (const mark of this.#handlers.marks().values()) await this.#pushMark(mark);
    for (const record of await this.#handlers.articles()) await this.#pushArticle(record);
  }

  /** Applies every document the local database holds (brought by an earlier session), in batches. */
  async #catchUp() {
    const { rows } = await this.#local.allDocs({ include_docs: true, conflicts: true });
    const marks = [];
    const files = [];
    for (const { doc } of rows) {
      const checked = this.#checked(doc);
      if (checked === true) await this.#resolve(doc);
      else if (checked?.kind === 'mark' && await this.#differs(checked.value)) marks.push(checked.value);
      else if (checked?.kind === 'file' && await this.#differs(checked.value)) files.push(checked.value);
    }
    if (marks.length) await this.#handlers.applyMarks(marks);
    for (let start = 0; start < files.length; start += 100) await this.#handlers.applyArticles(files.slice(start, start + 100));
  }

  /**
   * What a document is: `{ kind: 'mark' | 'file', value }`, `true` when it needs
   * more than reading (a conflict to resolve), or null (not Lectern's: counted).
   */
  #checked(doc) {
    if (!doc || doc._id.startsWith('_design/') || doc._id.startsWith('_local/')) return null;
    if (doc._conflicts?.length) return true;
    const mark = doc._id.startsWith('mark:') ? markFromDoc(doc) : null;
    const file = !mark && doc._id.startsWith('article:') ? fileFromDoc(doc) : null;
    if (!mark && !file) {
      if (!this.#ignored.has(doc._id)) {
        this.#ignored.add(doc._id);
        this.#set({});
      }
      return null;
    }
    if (this.#ignored.delete(doc._id)) this.#set({});
    return mark ? { kind: 'mark', value: mark } : { kind: 'file', value: file };
  }

  /** True when a mark or an article file from the server is not what this browser has. */
  async #differs(value) {
    if ('text' in value) return (await this.#handlers.article(value.id))?.text !== value.text;
    const local = this.#handlers.marks().get(value.id);
    return !local || MARK_FIELDS.some((field) => fieldValue(local, field) !== value[field]);
  }

  async #pushMark(mark) {
    const id = `mark:${mark.id}`;
    const doc = (await this.#get(id)) ?? { _id: id, type: 'mark', fields: {} };
    const at = Number.isFinite(mark.updated) ? mark.updated : 0;
    let changed = false;
    for (const field of MARK_FIELDS) {
      const value = fieldValue(mark, field);
      const entry = doc.fields[field];
      if (entry?.value === value || (entry && entry.at > at)) continue;
      // A field never set here (still its default) is not a change: written as of time 0, so
      // any device's real change to it wins the merge.
      const isDefault = field === 'position' ? value === 0 : value === false;
      doc.fields[field] = { value, at: !entry && isDefault ? 0 : at };
      changed = true;
    }
    if (changed) await this.#local.put(doc);
  }

  async #pushArticle(record) {
    if (typeof record.text !== 'string' || record.text.length > MAX_TEXT_CHARS) return;
    const id = `article:${record.id}`;
    const doc = await this.#get(id);
    if (doc?.text === record.text && doc.name === record.name) return;
    await this.#local.put({
      ...(doc ?? { _id: id }),
      type: 'article', name: record.name, text: record.text, ...(record.base ? { base: record.base } : {}),
      added: record.added ?? Date.now(), updated: Date.now(),
    });
  }

  /** A document changed in the local database (from here or from the server). */
  async #incoming(doc) {
    if (doc?._deleted) {
      if (doc._id.startsWith('article:') && ID.test(doc._id.slice(8))) await this.#handlers.removeArticles([doc._id.slice(8)]);
      return;
    }
    const checked = this.#checked(doc);
    // A conflict is merged and written again: that write comes back here without conflicts.
    if (checked === true) await this.#resolve(doc);
    else if (checked?.kind === 'mark' && await this.#differs(checked.value)) await this.#handlers.applyMarks([checked.value]);
    else if (checked?.kind === 'file' && await this.#differs(checked.value)) await this.#handlers.applyArticles([checked.value]);
  }

  async #resolve(doc) {
    const others = await Promise.all(doc._conflicts.map((rev) => this.#local.get(doc._id, { rev }).catch(() => null)));
    const revisions = [doc, ...others.filter(Boolean)];
    let merged;
    if (doc._id.startsWith('mark:')) merged = mergeMarkDocs(revisions.filter((r) => r.fields && typeof r.fields === 'object'));
    else merged = revisions.reduce((newest, r) => ((Number(r.updated) || 0) > (Number(newest.updated) || 0) ? r : newest));
    const { _conflicts, ...winner } = { ...merged, _rev: doc._rev };
    await this.#local.bulkDocs([winner, ...others.filter(Boolean).map((r) => ({ _id: r._id, _rev: r._rev, _deleted: true }))]);
  }
}
