// The page's words (www/js/i18n.js): each locale names every key once (a key
// written twice in an object literal silently replaces the first, as a feed
// interval's "minutes" once replaced the reading time's), both locales have
// the same keys, and every {placeholder} of a key is the same in both.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './helpers.mjs';

const source = readFileSync(path.join(ROOT, 'www/js/i18n.js'), 'utf8');

/** Each locale's block of the STRINGS literal: its keys as written, and each key's text. */
function locales() {
  const body = source.slice(source.indexOf('const STRINGS = {'), source.indexOf('\n};', source.indexOf('const STRINGS = {')));
  const blocks = {};
  for (const match of body.matchAll(/^ {2}([a-z]{2}): \{\n([\s\S]*?)^ {2}\},?$/gm)) {
    const lines = match[2].split('\n');
    const keys = lines.map((line) => line.match(/^ {4}([A-Za-z0-9_]+):/)?.[1]).filter(Boolean);
    const text = Object.fromEntries(lines.map((line) => line.match(/^ {4}([A-Za-z0-9_]+): (.*)$/)).filter(Boolean).map((m) => [m[1], m[2]]));
    blocks[match[1]] = { keys, text };
  }
  return blocks;
}

test('every key once per locale, the same keys and placeholders in every locale', () => {
  const blocks = locales();
  assert.deepEqual(Object.keys(blocks).sort(), ['en', 'zh']);
  for (const [locale, { keys }] of Object.entries(blocks)) {
    const repeated = keys.filter((key, i) => keys.indexOf(key) !== i);
    assert.deepEqual(repeated, [], `${locale}: keys written twice`);
  }
  const [en, zh] = [blocks.en, blocks.zh];
  assert.deepEqual([...zh.keys].sort(), [...en.keys].sort(), 'the same keys in English and Chinese');
  const placeholders = (text) => [...new Set([...text.matchAll(/\{([a-z]+)\}/gi)].map((m) => m[1]))].sort();
  for (const key of en.keys) assert.deepEqual(placeholders(zh.text[key]), placeholders(en.text[key]), `${key}: placeholders`);
  console.log(`i18n: ${en.keys.length} keys in each of en, zh, each once, placeholders alike`);
});
