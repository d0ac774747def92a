// Defence in depth: payloads that slipped past Lectern's sanitiser are handed
// to the page's one HTML sink.
// 1. The real sink checks article HTML again with the browser's Sanitizer API
//    (the sanitiser's own policy): nothing of the payloads lands, even with no
//    CSP at all.
// 2. A test build of the sink whose checks let everything through: the page's
//    Content-Security-Policy and Trusted Types, read from www/index.html, still
//    block every payload and report each block as a violation. Without the
//    CSP (the control), the same payloads run: the test can fail.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { launch } from './helpers.mjs';
import { ROOT } from './paths.mjs';
import { startStaticServer } from './static-server.mjs';

const index = readFileSync(path.join(ROOT, 'www/index.html'), 'utf8');
const cspMeta = index.match(/<meta http-equiv="Content-Security-Policy"[^>]*>/)?.[0];

let server;
let browser;

before(async () => {
  assert.ok(cspMeta, 'www/index.html has a Content-Security-Policy meta tag');
  for (const directive of ["script-src 'self' 'wasm-unsafe-eval'", "require-trusted-types-for 'script'", 'trusted-types lectern-html', "base-uri 'none'", "object-src 'none'"]) {
    assert.ok(cspMeta.includes(directive), `the page's CSP has ${directive}`);
  }
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/**
 * Opens the test page with or without the page's CSP, with the real sink or
 * (`bypassed`) a test build of it that checks nothing; returns what ran, what
 * landed and what was reported.
 */
async function openTestPage(withCsp, { bypassed = true } = {}) {
  await server?.stop();
  server = await startStaticServer(
    { '/www/test/': 'tests/e2e/pages', '/www/': 'www' },
    {
      transform: (url, body) => (url.endsWith('/csp-bypass.html') && withCsp ? body.toString().replace(/<!--CSP:[^>]*-->/, cspMeta) : body),
    },
  );
  const context = await browser.newContext();
  await context.route((url) => !url.href.startsWith(server.url), (route) => route.abort());
  const page = await context.newPage();
  // The test build: the sink's checks let everything through.
  if (bypassed) {
    await page.route('**/www/js/html-sink.js', async (route) => {
      const real = readFileSync(path.join(ROOT, 'www/js/html-sink.js'), 'utf8');
      const broken = real
        .replace(/const NATIVE = [^;]+;/, 'const NATIVE = false; // TEST BUILD: no Sanitizer API check')
        .replace('const clean = await sanitizeHtml(html);', 'const clean = html; // TEST BUILD: sanitiser bypassed');
      assert.ok(broken.includes('TEST BUILD: no Sanitizer') && broken.includes('TEST BUILD: sanitiser bypassed'), 'the test build could not bypass the checks of www/js/html-sink.js');
      await route.fulfill({ body: broken, contentType: 'text/javascript' });
    });
  }
  const dialogs = [];
  page.on('dialog', (dialog) => { dialogs.push(dialog.message()); dialog.dismiss().catch(() => {}); });
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(`${server.url}www/test/csp-bypass.html`);
  await page.waitForFunction(() => window.__result !== undefined, null, { timeout: 30_000 });
  const result = await page.evaluate(() => ({ ...window.__result, ran: window.__ran, violations: window.__violations }));
  await context.close();
  return { ...result, dialogs, errors };
}

test('the page CSP and Trusted Types block payloads that slipped past the sanitiser, and report them', async () => {
  const blocked = await openTestPage(true);
  const directives = new Set(blocked.violations.map((v) => v.directive));
  console.log(`\nCSP with the sanitiser bypassed: ${Object.keys(blocked.attempts).length} attempts, ${blocked.ran.length} ran, ${blocked.violations.length} violations reported (${[...directives].sort().join(', ')})`);
  assert.match(blocked.slippedThrough ?? '', /__ran/, 'the test build really let the handler through the sink');
  assert.deepEqual(blocked.ran, [], 'no payload script ran');
  assert.deepEqual(blocked.dialogs, []);
  assert.equal(new URL(blocked.baseURI).origin, new URL(server.url).origin, '<base> did not move the page');
  for (const directive of ['script-src-attr', 'script-src-elem', 'require-trusted-types-for', 'trusted-types', 'base-uri', 'form-action', 'object-src', 'style-src-elem', 'style-src-attr']) {
    assert.ok(directives.has(directive), `a ${directive} violation is reported (got: ${[...directives].join(', ')})`);
  }
  for (const name of ['raw innerHTML', 'insertAdjacentHTML', 'handler by setAttribute']) {
    assert.match(blocked.attempts[name], /TypeError.*TrustedHTML|TypeError.*Trusted/, `${name} is refused by Trusted Types`);
  }
  assert.match(blocked.attempts['a second policy'], /TypeError/, 'no second Trusted Types policy');
  assert.match(blocked.attempts.eval, /EvalError/);
});

test('the sink checks article HTML with the Sanitizer API: payloads that slipped past the sanitiser do not land, even without a CSP', async () => {
  const checked = await openTestPage(false, { bypassed: false });
  console.log(`the real sink, no CSP: ${Object.keys(checked.attempts).length} attempts, ${checked.ran.length} ran; landed: ${JSON.stringify(checked.landed)}`);
  assert.deepEqual(checked.landed, { handlers: [], elements: [], javascriptLinks: 0, styled: 0 }, 'nothing that runs or styles landed in the page');
  assert.equal(checked.slippedThrough, null);
  // What ran went around the sink (no CSP here): raw innerHTML, eval, Function, a script element.
  for (const ran of checked.ran) assert.ok(!/onerror|onbegin|onmouseover|javascript: link|object|srcdoc/.test(ran), `${ran} ran through the sink`);
  assert.equal(new URL(checked.baseURI).origin, new URL(server.url).origin, '<base> did not move the page');
});

test('control: without the CSP the same slipped payloads run', async () => {
  const open = await openTestPage(false);
  console.log(`control without CSP: ${open.ran.length} payload scripts ran (${open.ran.join(', ')})`);
  assert.ok(open.ran.includes('img onerror'), 'the slipped handler runs when nothing else stops it');
  assert.ok(open.ran.length >= 4);
});
