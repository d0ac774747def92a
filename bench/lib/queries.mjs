// The search benchmark's query set and its brute-force answers.
//
// Queries are drawn from the articles with a seeded generator: 2-4 letter spans
// of CJK text (what people type to find a Chinese name or word), and whole words
// in English, Arabic and Hebrew. The answer to a query is the set of articles
// whose folded title, categories, author or text contains it: as a substring for
// a CJK span, as a whole word otherwise. Folding: compatibility decomposition
// (full-width → half-width), combining marks removed (accents, tashkeel,
// niqqud; kana voicing marks stay), lower case, tatweel and invisible format
// characters removed, then recomposed (NFC).
import { createRng } from './rng.mjs';

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}ー]{2,}/gu;
const INVISIBLE = /[\u0640\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufe00-\ufe0f\ufeff]/g;

/** Folds text the way the brute force compares it. */
export function fold(text) {
  return text.normalize('NFKD').replace(/\p{M}/gu, (m) => (m === '\u3099' || m === '\u309a' ? m : ''))
    .replace(INVISIBLE, '').toLowerCase().replace(/ß/g, 'ss').normalize('NFC');
}

/** The whole words of folded text (CJK letters separate words and are not part of them). */
export function words(folded) {
  return folded.replace(new RegExp(CJK.source, 'gu'), ' ').split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/** The query set: `count` of each kind, deterministic from `seed`. */
export function makeQueries(docs, { seed = 9, cjk = 80, latin = 20, arabic = 10, hebrew = 10 } = {}) {
  const rng = createRng(seed);
  const folded = docs.map((d) => fold([d.title, d.categories, d.author, d.text].join('\n')));
  const queries = [];
  const seen = new Set();
  const add = (kind, text) => {
    if (!seen.has(text)) {
      seen.add(text);
      queries.push({ kind, text });
      return true;
    }
    return false;
  };
  const withCjk = folded.map((text, i) => [i, text.match(CJK_RUN)]).filter(([, runs]) => runs);
  for (let tries = 0; queries.filter((q) => q.kind === 'cjk').length < cjk && tries < cjk * 50; tries++) {
    const [, runs] = rng.pick(withCjk);
    const run = [...rng.pick(runs)];
    const length = Math.min(run.length, rng.int(2, 4));
    const start = rng.int(0, run.length - length);
    const span = run.slice(start, start + length).join('');
    if (!/ー/.test(span[0])) add('cjk', span);
  }
  const wordKinds = [
    ['latin', latin, /^[a-z]{4,14}$/],
    ['arabic', arabic, /^[\u0621-\u064a]{3,12}$/],
    ['hebrew', hebrew, /^[\u05d0-\u05ea]{3,12}$/],
  ];
  for (const [kind, count, shape] of wordKinds) {
    const pool = folded.map((text) => words(text).filter((w) => shape.test(w))).filter((ws) => ws.length);
    if (!pool.length) throw new Error(`no ${kind} words in the corpora`);
    for (let n = 0, tries = 0; n < count && tries < count * 50; tries++) {
      if (add(kind, rng.pick(rng.pick(pool)))) n++;
    }
  }
  return queries;
}

/** For each query, the indexes of the documents that contain it. */
export function bruteForce(docs, queries) {
  const folded = docs.map((d) => [d.title, d.categories, d.author, d.text].map(fold));
  const wordSets = folded.map((fields) => new Set(fields.flatMap(words)));
  return queries.map((q) => {
    const hits = [];
    for (let i = 0; i < docs.length; i++) {
      const found = q.kind === 'cjk' ? folded[i].some((field) => field.includes(q.text)) : wordSets[i].has(q.text);
      if (found) hits.push(i);
    }
    return hits;
  });
}

/**
 * Recall and precision of an engine's answers against the brute force, over all
 * queries of a kind: `recall` = found relevant / all relevant, `precision` =
 * found relevant / all returned (pooled over the queries), `exact` = queries
 * whose answer was exactly right.
 */
export function score(queries, truth, answers) {
  const byKind = {};
  queries.forEach((q, i) => {
    const kind = (byKind[q.kind] ??= { queries: 0, relevant: 0, returned: 0, found: 0, exact: 0, empty: 0 });
    const expected = truth[i];
    const got = new Set(answers[i]);
    const found = [...expected].filter((name) => got.has(name)).length;
    kind.queries++;
    kind.relevant += expected.size;
    kind.returned += got.size;
    kind.found += found;
    if (found === expected.size && got.size === expected.size) kind.exact++;
    if (!got.size) kind.empty++;
  });
  for (const kind of Object.values(byKind)) {
    kind.recall = kind.relevant ? kind.found / kind.relevant : 1;
    kind.precision = kind.returned ? kind.found / kind.returned : 1;
  }
  return byKind;
}
