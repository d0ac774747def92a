// Defence in depth: a payload that slipped past the sanitiser on purpose (a
// test build of core.js whose sanitiser returns its input unchanged) is still
// blocked by the page's Content-Security-Policy and Trusted Types, read from
// www/index.html, and each block is reported as a violation. Without the CSP
// (the control), the same payloads run: the test can fail.
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

/** Opens the test page with or without the page's CSP; returns what ran and what was reported. */
async function openTestPage(withCsp) {
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
  // The test build: the sanitiser lets everything through.
  await page.route('**/www/js/core.js', async (route) => {
    const real = readFileSync(path.join(ROOT, 'www/js/core.js'), 'utf8');
    const broken = real.replace('return wasm.sanitize(html);', 'return html; // TEST BUILD: sanitiser bypassed');
    assert.notEqual(broken, real, 'the test build could not bypass sanitizeNow in www/js/core.js');
    await route.fulfill({ body: broken, contentType: 'text/javascript' });
  });
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

test('control: without the CSP the same slipped payloads run', async () => {
  const open = await openTestPage(false);
  console.log(`control without CSP: ${open.ran.length} payload scripts ran (${open.ran.join(', ')})`);
  assert.ok(open.ran.includes('img onerror'), 'the slipped handler runs when nothing else stops it');
  assert.ok(open.ran.length >= 4);
});
