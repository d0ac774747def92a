// Bad input through the real WASM build (www/pkg) in Chromium: each gives a
// JS Error with a clear message or a bounded article, and the same instance
// keeps answering afterwards (a trap would take the whole page down). The
// native side of these cases is tests/bad_input.rs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch } from './helpers.mjs';
import { startStaticServer, HARNESS_MOUNTS } from './static-server.mjs';

let server;
let browser;

before(async () => {
  server = await startStaticServer(HARNESS_MOUNTS);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('bad input gives a clear error or a bounded result, and the WASM instance keeps working', async () => {
  const page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${server.url}harness/xss-harness.html`);
  await page.waitForFunction(() => window.harness?.ready === true, null, { timeout: 30_000 });
  const results = await page.evaluate(() => {
    const { parseArticle, sanitize } = window.harness;
    const outcome = (name, make) => {
      try {
        const article = parseArticle(name, make());
        return { ok: true, title: article.title, date: article.date ?? null, words: article.words, htmlLength: article.html.length, warnings: article.warnings };
      } catch (error) {
        return { ok: false, error: `${error.constructor.name}: ${error.message}` };
      }
    };
    const bomb = ['---', 'title: bomb', 'a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
      ...'abcdefgh'.split('').map((p, i) => `${'bcdefghi'[i]}: &${'bcdefghi'[i]} [${Array(9).fill(`*${p}`).join(', ')}]`), '---', 'body'].join('\n');
    return {
      lone_surrogates: outcome('mixed.md', () => '---\ntitle: a\uD800b\n---\n<p>\uDC00 text \uD83D</p>'),
      bom_crlf: outcome('bom.md', () => '\uFEFF---\r\ntitle: t\r\n---\r\nbody\r\n'),
      empty: outcome('empty.md', () => ''),
      binary: outcome('image.png', () => '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0'),
      twenty_mb: outcome('big.md', () => '<p>twenty megabytes</p>\n'.repeat((20 * 1024 * 1024) / 24)),
      nested_100k: outcome('deep.html', () => '<div>'.repeat(100_000) + 'deep'),
      attributes_100k: outcome('attrs.html', () => `<p title="kept"${Array.from({ length: 100_000 }, (_, i) => ` a${i}=x`).join('')}>text</p>`),
      line_5mb: outcome('line.md', () => `---\ntitle: line\n---\n${'word '.repeat(1024 * 1024)}`),
      alias_bomb: outcome('bomb.md', () => bomb),
      nested_yaml: outcome('nested.md', () => `---\ntitle: t\ndeep: ${'['.repeat(100_000)}x${']'.repeat(100_000)}\n---\nbody`),
      date_out_of_range: outcome('date.md', () => '---\ntitle: t\ndate: +275760-09-13\n---\nbody'),
      open_fence: outcome('open.md', () => '---\ntitle: x\n\nbody'),
      sanitize_20mb: { ok: true, htmlLength: sanitize('<p>x</p>'.repeat((20 * 1024 * 1024) / 8)).length },
      still_working: outcome('ok.md', () => '# Still here\n\nfine'),
    };
  });
  const line = (k) => `${k}: ${results[k].ok ? `article, ${results[k].warnings?.length ?? 0} warning(s)` : results[k].error}`;
  console.log(`\nbad input in the WASM build:\n  ${Object.keys(results).map(line).join('\n  ')}`);
  assert.equal(results.lone_surrogates.title, 'a\uFFFDb');
  assert.equal(results.bom_crlf.title, 't');
  assert.equal(results.empty.error, "Error: article 'empty.md': the file is empty");
  assert.match(results.binary.error, /^Error: article 'image\.png': this looks like a binary file/);
  assert.match(results.twenty_mb.error, /^Error: article 'big\.md': the file is \d+ bytes, over the limit of 8388608 bytes/);
  assert.ok(results.nested_100k.warnings.some((w) => w.includes('nested deeper than 512')));
  assert.ok(results.attributes_100k.warnings.some((w) => w.includes('beyond 64')));
  assert.equal(results.line_5mb.words, 1024 * 1024);
  assert.ok(results.alias_bomb.warnings.some((w) => w.includes('alias bomb')));
  assert.ok(results.nested_yaml.warnings.length > 0);
  assert.equal(results.date_out_of_range.date, null);
  assert.ok(results.open_fence.warnings.some((w) => w.includes('no closing')));
  assert.ok(results.sanitize_20mb.htmlLength <= 8 * 1024 * 1024 + 1024);
  assert.equal(results.still_working.title, 'Still here');
  assert.deepEqual(pageErrors, []);
  await page.close();
});
