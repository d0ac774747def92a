// The address of what is on screen, in the hash: `#/article/<id>` for an
// article, `#/?q=…&category=…&source=…&year=…&from=…&to=…&unread=1&starred=1&sort=…`
// for the list with its search and filters.

/** The list state nobody chose: no search, no filters, default sort. */
export function emptyListState() {
  return { query: '', category: '', source: '', year: '', from: '', to: '', unread: false, starred: false, sort: '' };
}

const SORTS = ['newest', 'oldest', 'title', 'relevance'];

/** Reads a hash into { view: 'list', list } or { view: 'article', id, list }. */
export function parseHash(hash) {
  const raw = hash.replace(/^#/, '');
  const article = raw.match(/^\/article\/([^/?#]+)/);
  if (article) return { view: 'article', id: decodeURIComponent(article[1]), list: emptyListState() };
  const query = raw.includes('?') ? raw.slice(raw.indexOf('?') + 1) : '';
  const params = new URLSearchParams(query);
  const list = emptyListState();
  list.query = params.get('q') ?? '';
  list.category = params.get('category') ?? '';
  list.source = params.get('source') ?? '';
  list.year = /^\d{4}$/.test(params.get('year') ?? '') ? params.get('year') : '';
  list.from = /^\d{4}-\d{2}-\d{2}$/.test(params.get('from') ?? '') ? params.get('from') : '';
  list.to = /^\d{4}-\d{2}-\d{2}$/.test(params.get('to') ?? '') ? params.get('to') : '';
  list.unread = params.get('unread') === '1';
  list.starred = params.get('starred') === '1';
  list.sort = SORTS.includes(params.get('sort')) ? params.get('sort') : '';
  return { view: 'list', list };
}

/** The hash for a list state (only what differs from the defaults). */
export function listHash(list) {
  const params = new URLSearchParams();
  if (list.query) params.set('q', list.query);
  for (const key of ['category', 'source', 'year', 'from', 'to', 'sort']) if (list[key]) params.set(key, list[key]);
  if (list.unread) params.set('unread', '1');
  if (list.starred) params.set('starred', '1');
  const text = params.toString();
  return text ? `#/?${text}` : '#/';
}

/** The hash of an article. */
export function articleHash(id) {
  return `#/article/${encodeURIComponent(id)}`;
}
