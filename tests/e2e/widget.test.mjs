// <lectern-reader> on the demo host page (www/widget-demo.html): two widgets
// and a lazy third one over the sample collection, a strict CSP with Trusted
// Types enforced, and a hostile host style sheet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ROOT, useServerAndBrowser, watchProblems, routeExampleImages } from './helpers.mjs';

const SAMPLES = path.join(ROOT, 'samples');
const SHOTS = path.join(ROOT, 'test-results', 'screenshots');
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
/** Articles in the sample collection (what each widget must load). */
const SAMPLE_COUNT = readdirSync(SAMPLES).filter((name) => /\.(md|html?)$/i.test(name) && !/^readme\./i.test(name)).length;

const session = useServerAndBrowser(SAMPLES);



/** Opens the demo; records the widgets' events (on window: they bubble out of the shadow roots). */
async function openDemo({ colorScheme = 'light', bypassCSP = false, route } = {}) {
  const context = await session.browser.newContext({ viewport: { width: 1280, height: 1000 }, colorScheme, bypassCSP });
  await routeExampleImages(context);
  if (route) await route(context);
  const page = await context.newPage();
  const problems = await watchProblems(page);
  await page.addInitScript(() => {
    window.lecternEvents = [];
    for (const type of ['lectern-load', 'lectern-open', 'lectern-search', 'lectern-error']) {
      window.addEventListener(type, (event) => {
        window.lecternEvents.push({
          type, target: event.target.id, bubbles: event.bubbles, composed: event.composed,
          detail: JSON.parse(JSON.stringify({ ...event.detail, cause: undefined })),
        });
      });
    }
  });
  await page.goto(`${session.server.url}widget-demo.html`);
  return { context, page, problems };
}

/** Waits for a widget's n-th lectern-load event (1 = its first load). */
function waitLoaded(page, id, nth = 1) {
  return page.waitForFunction(([target, n]) => window.lecternEvents.filter((e) => e.type === 'lectern-load' && e.target === target).length >= n, [id, nth], { timeout: 60_000 });
}

/**
 * Brings each widget into view in turn (they load lazily; the hostile sheet
 * stacks them) and waits for its first load; leaves the page at the top.
 */
async function showAndWait(page, ...ids) {
  for (const id of ids) {
    await page.$eval(`#${id}`, (el) => el.scrollIntoView());
    await waitLoaded(page, id);
  }
  await page.evaluate(() => window.scrollTo(0, 0));
}

/** The titles of the rows a widget shows. */
function rowTitles(page, id) {
  return page.$$eval(`#${id} li.item .item-link`, (links) => links.map((a) => a.textContent.trim()));
}

function events(page, type, target) {
  return page.evaluate(([t, id]) => window.lecternEvents.filter((e) => e.type === t && (!id || e.target === id)), [type, target]);
}

test('both widgets render the collection and search independently; the WASM loads once', async () => {
  const { context, page, problems } = await openDemo();
  await showAndWait(page, 'first', 'second');
  assert.equal(await page.$eval('#first', (el) => el.size), SAMPLE_COUNT);
  assert.equal(await page.$eval('#second', (el) => el.size), SAMPLE_COUNT);
  assert.equal((await rowTitles(page, 'first')).length, 5, 'page-size 5');
  assert.equal((await rowTitles(page, 'second')).length, 3, 'page-size 3');
  const secondBefore = await rowTitles(page, 'second');

  await page.fill('#first input[type=search]', 'weather');
  await page.waitForFunction(() => window.lecternEvents.some((e) => e.type === 'lectern-search' && e.target === 'first' && e.detail.query === 'weather'));
  const [search] = await events(page, 'lectern-search', 'first');
  assert.ok(search.detail.total >= 1 && search.detail.total < SAMPLE_COUNT, `weather matches some: ${search.detail.total}`);
  const firstRows = await page.$$eval('#first li.item', (rows) => rows.map((row) => row.textContent.toLowerCase()));
  assert.equal(firstRows.length, Math.min(5, search.detail.total));
  for (const row of firstRows) assert.match(row, /weather/, 'every row matches');
  assert.ok(await page.$$eval('#first li.item mark', (marks) => marks.length) > 0, 'matches highlighted');
  // The other widget is untouched.
  assert.deepEqual(await rowTitles(page, 'second'), secondBefore);
  assert.equal(await page.$$eval('#second li.item mark', (marks) => marks.length), 0);
  assert.equal(await page.$eval('#second .count', (p) => p.textContent), `${SAMPLE_COUNT} 篇文章`);

  // A CJK search in the second one leaves the first one's search as it was.
  await page.fill('#second input[type=search]', '辣椒');
  await page.waitForFunction(() => window.lecternEvents.some((e) => e.type === 'lectern-search' && e.target === 'second' && e.detail.query === '辣椒'));
  const secondRows = await page.$$eval('#second li.item', (rows) => rows.map((row) => row.textContent));
  assert.ok(secondRows.length >= 1);
  for (const row of secondRows) assert.match(row, /辣椒/);
  assert.equal((await page.$$eval('#first li.item', (rows) => rows.length)), firstRows.length);
  assert.equal(await page.$eval('#first input[type=search]', (input) => input.value), 'weather');

  const wasm = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/reader_bg.wasm')).length);
  assert.equal(wasm, 1, 'one WASM download for all widgets');
  mkdirSync(SHOTS, { recursive: true });
  await page.$eval('#hostile-toggle', (box) => box.click());
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(SHOTS, 'widget-demo.png') });
  await page.$eval('#hostile-toggle', (box) => box.click());
  assert.deepEqual(problems.errors, [], 'no CSP, Trusted Types or script errors');
  await context.close();
});

/** Computed styles of a widget's key parts (what a hostile host sheet would change). */
function keyStyles(page, id) {
  return page.evaluate((hostId) => {
    const host = document.getElementById(hostId);
    const root = host.shadowRoot;
    const parts = {
      frame: root.querySelector('.frame'),
      search: root.querySelector('input[type=search]'),
      count: root.querySelector('.count'),
      item: root.querySelector('li.item'),
      title: root.querySelector('.item-title'),
      link: root.querySelector('.item-link'),
      meta: root.querySelector('.item-meta'),
      excerpt: root.querySelector('.item-excerpt'),
      chip: root.querySelector('.chip'),
      thumbnail: root.querySelector('.thumb'),
      pager: root.querySelector('.pager .button'),
      list: root.querySelector('.list'),
    };
    const props = ['font-family', 'font-size', 'font-weight', 'font-style', 'line-height', 'letter-spacing', 'word-spacing',
      'text-transform', 'text-align', 'text-shadow', 'text-decoration-line', 'white-space', 'color', 'background-color',
      'box-sizing', 'display', 'visibility', 'list-style-type', 'padding-top', 'padding-left', 'margin-top', 'margin-left',
      'border-top-width', 'border-top-style', 'border-top-color', 'filter', 'cursor', 'content'];
    const out = {};
    for (const [name, element] of Object.entries(parts)) {
      if (!element) throw new Error(`no ${name} in #${hostId}`);
      const style = getComputedStyle(element);
      out[name] = Object.fromEntries(props.map((p) => [p, style.getPropertyValue(p)]));
      const before = getComputedStyle(element, '::before');
      out[name].before = before.getPropertyValue('content');
    }
    out.thumbnail.width = getComputedStyle(parts.thumbnail).width;
    out.thumbnail.height = getComputedStyle(parts.thumbnail).height;
    const hostStyle = getComputedStyle(host);
    out.host = { display: hostStyle.display, padding: hostStyle.padding, border: hostStyle.borderTopWidth, boxSizing: hostStyle.boxSizing };
    return out;
  }, id);
}

test('the hostile host style sheet changes nothing in the widgets', async () => {
  const { context, page, problems } = await openDemo();
  await showAndWait(page, 'first', 'second');
  // The demo really is hostile: its own elements are restyled.
  assert.equal(await page.$eval('h1', (h1) => getComputedStyle(h1).textTransform), 'uppercase');
  const withHostile = { first: await keyStyles(page, 'first'), second: await keyStyles(page, 'second') };
  // (A click from script: the mouse must not end up hovering a widget's link.)
  await page.$eval('#hostile-toggle', (box) => box.click());
  assert.equal(await page.$eval('#hostile-stylesheet', (link) => link.disabled), true);
  assert.equal(await page.$eval('h1', (h1) => getComputedStyle(h1).textTransform), 'none');
  const without = { first: await keyStyles(page, 'first'), second: await keyStyles(page, 'second') };
  assert.deepEqual(withHostile, without);
  assert.deepEqual(withHostile.first.host, { display: 'block', padding: '0px', border: '0px', boxSizing: 'border-box' });
  assert.equal(withHostile.first.title.cursor, 'auto');
  assert.deepEqual(problems.errors, []);
  await context.close();
});

test('host CSS custom properties and ::part() rules theme the widget', async () => {
  const { context, page, problems } = await openDemo();
  await showAndWait(page, 'first', 'second');
  const colours = (id) => page.evaluate((hostId) => {
    const root = document.getElementById(hostId).shadowRoot;
    return {
      background: getComputedStyle(root.querySelector('.frame')).backgroundColor,
      text: getComputedStyle(root.querySelector('.item-link')).color,
      radius: getComputedStyle(root.querySelector('.frame')).borderTopLeftRadius,
    };
  }, id);
  // The demo's stylesheet themes the second widget (lectern-reader.themed { --lectern-bg: #0b2530; ... }).
  // (--lectern-radius: 1rem is the host page's rem: 18px under the hostile sheet.)
  const rem = await page.evaluate(() => getComputedStyle(document.documentElement).fontSize);
  assert.deepEqual(await colours('second'), { background: 'rgb(11, 37, 48)', text: 'rgb(230, 244, 241)', radius: rem });
  // The first one has the light defaults, until the host sets its own.
  assert.deepEqual(await colours('first'), { background: 'rgb(251, 250, 247)', text: 'rgb(29, 28, 26)', radius: '9.6px' });
  await page.evaluate(() => {
    document.getElementById('first').style.setProperty('--lectern-bg', 'rgb(1, 2, 3)');
    document.getElementById('first').style.setProperty('--lectern-fg', 'rgb(250, 251, 252)');
    // A host rule on a part (adopted: this page's CSP allows no inline <style>).
    const sheet = new CSSStyleSheet();
    sheet.replaceSync('lectern-reader::part(item-title) { text-decoration: underline; } #first::part(pager) { border-top-color: rgb(0, 128, 0); }');
    document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
  });
  const themed = await colours('first');
  assert.equal(themed.background, 'rgb(1, 2, 3)');
  assert.equal(themed.text, 'rgb(250, 251, 252)');
  const parts = await page.evaluate(() => ({
    title: getComputedStyle(document.getElementById('second').shadowRoot.querySelector('.item-title')).textDecorationLine,
    pager: getComputedStyle(document.getElementById('first').shadowRoot.querySelector('.pager')).borderTopColor,
  }));
  assert.deepEqual(parts, { title: 'underline', pager: 'rgb(0, 128, 0)' });
  // The widget's styles do not leak out: the host page's own list and heading keep theirs.
  const outside = await page.evaluate(() => ({
    log: getComputedStyle(document.getElementById('event-log')).listStyleType,
    h2: getComputedStyle(document.querySelector('#first-heading')).fontFamily,
  }));
  assert.equal(outside.log, 'upper-roman', 'the host page\'s own (hostile) list style stands');
  assert.match(outside.h2, /Comic/);
  assert.deepEqual(problems.errors, []);
  await context.close();
});

test('opening an article fires lectern-open at the host; the article is sanitised and keyboard-friendly', async () => {
  const { context, page, problems } = await openDemo();
  await waitLoaded(page, 'first');
  const id = await page.$eval('#first li.item', (row) => row.dataset.id);
  const title = await page.$eval('#first li.item .item-link', (a) => a.lastChild.textContent);
  await page.focus('#first li.item .item-link');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#first #article-view:not([hidden])');
  const [open] = await events(page, 'lectern-open', 'first');
  assert.deepEqual({ id: open.detail.id, title: open.detail.title, bubbles: open.bubbles, composed: open.composed }, { id, title, bubbles: true, composed: true });
  assert.equal(await page.$eval('#first #article-title', (h) => h.textContent), title);
  // Focus moved to the article's title, inside the widget.
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'first');
  assert.equal(await page.$eval('#first', (el) => el.shadowRoot.activeElement?.id), 'article-title');
  const body = await page.$eval('#first #article-body', (b) => ({
    html: b.innerHTML, scripts: b.querySelectorAll('script, style, iframe').length,
    images: [...b.querySelectorAll('img')].map((i) => i.getAttribute('referrerpolicy')),
  }));
  assert.ok(body.html.length > 100);
  assert.equal(body.scripts, 0);
  for (const policy of body.images) assert.equal(policy, 'no-referrer');
  // The other widget did not move.
  assert.equal(await page.$eval('#second #article-view', (a) => a.hidden), true);
  // Next, then Escape back to the list, focus on the row that was open.
  await page.click('#first #next-button');
  // The next article's own file comes from the collection first.
  await page.waitForFunction(() => window.lecternEvents.filter((e) => e.type === 'lectern-open' && e.target === 'first').length === 2);
  const opened = await events(page, 'lectern-open', 'first');
  assert.equal(opened.length, 2);
  assert.notEqual(opened[1].detail.id, id);
  await page.keyboard.press('Escape');
  await page.waitForSelector('#first #list-view:not([hidden])');
  assert.equal(await page.$eval('#first', (el) => el.shadowRoot.activeElement?.closest('li.item')?.dataset.id), opened[1].detail.id);
  assert.deepEqual(problems.errors, []);
  await context.close();
});

test('attribute and property changes take effect', async () => {
  const { context, page, problems } = await openDemo();
  await waitLoaded(page, 'first');
  const state = () => page.$eval('#first', (el) => {
    const root = el.shadowRoot;
    const frame = root.querySelector('.frame');
    return {
      theme: frame.dataset.theme, background: getComputedStyle(frame).backgroundColor, rows: root.querySelectorAll('li.item').length,
      searchShown: !root.querySelector('.search').hidden, height: frame.getBoundingClientRect().height,
      count: root.querySelector('.count').textContent, lang: frame.lang, placeholder: root.querySelector('input').placeholder,
    };
  });
  const initial = await state();
  assert.equal(initial.theme, 'light');
  // height="34rem": the host page's rem (the hostile sheet makes it 18px).
  const rem = await page.evaluate(() => parseFloat(getComputedStyle(document.documentElement).fontSize));
  assert.equal(Math.round(initial.height), Math.round(34 * rem));
  await page.$eval('#first', (el) => {
    el.setAttribute('theme', 'dark');
    el.setAttribute('page-size', '2');
    el.setAttribute('search', 'false');
    el.setAttribute('height', '300');
    el.setAttribute('lang', 'zh');
  });
  const changed = await state();
  assert.deepEqual(
    { ...changed, height: Math.round(changed.height) },
    { theme: 'dark', background: 'rgb(23, 22, 20)', rows: 2, searchShown: false, height: 300, count: `${SAMPLE_COUNT} 篇文章`, lang: 'zh-CN', placeholder: '搜索' },
  );
  // Properties mirror the attributes, both ways.
  const props = await page.$eval('#first', (el) => {
    const read = { theme: el.theme, pageSize: el.pageSize, search: el.search, height: el.height, src: el.src };
    el.pageSize = 4;
    el.theme = 'nonsense';
    el.search = true;
    el.height = '';
    return { read, attrs: { pageSize: el.getAttribute('page-size'), theme: el.theme, search: el.getAttribute('search'), height: el.hasAttribute('height') } };
  });
  assert.deepEqual(props.read, { theme: 'dark', pageSize: 2, search: false, height: '300', src: './' });
  assert.deepEqual(props.attrs, { pageSize: '4', theme: 'auto', search: 'true', height: false });
  const after = await state();
  assert.equal(after.rows, 4);
  assert.equal(after.searchShown, true);
  assert.equal(after.theme, 'auto');
  // A new src loads again.
  await page.$eval('#first', (el) => { el.src = `${location.origin}/`; });
  await waitLoaded(page, 'first', 2);
  assert.equal(await page.$eval('#first', (el) => el.size), SAMPLE_COUNT);
  assert.deepEqual(problems.errors, []);
  await context.close();
});

test('a src without a collection, or one that cannot be reached, shows the error state and fires lectern-error', async () => {
  const { context, page, problems } = await openDemo({
    route: (ctx) => ctx.route('**/unreachable/collection/manifest.json', (route) => route.abort('connectionrefused')),
  });
  await waitLoaded(page, 'first');
  const errorState = () => page.$eval('#first', (el) => {
    const error = el.shadowRoot.querySelector('.error');
    return { shown: !error.hidden, role: error.getAttribute('role'), text: error.textContent, listShown: !el.shadowRoot.querySelector('#list-view').hidden };
  });
  await page.$eval('#first', (el) => el.setAttribute('src', 'no-such-collection/'));
  await page.waitForFunction(() => window.lecternEvents.some((e) => e.type === 'lectern-error' && e.target === 'first'));
  let state = await errorState();
  assert.equal(state.shown, true);
  assert.equal(state.role, 'alert');
  assert.equal(state.listShown, false);
  assert.match(state.text, /There is no Lectern collection at http:\/\/127\.0\.0\.1:\d+\/no-such-collection\//);
  const [missing] = await events(page, 'lectern-error', 'first');
  assert.equal(missing.bubbles && missing.composed, true);
  assert.match(missing.detail.message, /no Lectern collection/);

  await page.$eval('#first', (el) => el.setAttribute('src', 'unreachable/'));
  await page.waitForFunction(() => window.lecternEvents.filter((e) => e.type === 'lectern-error' && e.target === 'first').length >= 2);
  state = await errorState();
  assert.match(state.text, /Could not reach http:\/\/127\.0\.0\.1:\d+\/unreachable\/: the server is down/);
  // "Try again" after the server is back.
  await context.unroute('**/unreachable/collection/manifest.json');
  await page.$eval('#first', (el) => el.setAttribute('src', './'));
  await waitLoaded(page, 'first', 2);
  state = await errorState();
  assert.equal(state.shown, false);
  assert.equal(state.listShown, true);
  // The failures were the widget's to report: no page errors, no CSP violations.
  assert.deepEqual(problems.errors.filter((e) => !/Failed to load resource|ERR_CONNECTION_REFUSED/.test(e)), []);
  await context.close();
});

test('a widget below the fold loads only when scrolled into view', async () => {
  const { context, page, problems } = await openDemo();
  await showAndWait(page, 'first', 'second');
  await page.waitForTimeout(500);
  assert.equal(await page.$eval('#third', (el) => el.size), 0);
  assert.match(await page.$eval('#third', (el) => el.shadowRoot.querySelector('.state').textContent), /load when this comes into view/);
  await page.$eval('#third', (el) => el.scrollIntoView());
  await waitLoaded(page, 'third');
  assert.equal(await page.$eval('#third', (el) => el.size), SAMPLE_COUNT);
  assert.equal(await page.$eval('#third', (el) => el.shadowRoot.querySelector('.search').hidden), true, 'search="false" hides the search box');
  // The three show the same collection (lectern serve serves it built): opened once for all of them.
  const fetched = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname));
  assert.equal(fetched.filter((p) => p === '/collection/manifest.json').length, 1, 'one manifest request');
  const pages = fetched.filter((p) => p.startsWith('/collection/list/'));
  assert.ok(pages.length >= 1, 'the list pages came from the collection');
  assert.equal(new Set(pages).size, pages.length, 'each list page downloaded once for the three');
  assert.ok(!fetched.some((p) => p.startsWith('/collection/files/') && /\.(md|html?)$/i.test(p)), 'no article file is parsed in the browser');
  assert.deepEqual(problems.errors, []);
  await context.close();
});

test('a host page may register the element under another name', async () => {
  const { context, page, problems } = await openDemo();
  await waitLoaded(page, 'first');
  const result = await page.evaluate(async () => {
    const { define, LecternReaderElement } = await import('./js/lectern-reader.js');
    const Other = define('my-reader');
    const element = document.createElement('my-reader');
    element.id = 'renamed';
    element.setAttribute('src', './');
    element.setAttribute('page-size', '1');
    document.querySelector('.demo-header').append(element);
    return { subclass: Object.getPrototypeOf(Other) === LecternReaderElement, same: define('my-reader') === Other };
  });
  assert.deepEqual(result, { subclass: true, same: true });
  await waitLoaded(page, 'renamed');
  assert.equal(await page.$$eval('#renamed li.item', (rows) => rows.length), 1);
  const wasm = await page.evaluate(() => performance.getEntriesByType('resource').filter((e) => e.name.endsWith('/reader_bg.wasm')).length);
  assert.equal(wasm, 1);
  assert.deepEqual(problems.errors, []);
  await context.close();
});

test('axe finds no serious or critical problem in the widgets (list, search, article; light and dark)', async () => {
  for (const colorScheme of ['light', 'dark']) {
    // axe is injected as a script, which the demo's CSP rightly refuses: bypass it for the audit only.
    const { context, page } = await openDemo({ colorScheme, bypassCSP: true });
    await showAndWait(page, 'first', 'second');
    await page.$eval('#third', (el) => el.scrollIntoView());
    await waitLoaded(page, 'third');
    await page.click('#hostile-toggle');
    await page.addScriptTag({ content: AXE });
    const audit = () => page.evaluate(() => window.axe.run({ include: [['#first'], ['#second'], ['#third']] }, { resultTypes: ['violations'] })
      .then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => JSON.stringify(n.target)) }))));
    const serious = (list) => list.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    const list = await audit();
    if (list.length) console.log(`axe, widgets (${colorScheme}), minor:`, JSON.stringify(list));
    assert.deepEqual(serious(list), [], `list, ${colorScheme}`);
    await page.fill('#second input[type=search]', '辣椒');
    await page.waitForFunction(() => window.lecternEvents.some((e) => e.type === 'lectern-search' && e.target === 'second'));
    await page.click('#first li.item .item-link');
    await page.waitForSelector('#first #article-view:not([hidden])');
    const article = await audit();
    assert.deepEqual(serious(article), [], `search and article, ${colorScheme}`);
    await context.close();
  }
});
