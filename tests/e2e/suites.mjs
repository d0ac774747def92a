// The shared test data (../shared, read in place) for the browser harness and
// the fuzz seeds: the nine XSS suites with every case counted, the html5sec
// RSS feed-field payloads, and the corpus's article files. The same rules as
// tests/common/mod.rs, so native and browser counts agree.
import { readFileSync, readdirSync, statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './paths.mjs';

/** The shared data folder: $LECTERN_SHARED, else ../shared; throws when missing. */
export function sharedDir() {
  const dir = process.env.LECTERN_SHARED || path.join(ROOT, '..', 'shared');
  if (!existsSync(path.join(dir, 'xss')) || !existsSync(path.join(dir, 'corpus'))) {
    throw new Error(`shared test data not found at '${dir}' (it must hold xss/ and corpus/; set LECTERN_SHARED)`);
  }
  return dir;
}

/** The nine suites, in a fixed order (file stem = suite name). */
export const SUITES = [
  'dompurify', 'h5sc', 'h5sc-rss', 'ammonia', 'sanitize-html', 'bleach', 'owasp-xss-filter-evasion', 'wpt-sanitizer',
  'mxss-cheatsheet',
];

function readJson(relative) {
  const file = path.join(sharedDir(), relative);
  return JSON.parse(readFileSync(file, 'utf8'));
}

/**
 * The inputs of one case: the payload; for a non-string payload what a
 * JavaScript caller passes (String(5), '' for null); for a parser-quirk case
 * without a payload, its round-trip inputs, examples, snippets and description.
 * @returns {string[]}
 */
export function inputsOf(c) {
  if (typeof c.payload === 'string') return [c.payload];
  if (typeof c.payload === 'number' || typeof c.payload === 'boolean') return [String(c.payload)];
  if (c.payload_non_string === '{}') return ['[object Object]'];
  if (c.payload_non_string === 'undefined') return ['undefined'];
  if (c.payload_non_string && typeof c.expected_html === 'string') return [c.expected_html];
  const inputs = [
    ...(c.roundtrip_examples ?? []).map((r) => r.input).filter((s) => typeof s === 'string'),
    ...(c.fenced_examples ?? []).filter((s) => typeof s === 'string'),
    ...(c.payload_snippets ?? []).filter((s) => typeof s === 'string'),
  ];
  if (typeof c.description_markdown === 'string' && c.description_markdown) inputs.push(c.description_markdown);
  if (inputs.length === 0) inputs.push('');
  return inputs;
}

/** The cases of one suite: [{id, inputs}]. */
export function suite(name) {
  const data = readJson(`xss/${name}.json`);
  const items = Array.isArray(data) ? data : data.items;
  if (!Array.isArray(items) || items.length === 0) throw new Error(`suite '${name}' has no cases`);
  return items.map((c, i) => ({ id: c.id ?? `${name}#${i}`, inputs: inputsOf(c) }));
}

function htmlEntities(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#039;');
}

/** html5sec RSS-mode feed-field payloads, placeholders filled from the RSS items: [{element, value}]. */
export function feedFieldValues() {
  const data = readJson('xss/h5sc-rss.json');
  const items = (data.items ?? []).map((i) => i.payload).filter((p) => typeof p === 'string');
  const vectors = data.feed_field_vectors ?? [];
  if (!vectors.length || !items.length) throw new Error('h5sc-rss.json has no feed_field_vectors or items');
  const out = [];
  for (const { element, payload } of vectors) {
    if (payload.includes('{VECTOR')) {
      items.forEach((item, n) => {
        out.push({
          element,
          value: payload.replaceAll('{VECTOR_HTMLENTITIES}', htmlEntities(item)).replaceAll('{VECTOR}', item).replaceAll(' N ', ` ${n + 1} `),
        });
      });
    } else {
      out.push({ element, value: payload.replaceAll('(N)', '(1)') });
    }
  }
  return out;
}

const ARTICLE_EXTENSIONS = ['md', 'markdown', 'mdown', 'mkd', 'mkdn', 'html', 'htm', 'txt'];
const SKIPPED_NAMES = ['readme', 'license', 'licence', 'changelog', 'contributing', 'code_of_conduct'];

/** Every article file of ../shared/corpus (as `lectern::collection::walk` finds them): [{name, file, size}]. */
export function corpusFiles() {
  const root = path.join(sharedDir(), 'corpus');
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const dot = entry.name.lastIndexOf('.');
        if (dot <= 0) continue;
        const ext = entry.name.slice(dot + 1).toLowerCase();
        const stem = entry.name.slice(0, dot).toLowerCase();
        if (ARTICLE_EXTENSIONS.includes(ext) && !SKIPPED_NAMES.includes(stem)) {
          out.push({ name: path.relative(root, full).split(path.sep).join('/'), file: full, size: statSync(full).size });
        }
      }
    }
  };
  walk(root);
  return out;
}
