// The reading list page: loads the collection served next to it, lists the
// articles, and shows one when its link is followed (#/article/<id>).
import { loadCore, parseArticles } from './core.js';
import { fetchCollection } from './collection.js';
import { setArticleHtml } from './html-sink.js';
import { h, formatDate } from './dom.js';

const state = { articles: [], byId: new Map() };
const $ = (id) => document.getElementById(id);

function setStatus(text) {
  $('status').textContent = text;
}

function source(article) {
  return article.author || article.categories[1] || article.categories[0] || '';
}

function listItem(article) {
  const meta = [source(article), formatDate(article.date), `${article.readingMinutes} min`].filter(Boolean).join(' · ');
  const thumbnail = article.image
    ? h('img', { class: 'thumb', src: article.image, alt: '', loading: 'lazy', decoding: 'async', referrerpolicy: 'no-referrer' })
    : null;
  return h('li', { class: 'item', lang: article.lang, dir: article.dir },
    h('a', { class: 'item-link', href: `#/article/${article.id}` },
      h('div', { class: 'item-text' },
        h('h2', { class: 'item-title' }, article.title),
        h('p', { class: 'item-meta', dir: 'auto' }, meta),
        h('p', { class: 'item-excerpt' }, article.excerpt)),
      thumbnail));
}

function renderList() {
  $('list').replaceChildren(...state.articles.map(listItem));
}

function showList() {
  $('article-view').hidden = true;
  $('list-view').hidden = false;
  document.title = 'Lectern';
}

function showArticle(article) {
  $('list-view').hidden = true;
  const view = $('article-view');
  view.hidden = false;
  view.lang = article.lang || '';
  view.dir = article.dir;
  $('article-title').textContent = article.title;
  $('article-meta').textContent = [source(article), formatDate(article.date), `${article.readingMinutes} min read`]
    .filter(Boolean).join(' · ');
  setArticleHtml($('article-body'), article.html);
  document.title = `${article.title} · Lectern`;
  window.scrollTo(0, 0);
}

function route() {
  const match = location.hash.match(/^#\/article\/([0-9a-f]+)$/);
  const article = match && state.byId.get(match[1]);
  if (article) showArticle(article);
  else showList();
}

async function start() {
  setStatus('Loading…');
  try {
    const [{ files, failures: downloadFailures }] = await Promise.all([
      fetchCollection((done, total) => setStatus(`Downloading ${done} / ${total}…`)),
      loadCore(),
    ]);
    const { articles, failures } = await parseArticles(files, (done, total) => setStatus(`Reading ${done} / ${total}…`));
    articles.sort((a, b) => (b.date || '').localeCompare(a.date || ''));
    state.articles = articles;
    state.byId = new Map(articles.map((a) => [a.id, a]));
    renderList();
    const failed = [...downloadFailures, ...failures];
    setStatus(`${articles.length} articles${failed.length ? ` · ${failed.length} could not be read` : ''}`);
    for (const failure of failed) console.warn(`${failure.name}: ${failure.error}`);
    route();
  } catch (error) {
    setStatus(`Could not load the collection: ${error.message}`);
  }
}

window.addEventListener('hashchange', route);
start();
