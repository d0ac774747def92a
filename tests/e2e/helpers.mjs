// Shared helpers for the end-to-end tests: start `lectern serve`, launch
// Debian's Chromium through playwright-core, and collect page problems.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const LECTERN = process.env.LECTERN_BIN || path.join(ROOT, 'target/release/lectern');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

/** Starts `lectern serve DIR --port 0` and resolves with its address once it prints it. */
export function startServer(dir, extraArgs = []) {
  return new Promise((resolve, reject) => {
    const child = spawn(LECTERN, ['serve', dir, '--port', '0', ...extraArgs], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
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
    if (message.type() === 'error') problems.errors.push(message.text());
  });
  page.on('pageerror', (error) => problems.errors.push(`page error: ${error.message}`));
  return problems;
}
