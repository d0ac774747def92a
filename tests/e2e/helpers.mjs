// Shared helpers for the end-to-end tests: start `lectern serve`, launch
// Debian's Chromium through playwright-core, collect page problems, and
// build static collections of derived articles.
import { before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { generateArticles } from '../../bench/lib/generate.mjs';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const LECTERN = process.env.LECTERN_BIN || path.join(ROOT, 'target/release/lectern');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

/** A cache folder for the collections `lectern serve` builds, one per test run (never the user's). */
const SERVE_CACHE = mkdtempSync(path.join(tmpdir(), 'lectern-e2e-cache-'));

/** Starts `lectern serve DIR --port 0` and resolves with its address once it prints it. */
export function startServer(dir, extraArgs = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(LECTERN, ['serve', dir, '--port', '0', ...extraArgs], {
      cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LECTERN_CACHE: SERVE_CACHE },
    });
    let output = '';
    const onData = (chunk) => {
      output += chunk;
      const match = output.match(/Open (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (match) resolve({ url: match[1], output: () => output, stop: () => child.kill('SIGINT') });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => { output += chunk; });
    child.on('exit', (code) => reject(new Error(`lectern serve exited (${code}) before serving:\n${output}`)));
    child.on('error', reject);
  });
}

/** Launches headless Chromium. */
export function launch() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * For the tests of one file: `lectern serve DIR` and a browser, started before
 * the first test and stopped after the last. Returns `{ server, browser }`,
 * filled in once they run.
 * @param {string} dir
 * @param {string[]} [args] more arguments of `lectern serve`
 */
export function useServerAndBrowser(dir, args = []) {
  const session = { server: null, browser: null };
  before(async () => {
    [session.server, session.browser] = await Promise.all([startServer(dir, args), launch()]);
  });
  after(async () => {
    await session.browser?.close();
    session.server?.stop();
  });
  return session;
}

/**
 * Records console errors, page errors and CSP / Trusted Types violations of a page.
 * @returns {{errors: string[]}}
 */
export async function watchProblems(page) {
  const problems = { errors: [] };
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
    });
  });
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const where = message.location()?.url;
    // The browser's own "Failed to load resource" says not which: add the URL.
    problems.errors.push(/^Failed to load resource/.test(message.text()) && where ? `${message.text()} (${where})` : message.text());
  });
  page.on('pageerror', (error) => problems.errors.push(`page error: ${error.message}`));
  return problems;
}

/** Opens a page in a fresh context (fresh storage), watching for problems. */
export async function openPage(browser, url, { viewport = { width: 1280, height: 900 }, colorScheme = 'light', locale = 'en-US', route } = {}) {
  const context = await browser.newContext({ viewport, colorScheme, locale, acceptDownloads: true });
  if (route) await route(context);
  const page = await context.newPage();
  const problems = await watchProblems(page);
  if (url) await gotoReady(page, url);
  return { context, page, problems };
}

/** Navigates and waits until the page has loaded its collection. */
export async function gotoReady(page, url) {
  await page.goto(url);
  await waitReady(page);
}

/** Waits until the page has loaded everything (html[data-ready]). */
export function waitReady(page, timeout = 60_000) {
  return page.waitForSelector('html[data-ready="true"]', { state: 'attached', timeout });
}

/**
 * Waits until the list has what it shows: on a static collection (or a served
 * folder) rows and counts arrive after the list state changes; the page marks
 * that time with html[data-list-busy] and rows still loading.
 */
export async function listSettled(page, timeout = 30_000) {
  await page.waitForFunction(() => !document.documentElement.hasAttribute('data-list-busy') && !document.querySelector('#list .item.loading')
    && !/^(Loading|正在加载)/.test(document.querySelector('#result-count')?.textContent ?? ''), null, { timeout });
}

/** The titles of the rows drawn in the list, in order (once the list has settled). */
export async function listTitles(page) {
  await listSettled(page);
  return page.$$eval('#list .item', (rows) => rows
    .sort((a, b) => Number(a.getAttribute('aria-posinset')) - Number(b.getAttribute('aria-posinset')))
    .map((row) => row.querySelector('.item-link').textContent.replace(/^(Unread|Starred|未读|星标): /g, '').replace(/^(Starred|星标): /, '')));
}

/** How many articles the list holds (drawn or not), once it has settled. */
export async function listCount(page) {
  await listSettled(page);
  const first = await page.$('#list .item');
  if (!first) return 0;
  return Number(await first.getAttribute('aria-setsize'));
}

/** Answers image requests from other sites (the samples reference img.example.com) with a small SVG. */
export async function routeExampleImages(context) {
  await context.route(/^https:\/\/img\.example\.com\//, (route) => route.fulfill({
    status: 200, contentType: 'image/svg+xml',
    body: '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"><rect width="40" height="30" fill="#888"/></svg>',
  }));
}

/** Runs `lectern parse DIR` and returns its articles (one JSON object per line). */
export async function parseNative(dir) {
  const { execFile } = await import('node:child_process');
  const output = await new Promise((resolve, reject) => {
    execFile(LECTERN, ['parse', dir], { maxBuffer: 512 * 1024 * 1024 }, (error, stdout) => (stdout ? resolve(stdout) : reject(error)));
  });
  return output.split('\n').filter(Boolean).map((line) => JSON.parse(line)).filter((a) => !a.error);
}

/**
 * Waits until an async function evaluated in the page returns something truthy
 * (page.waitForFunction does not await a promise: it would count as true).
 */
export async function waitForAsync(page, fn, arg, { timeout = 30_000, interval = 200 } = {}) {
  const end = Date.now() + timeout;
  for (;;) {
    const value = await page.evaluate(fn, arg);
    if (value) return value;
    if (Date.now() > end) throw new Error(`waitForAsync: timed out after ${timeout} ms waiting for ${fn.toString().slice(0, 120)}`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}

/**
 * A static collection of `count` articles derived from the shared corpora
 * (bench/lib/generate.mjs, deterministic from `seed`), built with `lectern
 * index` in a new temporary folder. Fails with a clear message when the
 * shared corpora are missing. Resolves to { scratch, source, site, indexMs }.
 */
export async function derivedCollection(name, { count, seed }) {
  const shared = process.env.LECTERN_SHARED || path.join(ROOT, '..', 'shared');
  assert.ok(existsSync(path.join(shared, 'corpus')), `the shared corpora are missing: ${shared} (set LECTERN_SHARED)`);
  const scratch = mkdtempSync(path.join(tmpdir(), `lectern-${name}-`));
  const source = path.join(scratch, 'articles');
  const site = path.join(scratch, 'site');
  await generateArticles({ count, seed, out: source });
  const started = Date.now();
  execFileSync(LECTERN, ['index', source, '-o', site], { stdio: ['ignore', 'ignore', 'pipe'] });
  return { scratch, source, site, indexMs: Date.now() - started };
}

/** `lectern search TARGET QUERY --limit N`: the hits as the command line gives them. */
export function searchNative(target, query, limit = 10) {
  return JSON.parse(execFileSync(LECTERN, ['search', target, query, '--limit', String(limit)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 256 * 1024 * 1024 }));
}
