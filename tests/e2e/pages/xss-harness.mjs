// The XSS harness page (tests/e2e/xss.test.mjs drives it). It loads the real
// WASM build of Lectern (www/pkg, served as /pkg/), DOMPurify and the
// browser's Element.setHTML, mounts sanitised payloads in this live document,
// fires events on every element, and reports script execution (the hooks are
// installed by the test before any page script runs) and structural leaks.
import init, * as lectern from '/pkg/ingest.js';
import DOMPurify from '/vendor/dompurify/purify.es.mjs';
import { setArticleHtml } from '/js/html-sink.js';

await init({ module_or_path: '/pkg/ingest_bg.wasm' });

const XHTML = 'http://www.w3.org/1999/xhtml';

/** How each sanitiser puts untrusted HTML into an element. */
const MOUNT = {
  lectern: (element, html) => setInnerHtml.call(element, lectern.sanitize(html)),
  dompurify: (element, html) => setInnerHtml.call(element, DOMPurify.sanitize(html)),
  sethtml: (element, html) => setHtml.call(element, html),
  none: (element, html) => setInnerHtml.call(element, html),
};

/** Each sanitiser's string output, for the round-trip (mutation) check. */
const TO_STRING = {
  lectern: (html) => lectern.sanitize(html),
  dompurify: (html) => DOMPurify.sanitize(html),
  sethtml: (html) => { const d = inert.createElement('div'); setHtml.call(d, html); return getInnerHtml.call(d); },
};

/** Elements that run script, load documents or change the page, whoever lets them through. */
const DANGEROUS = new Set(['script', 'iframe', 'frame', 'frameset', 'object', 'embed', 'applet', 'base', 'meta', 'link', 'portal', 'fencedframe']);
/** Attributes holding URLs (any namespace prefix of href counts too). */
const URL_ATTRIBUTES = new Set([
  'href', 'src', 'srcset', 'imagesrcset', 'action', 'formaction', 'cite', 'poster', 'data', 'background', 'lowsrc',
  'dynsrc', 'codebase', 'ping', 'longdesc', 'usemap', 'profile', 'icon', 'manifest', 'archive', 'classid', 'itemtype',
]);
const SCRIPT_SCHEMES = new Set(['javascript:', 'vbscript:', 'livescript:', 'mocha:']);
const ANIMATIONS = new Set(['animate', 'set', 'animatemotion', 'animatetransform']);

// Natives captured before any payload is mounted: unsanitised markup (the
// control run) can clobber document.createElement, form.attributes and the like.
const call = (proto, name) => { const f = proto[name]; return (self, ...args) => f.apply(self, args); };
const getter = (proto, name) => { const g = Object.getOwnPropertyDescriptor(proto, name).get; return (self) => g.call(self); };
const createElement = (tag) => call(Document.prototype, 'createElement')(document, tag);
const getElementById = (id) => call(Document.prototype, 'getElementById')(document, id);
const querySelectorAll = (root, selector) => [...call(Element.prototype, 'querySelectorAll')(root, selector)];
const documentQuerySelectorAll = (selector) => [...call(Document.prototype, 'querySelectorAll')(document, selector)];
const attributeNames = call(Element.prototype, 'getAttributeNames');
const getAttribute = call(Element.prototype, 'getAttribute');
const localNameOf = getter(Element.prototype, 'localName');
const namespaceOf = getter(Element.prototype, 'namespaceURI');
const dispatch = call(EventTarget.prototype, 'dispatchEvent');
const contains = call(Node.prototype, 'contains');
const baseURI = () => getter(Node.prototype, 'baseURI')(document);
const head = () => getter(Document.prototype, 'head')(document);
const childCount = getter(Element.prototype, 'childElementCount');
const replaceChildren = call(Element.prototype, 'replaceChildren');
const append = call(Element.prototype, 'append');
const setInnerHtml = Object.getOwnPropertyDescriptor(Element.prototype, 'innerHTML').set;
const getInnerHtml = Object.getOwnPropertyDescriptor(Element.prototype, 'innerHTML').get;
const setHtml = Element.prototype.setHTML;

const inert = document.implementation.createHTMLDocument('');

function urlCandidates(name, value) {
  if (name === 'srcset' || name === 'imagesrcset') return value.split(',').map((c) => c.trim().split(/\s+/)[0]).filter(Boolean);
  return [value];
}

/** A script-capable URL: javascript: and kin, or data: other than a raster image in an image source. */
function scriptCapable(element, name, value) {
  for (const candidate of urlCandidates(name, value)) {
    let protocol;
    try { protocol = new URL(candidate, baseURI()).protocol; } catch { continue; }
    if (SCRIPT_SCHEMES.has(protocol)) return candidate;
    if (protocol === 'data:') {
      const image = ['img', 'source'].includes(localNameOf(element)) && ['src', 'srcset'].includes(name);
      if (!(image && /^\s*data:image\/(png|gif|jpe?g|webp|avif|bmp)[;,]/i.test(candidate))) return candidate;
    }
  }
  return null;
}

/** Structural leaks under `root`; `policy` (Lectern's) also flags anything outside it. */
function leaksIn(root, policy) {
  const found = [];
  for (const element of querySelectorAll(root, '*')) {
    const tag = localNameOf(element);
    if (DANGEROUS.has(tag)) found.push(`element <${tag}>`);
    if (policy && (namespaceOf(element) !== XHTML || !policy.tags.includes(tag))) found.push(`element <${tag}> outside the policy`);
    for (const rawName of attributeNames(element)) {
      const value = getAttribute(element, rawName) ?? '';
      const name = rawName.toLowerCase();
      if (name.startsWith('on')) found.push(`<${tag} ${name}>`);
      if (name === 'srcdoc') found.push(`<${tag} srcdoc>`);
      if (URL_ATTRIBUTES.has(name) || name.endsWith(':href')) {
        const bad = scriptCapable(element, name, value);
        if (bad) found.push(`<${tag} ${name}="${bad.slice(0, 60)}">`);
      }
      if (ANIMATIONS.has(tag) && /href/i.test(getAttribute(element, 'attributeName') ?? '') && /^(values|to|from|by)$/.test(name) && /script:/i.test(value)) {
        found.push(`<${tag} ${name}> animates a link to script`);
      }
      if (policy && !(policy.generic.includes(name) || (policy.byTag[tag] ?? []).includes(name))) {
        found.push(`attribute ${name} on <${tag}> outside the policy`);
      }
    }
  }
  return found;
}

function nextFrame() {
  return new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));
}

/** Waits for images and media under `root` to load or fail (at most `ms`). */
async function settle(root, ms) {
  const pending = querySelectorAll(root, 'img, video, audio, input[type=image]')
    .filter((m) => !(m.complete ?? true))
    .map((m) => new Promise((resolve) => { m.addEventListener('load', resolve, { once: true }); m.addEventListener('error', resolve, { once: true }); }));
  await Promise.race([Promise.all(pending), new Promise((resolve) => setTimeout(resolve, ms))]);
  await nextFrame();
  await nextFrame();
}

/** Fires `events` (and real focus) on every element under `root`. */
function fireEvents(root, events) {
  for (const element of [root, ...querySelectorAll(root, '*')]) {
    const focus = (element instanceof HTMLElement ? HTMLElement : SVGElement).prototype.focus;
    try { focus?.call(element, { preventScroll: true }); } catch { /* not focusable */ }
    for (const type of events) {
      try { dispatch(element, new Event(type)); } catch { /* a handler threw: it ran, the hook saw it */ }
    }
  }
}

function pageState() {
  return {
    baseURI: baseURI(),
    location: location.href,
    headElements: childCount(head()),
    strayBaseOrMeta: documentQuerySelectorAll('base, meta[http-equiv], meta[charset]').filter((e) => !contains(head(), e)).length,
  };
}

/**
 * Mounts every input of `cases` with sanitiser `name` in this document, fires
 * events, waits, and reports per case: executed (a hook saw a call from it),
 * leaks (structural). Calls nobody can attribute are returned too.
 */
async function run(name, cases, events, policy) {
  const mount = getElementById('mount');
  replaceChildren(mount);
  window.__xssHits.length = 0;
  const before = pageState();
  const boxes = [];
  const errors = {};
  for (const c of cases) {
    c.inputs.forEach((input) => {
      const box = createElement('div');
      box.setAttribute('data-case', c.id);
      append(mount, box);
      try { MOUNT[name](box, input); } catch (error) { errors[c.id] = String(error); }
      boxes.push([c.id, box]);
    });
  }
  await nextFrame();
  fireEvents(mount, events);
  await settle(mount, 1500);
  fireEvents(mount, ['load', 'error']);
  await new Promise((resolve) => setTimeout(resolve, 200));
  const after = pageState();
  const results = Object.fromEntries(cases.map((c) => [c.id, { executed: false, leaks: [] }]));
  for (const [id, box] of boxes) results[id].leaks.push(...leaksIn(box, name === 'lectern' ? policy : null));
  const unattributed = [];
  for (const hit of window.__xssHits) {
    if (hit.id && results[hit.id]) results[hit.id].executed = true;
    else unattributed.push(hit);
  }
  const pageEffects = [];
  if (after.baseURI !== before.baseURI) pageEffects.push(`document base changed to ${after.baseURI}`);
  if (after.location !== before.location) pageEffects.push(`page moved to ${after.location}`);
  if (after.headElements !== before.headElements) pageEffects.push('the <head> changed');
  if (after.strayBaseOrMeta) pageEffects.push(`${after.strayBaseOrMeta} <base>/<meta> element(s) in the body`);
  replaceChildren(mount);
  return { results, unattributed, pageEffects, errors };
}

/** Parses HTML in an inert document and serialises it: the browser's round trip. */
function roundTrip(html) {
  const div = inert.createElement('div');
  setInnerHtml.call(div, html);
  return getInnerHtml.call(div);
}

/** Sanitise → browser round trip → sanitise: the ids whose second result differs. */
function stability(name, items) {
  const unstable = [];
  for (const { id, html } of items) {
    const once = TO_STRING[name](html);
    const twice = TO_STRING[name](roundTrip(once));
    if (twice !== once) unstable.push({ id, once: once.slice(0, 300), twice: twice.slice(0, 300) });
  }
  return unstable;
}

/**
 * Parses article files with the WASM core and checks the round trip of each
 * article's HTML, and that the page's HTML sink (its Sanitizer API check with
 * the policy) shows exactly that HTML: the second check keeps all of it.
 */
async function articleStability(files) {
  const results = lectern.parseArticles(files.map(({ name, text }) => ({ name, text, base: `https://corpus.example/${name}` })));
  const unstable = [];
  const altered = [];
  let parsed = 0;
  const failed = [];
  for (const item of results) {
    if (item.error !== undefined) { failed.push(`${item.name}: ${item.error}`); continue; }
    parsed += 1;
    const again = lectern.sanitize(roundTrip(item.html));
    if (again !== item.html) unstable.push({ id: item.name, once: item.html.slice(0, 300), twice: again.slice(0, 300) });
    const shown = document.createElement('div');
    await setArticleHtml(shown, item.html);
    const plain = document.createElement('div');
    setInnerHtml.call(plain, item.html);
    for (const image of plain.querySelectorAll('img')) image.setAttribute('referrerpolicy', 'no-referrer');
    if (shown.innerHTML !== plain.innerHTML) altered.push({ id: item.name, expected: plain.innerHTML.slice(0, 300), shown: shown.innerHTML.slice(0, 300) });
  }
  return { parsed, failed, unstable, altered };
}

/**
 * Front-matter URL fields: each value as `key` of an article parsed by the
 * WASM core, rendered as a reader would (lead image, link, body), checked.
 */
async function feedFields(values, keys, events, policy) {
  const mount = document.getElementById('mount');
  mount.replaceChildren();
  window.__xssHits.length = 0;
  let urlsKept = 0;
  const leaks = [];
  for (const [n, { element, value }] of values.entries()) {
    for (const key of keys) {
      const text = `---\ntitle: feed field\n${key}: ${JSON.stringify(value)}\n---\n<p>body</p>`;
      const article = lectern.parseArticle(`feeds/${n}.md`, text, { base: `${location.origin}/collection/feeds/${n}.md` });
      const box = document.createElement('div');
      box.dataset.case = `${element} in ${key}`;
      if (article.image) {
        urlsKept += 1;
        const img = document.createElement('img');
        img.src = article.image;
        box.append(img);
      }
      if (article.link) {
        urlsKept += 1;
        const a = document.createElement('a');
        a.href = article.link;
        a.textContent = article.title;
        box.append(a);
      }
      const body = document.createElement('div');
      body.innerHTML = article.html;
      box.append(body);
      mount.append(box);
      for (const leak of leaksIn(box, policy)) leaks.push(`${box.dataset.case}: ${leak}`);
    }
  }
  fireEvents(mount, events);
  await settle(mount, 1500);
  const executed = window.__xssHits.map((h) => `${h.id ?? '?'}: ${h.fn}`);
  mount.replaceChildren();
  return { checked: values.length * keys.length, urlsKept, leaks, executed };
}

window.harness = {
  ready: true,
  version: lectern.version(),
  setHtmlAvailable: typeof Element.prototype.setHTML === 'function',
  run,
  stability,
  articleStability,
  feedFields,
  /** The WASM instance still answers after hostile input. */
  sanitize: (html) => lectern.sanitize(html),
  parseArticle: (name, text) => lectern.parseArticle(name, text, undefined),
};
