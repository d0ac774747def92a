// The nine XSS suites of ../shared/xss in a live page, in headless Chromium.
// Every payload is sanitised by the real WASM build (www/pkg), mounted in the
// document, and every element gets focus/mouse/load-type events; any script
// execution (alert, confirm, prompt, print, open, document.write and every
// global the payloads call are hooked, and real dialogs are counted) or
// structural leak (on* attribute, script-capable URL in any URL attribute,
// dangerous element, an element or attribute outside Lectern's policy, a
// <base>/<meta> effect) is counted per suite. Required: 0 executed, 0 leaked,
// every case counted. DOMPurify and Element.setHTML run the same payloads as
// a reference (printed, not asserted).
//
// Also: sanitise → browser parse/serialise → sanitise is stable for every
// payload and every corpus article; the html5sec RSS feed-field payloads in
// front-matter URL fields never reach an attribute; the WASM instance keeps
// working after hostile input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { launch } from './helpers.mjs';
import { ROOT } from './paths.mjs';
import { startStaticServer, HARNESS_MOUNTS } from './static-server.mjs';
import { SUITES, suite, feedFieldValues, corpusFiles } from './suites.mjs';

const SANITIZERS = ['lectern', 'dompurify', 'sethtml'];
/** The control: no sanitiser at all (raw innerHTML), to show the harness sees what runs. */
const CONTROL = 'none';

/** Lectern's policy, read from its one source (crates/core/src/policy.rs). */
function readPolicy() {
  const source = readFileSync(path.join(ROOT, 'crates/core/src/policy.rs'), 'utf8');
  const list = (name) => {
    const match = source.match(new RegExp(`pub const ${name}: &\\[&str\\] = &\\[([^\\]]*)\\]`));
    assert.ok(match, `${name} not found in crates/core/src/policy.rs`);
    return [...match[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  };
  const pairs = (name) => {
    const match = source.match(new RegExp(`pub const ${name}: &\\[\\(&str, &\\[&str\\]\\)\\] =\\s*&\\[([\\s\\S]*?)\\];`));
    assert.ok(match, `${name} not found in crates/core/src/policy.rs`);
    return [...match[1].matchAll(/\("([^"]+)",\s*&\[([^\]]*)\]\)/g)].map((m) => [m[1], [...m[2].matchAll(/"([^"]+)"/g)].map((a) => a[1])]);
  };
  const never = list('NEVER_IN_OUTPUT');
  const byTag = {};
  for (const [tag, attrs] of [...pairs('TAG_ATTRIBUTES'), ...pairs('ADDED_ATTRIBUTES')]) byTag[tag] = [...(byTag[tag] ?? []), ...attrs];
  return { tags: list('ALLOWED_TAGS').filter((t) => !never.includes(t)), generic: list('GENERIC_ATTRIBUTES'), byTag };
}

/** Event types to fire: every on* handler name the payloads use, and the usual ones; not those that navigate. */
function eventTypes(allInputs) {
  const types = new Set(['focus', 'focusin', 'blur', 'mouseover', 'mouseenter', 'mousemove', 'mousedown', 'mouseup', 'pointerover',
    'pointerenter', 'load', 'error', 'loadstart', 'canplay', 'toggle', 'animationstart', 'animationend', 'transitionend',
    'scroll', 'wheel', 'input', 'change', 'keydown', 'keyup', 'beforeprint', 'afterprint', 'pageshow', 'begin', 'end']);
  for (const input of allInputs) for (const m of input.matchAll(/\bon([a-z]+)\s*=/gi)) types.add(m[1].toLowerCase());
  for (const navigating of ['click', 'auxclick', 'submit', 'beforeunload', 'unload', 'pagehide', 'popstate', 'hashchange']) types.delete(navigating);
  return [...types];
}

/** Names the payloads call as functions: hooked in the page when not already defined. */
function calledGlobals(allInputs) {
  const keywords = new Set(['if', 'for', 'while', 'with', 'function', 'return', 'typeof', 'new', 'switch', 'catch', 'url', 'rgb', 'rgba', 'hsl']);
  const names = new Set();
  for (const input of allInputs) for (const m of input.matchAll(/(?<![\w$.])([A-Za-z_$][\w$]*)\s*[(`]/g)) if (!keywords.has(m[1])) names.add(m[1]);
  return [...names];
}

/** Installed in every frame before any script: records calls with the case that made them. */
function installHooks(globals) {
  let top = window;
  try { top = window.top; void top.document; } catch { return; } // cross-origin frame: let real dialogs show
  top.__xssHits ??= [];
  const closest = Element.prototype.closest;
  const caseOf = (node) => {
    try { return node instanceof Element ? closest.call(node, '[data-case]')?.getAttribute('data-case') ?? null : null; } catch { return null; }
  };
  const record = (fn, args) => {
    let id = caseOf(window.event?.target);
    if (!id) { try { id = caseOf(window.frameElement); } catch { /* none */ } }
    top.__xssHits.push({ fn, id, arg: String(args?.[0] ?? '').slice(0, 80) });
  };
  for (const fn of ['alert', 'confirm', 'prompt', 'print', 'open']) window[fn] = (...args) => { record(fn, args); return null; };
  document.write = (...args) => record('document.write', args);
  document.writeln = (...args) => record('document.writeln', args);
  for (const fn of globals) if (!(fn in window)) window[fn] = (...args) => record(fn, args);
}

let server;
let browser;
const policy = readPolicy();
const cases = Object.fromEntries(SUITES.map((name) => [name, suite(name)]));
const allInputs = Object.values(cases).flat().flatMap((c) => c.inputs);
const events = eventTypes(allInputs);
const globals = calledGlobals(allInputs);

before(async () => {
  server = await startStaticServer(HARNESS_MOUNTS);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A fresh page on the harness: hooks installed, dialogs and navigations counted, no network beyond the server. */
async function harnessPage() {
  const context = await browser.newContext();
  await context.route((url) => !url.href.startsWith(server.url), (route) => route.abort());
  const page = await context.newPage();
  const counters = { dialogs: 0, navigations: 0, popups: 0, pageErrors: [] };
  page.on('dialog', (dialog) => { counters.dialogs += 1; dialog.dismiss().catch(() => {}); });
  page.on('popup', () => { counters.popups += 1; });
  page.on('pageerror', (error) => counters.pageErrors.push(error.message));
  await page.addInitScript(installHooks, globals);
  await page.goto(`${server.url}harness/xss-harness.html`);
  await page.waitForFunction(() => window.harness?.ready === true, null, { timeout: 30_000 });
  page.on('framenavigated', (frame) => { if (frame === page.mainFrame()) counters.navigations += 1; });
  return { page, context, counters };
}

test('the nine XSS suites in a live page: Lectern (WASM) executes and leaks nothing; DOMPurify and setHTML as reference', async () => {
  const rows = [];
  const failures = [];
  for (const name of SUITES) {
    const row = { suite: name, cases: cases[name].length, inputs: cases[name].reduce((n, c) => n + c.inputs.length, 0) };
    for (const sanitizer of [...SANITIZERS, CONTROL]) {
      const { page, context, counters } = await harnessPage();
      if (sanitizer === 'sethtml' && !(await page.evaluate(() => window.harness.setHtmlAvailable))) {
        row.sethtml = { executed: 'n/a', leaked: 'n/a' };
        await context.close();
        continue;
      }
      let outcome;
      try {
        outcome = await page.evaluate(({ s, c, e, p }) => window.harness.run(s, c, e, p), { s: sanitizer, c: cases[name], e: events, p: policy });
      } catch (error) {
        // Only the control may take the page down (a payload navigating it, say).
        assert.equal(sanitizer, CONTROL, `${name}/${sanitizer}: the harness failed: ${error.message}`);
        row[sanitizer] = { executed: `${counters.dialogs + counters.navigations}+`, leaked: '?' };
        await context.close();
        continue;
      }
      const ids = Object.keys(outcome.results);
      assert.equal(ids.length, new Set(cases[name].map((c) => c.id)).size, `${name}/${sanitizer}: every case has a result`);
      const executedIds = ids.filter((id) => outcome.results[id].executed);
      const leakedIds = ids.filter((id) => outcome.results[id].leaks.length > 0);
      const stray = outcome.unattributed.length + counters.dialogs + counters.navigations + counters.popups + outcome.pageEffects.length;
      row[sanitizer] = { executed: executedIds.length + (stray > 0 ? 1 : 0), leaked: leakedIds.length };
      if (sanitizer === 'lectern') {
        for (const id of executedIds) failures.push(`${name} ${id}: script executed`);
        for (const id of leakedIds) failures.push(`${name} ${id}: ${outcome.results[id].leaks.slice(0, 3).join('; ')}`);
        if (stray > 0) failures.push(`${name}: unattributed effects ${JSON.stringify({ hits: outcome.unattributed.slice(0, 3), ...counters, page: outcome.pageEffects })}`);
        for (const [id, error] of Object.entries(outcome.errors)) failures.push(`${name} ${id}: the WASM sanitiser threw ${error}`);
      }
      await context.close();
    }
    rows.push(row);
  }
  const cell = (r) => `${String(r.executed).padStart(4)} ${String(r.leaked).padStart(4)}`;
  console.log('\nXSS suites in Chromium (executed / leaked payloads; leaked for Lectern includes anything outside its policy)');
  console.log(`${'suite'.padEnd(26)} cases inputs | Lectern   | DOMPurify | setHTML   | none (control)`);
  const total = (k) => rows.reduce((n, r) => n + r[k], 0);
  const sum = (s) => ({ executed: rows.reduce((n, r) => n + (Number(r[s].executed) || 0), 0), leaked: rows.reduce((n, r) => n + (Number(r[s].leaked) || 0), 0) });
  for (const r of [...rows, { suite: 'all', cases: total('cases'), inputs: total('inputs'), ...Object.fromEntries([...SANITIZERS, CONTROL].map((s) => [s, sum(s)])) }]) {
    console.log(`${r.suite.padEnd(26)} ${String(r.cases).padStart(5)} ${String(r.inputs).padStart(6)} | ${cell(r.lectern)} | ${cell(r.dompurify)} | ${cell(r.sethtml)} | ${cell(r[CONTROL])}`);
  }
  // The harness must see script that runs: unsanitised, many payloads do.
  assert.ok(sum(CONTROL).executed > 100, `the control (no sanitiser) executed only ${sum(CONTROL).executed} payloads: the harness is not seeing script run`);
  assert.deepEqual(failures, [], failures.slice(0, 20).join('\n'));
});

test('sanitise → Chromium parse and serialise → sanitise gives the first output, for every payload and corpus article', async () => {
  const { page, context } = await harnessPage();
  const summary = {};
  const failures = [];
  for (const sanitizer of SANITIZERS) {
    let inputs = 0;
    let unstable = [];
    if (sanitizer === 'sethtml' && !(await page.evaluate(() => window.harness.setHtmlAvailable))) continue;
    for (const name of SUITES) {
      const items = cases[name].flatMap((c) => c.inputs.map((html) => ({ id: `${name} ${c.id}`, html })));
      inputs += items.length;
      unstable = unstable.concat(await page.evaluate(({ s, i }) => window.harness.stability(s, i), { s: sanitizer, i: items }));
    }
    summary[sanitizer] = `${inputs} payloads, ${unstable.length} unstable`;
    if (sanitizer === 'lectern') failures.push(...unstable.map((u) => `${u.id}: ${JSON.stringify(u)}`));
  }
  const files = corpusFiles();
  assert.ok(files.length > 2000, `the whole corpus is read (${files.length} files)`);
  let parsed = 0;
  let corpusUnstable = 0;
  let sinkAltered = 0;
  const rejected = [];
  for (let start = 0; start < files.length; start += 100) {
    const batch = files.slice(start, start + 100).map((f) => ({ name: f.name, text: readFileSync(f.file, 'utf8') }));
    const result = await page.evaluate((b) => window.harness.articleStability(b), batch);
    parsed += result.parsed;
    rejected.push(...result.failed);
    corpusUnstable += result.unstable.length;
    sinkAltered += result.altered.length;
    failures.push(...result.unstable.map((u) => `corpus ${u.id}: ${JSON.stringify(u)}`));
    failures.push(...result.altered.map((u) => `the sink changed corpus ${u.id}: ${JSON.stringify(u)}`));
  }
  console.log(`\nround-trip stability in Chromium: Lectern ${summary.lectern}; corpus: ${files.length} article files, ${parsed} parsed by the WASM core, ${corpusUnstable} unstable`);
  console.log(`  the page's HTML sink (Sanitizer API check with the policy) showed ${parsed - sinkAltered} of ${parsed} corpus articles exactly as sanitised, ${sinkAltered} altered`);
  console.log(`  reference: DOMPurify ${summary.dompurify}; setHTML ${summary.sethtml ?? 'n/a'}`);
  assert.deepEqual(rejected, [], 'every corpus file is an article');
  assert.deepEqual(failures, [], failures.slice(0, 10).join('\n'));
  await context.close();
});

test('front-matter URL fields: html5sec RSS feed-field payloads never reach an attribute as javascript: or data:', async () => {
  const { page, context, counters } = await harnessPage();
  const values = feedFieldValues();
  const result = await page.evaluate(({ v, e, p }) => window.harness.feedFields(v, ['thumbnail', 'headimg', 'link'], e, p), { v: values, e: events, p: policy });
  console.log(`\nh5sc-rss feed fields: ${values.length} values x 3 keys = ${result.checked} articles, ${result.urlsKept} URLs kept (http/https only), ${result.leaks.length} leaked, ${result.executed.length} executed`);
  assert.equal(result.checked, values.length * 3);
  assert.deepEqual(result.leaks, []);
  assert.deepEqual(result.executed, []);
  assert.equal(counters.dialogs + counters.navigations, 0);
  await context.close();
});
