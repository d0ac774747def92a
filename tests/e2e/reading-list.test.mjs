// The reading list in Chromium, over the sample articles: list, search,
// filters, opening, keyboard, deep links, back button, no CSP violations.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import {
  ROOT, useServerAndBrowser, openPage, gotoReady, waitReady, listTitles, listCount, routeExampleImages, parseNative,
} from './helpers.mjs';

const SAMPLES = path.join(ROOT, 'samples');
const session = useServerAndBrowser(SAMPLES);
let articles;

before(async () => {
  articles = await parseNative(SAMPLES);
  assert.ok(articles.length >= 10, `lectern parse read the samples (${articles.length})`);
});


const fold = (s) => (s ?? '').toLowerCase();
/** What the search must find: every article containing the query in its title, categories, author or text. */
function expectedTitles(query) {
  const q = fold(query);
  return articles
    .filter((a) => [a.title, ...a.categories, a.author, a.text].some((field) => fold(field).includes(q)))
    .map((a) => a.title)
    .sort();
}

async function search(page, query) {
  await page.fill('#search', query);
  await page.waitForFunction((q) => (new URLSearchParams(location.hash.split('?')[1] ?? '').get('q') ?? '') === q, query);
}

test('lists every article, newest first, with source, dates, reading time, thumbnails and chips', async () => {
  const { page, problems, context } = await openPage(session.browser, null, { route: routeExampleImages });
  await gotoReady(page, session.server.url);
  assert.equal(await listCount(page), articles.length);
  assert.equal(await page.textContent('#result-count'), `${articles.length} articles`);
  const titles = await listTitles(page);
  const dated = articles.filter((a) => a.date).sort((a, b) => b.date.localeCompare(a.date));
  assert.deepEqual(titles.slice(0, 3), dated.slice(0, 3).map((a) => a.title), 'newest first');

  const row = page.locator('#list .item', { hasText: '剁辣椒' });
  const time = row.locator('time');
  assert.match(await time.textContent(), /ago$/, 'relative date');
  assert.match(await time.getAttribute('title'), /2022/, 'exact date on hover');
  assert.equal(await time.getAttribute('datetime'), '2022-08-13T12:14:54Z');
  assert.match(await row.locator('.item-meta').textContent(), /阿禾.*min read/);
  assert.deepEqual(await row.locator('.chip').allTextContents(), ['生活', '下厨笔记', '家常菜']);
  assert.equal(await row.locator('img.thumb').getAttribute('referrerpolicy'), 'no-referrer');
  assert.ok(await row.evaluate((r) => r.classList.contains('unread')), 'new articles are unread');
  assert.equal(await page.getAttribute('#list .item .item-title >> nth=0', 'lang') !== null, true);
  assert.deepEqual(problems.errors, []);
  await context.close();
});

test('search finds a Chinese word in the middle of a sentence, highlights it, and keeps filters', async () => {
  const { page, problems, context } = await openPage(session.browser, session.server.url, { route: routeExampleImages });
  // Words from the middle of sentences, no spaces around them.
  for (const query of ['红尖椒', '末班车', '桜の開花', 'SQLite', 'sqlite', 'الألواح']) {
    await search(page, query);
    const expected = expectedTitles(query);
    assert.ok(expected.length >= 1, `'${query}' occurs in the samples`);
    assert.equal(await listCount(page), expected.length, `results for '${query}'`);
    assert.deepEqual((await listTitles(page)).sort(), expected, `the articles containing '${query}'`);
  }
  // The snippet shows the word in a <mark>.
  await search(page, '红尖椒');
  const marks = await page.$$eval('#list .item-excerpt mark', (nodes) => nodes.map((n) => n.textContent));
  assert.deepEqual(marks, ['红尖椒']);
  const excerpt = await page.textContent('#list .item-excerpt');
  assert.ok(!excerpt.startsWith('红尖椒'), 'the word was in the middle of the text');
  assert.equal(await page.$eval('#sort', (s) => s.value), 'relevance', 'searching sorts by relevance');

  // Search keeps the filters: a category plus a query.
  await search(page, '');
  await page.selectOption('#filter-category', '新闻');
  assert.equal(await listCount(page), 2);
  await search(page, '末班车');
  assert.deepEqual(await listTitles(page), expectedTitles('末班车').filter((t) => articles.find((a) => a.title === t).categories.includes('新闻')));
  assert.match(page.url(), /category=%E6%96%B0%E9%97%BB/);

  // Nothing found: the page says so and offers to clear filters.
  await search(page, '不存在的词语zzz');
  assert.equal(await listCount(page), 0);
  await page.waitForSelector('#empty:not([hidden])');
  assert.match(await page.textContent('#empty-text'), /No articles match “不存在的词语zzz” with these filters/);
  await page.click('#empty-clear');
  assert.equal(await listCount(page), articles.length);
  assert.equal(await page.inputValue('#search'), '');
  assert.equal(await page.$eval('#filter-category', (s) => s.value), '');

  // "/" focuses the search box, Esc clears it.
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'search');
  await page.keyboard.type('渡船');
  await page.waitForFunction(() => location.hash.includes('q='));
  assert.equal(await listCount(page), expectedTitles('渡船').length);
  await page.keyboard.press('Escape');
  assert.equal(await page.inputValue('#search'), '');
  await page.waitForFunction((n) => document.querySelector('#list .item')?.getAttribute('aria-setsize') === String(n), articles.length);
  assert.deepEqual(problems.errors, []);
  await context.close();
});

test('filters by category, source, year, date range, unread and starred, with counts', async () => {
  const { page, problems, context } = await openPage(session.browser, session.server.url, { route: routeExampleImages });
  const count = (predicate) => articles.filter(predicate).length;
  const optionText = (select, value) => page.$eval(`${select} option[value="${value}"]`, (o) => o.textContent);

  assert.equal(await optionText('#filter-category', '新闻'), `新闻 (${count((a) => a.categories.includes('新闻'))})`);
  assert.equal(await optionText('#filter-year', '2022'), `2022 (${count((a) => a.date?.startsWith('2022'))})`);
  await page.selectOption('#filter-year', '2022');
  assert.equal(await listCount(page), count((a) => a.date?.startsWith('2022')));
  // Counts of other facets follow the year filter.
  assert.equal(await optionText('#filter-category', '新闻'), `新闻 (${count((a) => a.categories.includes('新闻') && a.date?.startsWith('2022'))})`);
  await page.selectOption('#filter-source', '阿禾');
  assert.deepEqual(await listTitles(page), articles.filter((a) => a.source === '阿禾').map((a) => a.title));
  await page.click('#clear-filters');
  assert.equal(await listCount(page), articles.length);

  await page.fill('#filter-from', '2022-07-01');
  await page.dispatchEvent('#filter-from', 'change');
  await page.fill('#filter-to', '2023-06-30');
  await page.dispatchEvent('#filter-to', 'change');
  const inRange = articles.filter((a) => a.date && a.date >= '2022-07-01' && a.date.slice(0, 10) <= '2023-06-30').map((a) => a.title).sort();
  assert.deepEqual((await listTitles(page)).sort(), inRange);
  assert.match(page.url(), /from=2022-07-01&to=2023-06-30/);
  await page.click('#clear-filters');

  // Star one article from the list with the keyboard, read another by opening it.
  await page.keyboard.press('j');
  await page.keyboard.press('s');
  const starredTitle = (await listTitles(page))[0];
  await page.keyboard.press('j');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#article-view:not([hidden])');
  const readTitle = await page.textContent('#article-title');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#list-view:not([hidden])');
  assert.match(await page.textContent('#filter-starred-label'), /Starred only \(1\)/);
  assert.match(await page.textContent('#filter-unread-label'), new RegExp(`Unread only \\(${articles.length - 1}\\)`));
  await page.check('#filter-starred');
  assert.deepEqual(await listTitles(page), [starredTitle]);
  await page.uncheck('#filter-starred');
  await page.check('#filter-unread');
  assert.equal(await listCount(page), articles.length - 1);
  assert.ok(!(await listTitles(page)).includes(readTitle));
  assert.match(page.url(), /unread=1/);
  assert.deepEqual(problems.errors, []);
  await context.close();
});

test('opens an article: sanitised body, dir and lang, outline, star, read, previous / next, original', async () => {
  const { page, problems, context } = await openPage(session.browser, session.server.url, { route: routeExampleImages });
  const weather = articles.find((a) => a.title.includes('weather station'));
  await page.click(`#list .item-link:has-text("weather station")`);
  await page.waitForSelector('#article-view:not([hidden])');
  assert.equal(page.url(), `${session.server.url}#/article/${weather.id}`);
  assert.equal(await page.textContent('#article-title'), weather.title);
  assert.equal(await page.getAttribute('#article-body', 'lang'), 'en');
  const outline = await page.$$eval('#outline-list .outline-item', (items) => items.map((i) => i.textContent));
  assert.deepEqual(outline, weather.outline.map((h) => h.text));
  assert.equal(await page.getAttribute('#original-link', 'href'), weather.link);
  assert.equal(await page.getAttribute('#original-link', 'rel'), 'noopener noreferrer');
  assert.equal(await page.$$eval('#article-body script, #article-body style, #article-body [onclick]', (n) => n.length), 0);
  // Opening marked it read; the buttons say so.
  assert.equal(await page.getAttribute('#read-button', 'aria-pressed'), 'true');
  await page.click('#star-button');
  assert.equal(await page.getAttribute('#star-button', 'aria-pressed'), 'true');
  // The outline jumps to its heading.
  await page.$eval('#article-outline', (details) => { details.open = true; });
  await page.locator('#outline-list .outline-item').nth(3).click();
  const headingTop = await page.evaluate((text) => [...document.querySelectorAll('#article-body h2, #article-body h3')].find((h) => h.textContent === text).getBoundingClientRect().top, weather.outline[3].text);
  assert.ok(headingTop >= 0 && headingTop < 300, `heading scrolled into view (${headingTop})`);

  // Font size and theme.
  const size = () => page.$eval('#article-body', (b) => parseFloat(getComputedStyle(b).fontSize));
  const before = await size();
  await page.click('#larger-button');
  assert.ok(await size() > before);
  // Previous / next follow the list order; Arabic is right to left.
  const arabic = articles.find((a) => a.lang === 'ar');
  await page.goto(`${session.server.url}#/article/${arabic.id}`);
  await page.waitForFunction((title) => document.querySelector('#article-title').textContent === title, arabic.title);
  assert.equal(await page.getAttribute('#article-body', 'dir'), 'rtl');
  assert.equal(await page.getAttribute('#article-title', 'lang'), 'ar');
  const next = await page.textContent('#next-link');
  await page.click('#next-button');
  await page.waitForFunction((title) => document.querySelector('#article-title').textContent !== title, arabic.title);
  assert.ok(next.includes(await page.textContent('#article-title')));
  await page.click('#prev-button');
  await page.waitForFunction((title) => document.querySelector('#article-title').textContent === title, arabic.title);
  assert.deepEqual(problems.errors, []);
  await context.close();
});

test('keyboard: j/k move, o and Enter open, Esc back, s star, m read, ? shortcuts, / search', async () => {
  const { page, problems, context } = await openPage(session.browser, session.server.url, { route: routeExampleImages });
  const titles = await listTitles(page);
  const selectedTitle = () => page.$eval('#list .item.selected .item-link', (a) => a.textContent.replace(/^(Unread: )?(Starred: )?/, ''));
  await page.keyboard.press('j');
  assert.equal(await selectedTitle(), titles[0]);
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  assert.equal(await selectedTitle(), titles[2]);
  await page.keyboard.press('k');
  assert.equal(await selectedTitle(), titles[1]);
  assert.equal(await page.evaluate(() => document.activeElement.closest('.item')?.classList.contains('selected')), true, 'focus follows the selection');
  await page.keyboard.press('o');
  await page.waitForSelector('#article-view:not([hidden])');
  assert.equal(await page.textContent('#article-title'), titles[1]);
  // In an article: j / k go to the next / previous article of the list.
  await page.keyboard.press('j');
  await page.waitForFunction((t) => document.querySelector('#article-title').textContent === t, titles[2]);
  await page.keyboard.press('k');
  await page.waitForFunction((t) => document.querySelector('#article-title').textContent === t, titles[1]);
  await page.keyboard.press('s');
  assert.equal(await page.getAttribute('#star-button', 'aria-pressed'), 'true');
  await page.keyboard.press('m');
  assert.equal(await page.getAttribute('#read-button', 'aria-pressed'), 'false');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#list-view:not([hidden])');
  assert.equal(await selectedTitle(), titles[1], 'the list keeps the selection');
  const row = page.locator('#list .item.selected');
  assert.ok(await row.evaluate((r) => r.classList.contains('starred') && r.classList.contains('unread')));
  await page.keyboard.press('m');
  assert.ok(await row.evaluate((r) => r.classList.contains('read')));
  await page.keyboard.press('Enter');
  await page.waitForSelector('#article-view:not([hidden])');
  await page.keyboard.press('Escape');
  await page.waitForSelector('#list-view:not([hidden])');
  await page.keyboard.press('?');
  await page.waitForSelector('#help-dialog[open]');
  assert.match(await page.textContent('#help-dialog'), /Star \/ unstar/);
  await page.keyboard.press('Escape');
  await page.waitForSelector('#help-dialog:not([open])', { state: 'attached' });
  await page.keyboard.press('/');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'search');
  assert.deepEqual(problems.errors, []);
  await context.close();
});

test('deep links open an article or a search with filters; the back button returns', async () => {
  const { page, problems, context } = await openPage(session.browser, null, { route: routeExampleImages });
  const chili = articles.find((a) => a.title.includes('剁辣椒'));
  await gotoReady(page, `${session.server.url}#/article/${chili.id}`);
  await page.waitForSelector('#article-view:not([hidden])');
  assert.equal(await page.textContent('#article-title'), chili.title);
  assert.equal(await page.getAttribute('#article-body', 'lang'), 'zh');

  await gotoReady(page, `${session.server.url}#/?q=${encodeURIComponent('辣椒')}&category=${encodeURIComponent('生活')}`);
  assert.equal(await page.inputValue('#search'), '辣椒');
  assert.equal(await page.$eval('#filter-category', (s) => s.value), '生活');
  assert.deepEqual(await listTitles(page), [chili.title]);

  // List → article → back → the same search, filters and list.
  await page.click('#list .item-link');
  await page.waitForSelector('#article-view:not([hidden])');
  await page.goBack();
  await page.waitForSelector('#list-view:not([hidden])');
  assert.equal(await page.inputValue('#search'), '辣椒');
  assert.deepEqual(await listTitles(page), [chili.title]);
  await page.goForward();
  await page.waitForSelector('#article-view:not([hidden])');
  assert.equal(await page.textContent('#article-title'), chili.title);
  // "All articles" goes back too.
  await page.click('#back-button');
  await page.waitForSelector('#list-view:not([hidden])');
  assert.match(page.url(), /q=%E8%BE%A3%E6%A4%92/);

  // An unknown id says so.
  await gotoReady(page, `${session.server.url}#/article/0000000000000000`);
  await page.waitForSelector('[data-notice-id="not-found"]');
  assert.ok(await page.isVisible('#list-view'));
  assert.deepEqual(problems.errors.filter((e) => !e.includes('0000000000000000')), []);
  await context.close();
});

test('the page language follows the browser and can be switched', async () => {
  const { page, problems, context } = await openPage(session.browser, null, { locale: 'zh-CN', route: routeExampleImages });
  await gotoReady(page, session.server.url);
  assert.equal(await page.textContent('#add-button'), '添加文章');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.match(await page.textContent('#result-count'), /篇文章/);
  await page.click('#settings-button');
  await page.selectOption('#locale-select', 'en');
  assert.equal(await page.textContent('#add-button'), 'Add articles');
  await page.keyboard.press('Escape');
  await page.reload();
  await waitReady(page);
  assert.equal(await page.textContent('#add-button'), 'Add articles', 'the choice is kept');
  assert.deepEqual(problems.errors, []);
  await context.close();
});
