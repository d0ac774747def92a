// Running native commands from the benchmark: the `lectern` CLI (parse, serve),
// and any command with its time and peak memory.
import { spawn } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { LECTERN, ROOT } from './paths.mjs';

const TIME = '/usr/bin/time';

/**
 * Runs `lectern ARGS`, feeding `inputFile` (a path) on standard input.
 * Resolves with `{ stdout, stderr, code, ms }`; `keepStdout: false` drops the output.
 */
export function runLectern(args, { inputFile, keepStdout = true, env } = {}) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(LECTERN, args, { cwd: ROOT, stdio: [inputFile ? 'pipe' : 'ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    const out = [];
    const err = [];
    child.stdout.on('data', (chunk) => keepStdout && out.push(chunk));
    child.stderr.on('data', (chunk) => err.push(chunk));
    child.on('error', (error) => reject(new Error(`could not run ${LECTERN}: ${error.message} (build it with ./build.sh bench)`)));
    child.on('close', (code) => {
      resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code, ms: performance.now() - started });
    });
    if (inputFile) createReadStream(inputFile).pipe(child.stdin);
  });
}

/** `lectern parse DIR...` as an array of articles; files that fail are returned apart. */
export async function parseNative(paths) {
  const { stdout, stderr, code } = await runLectern(['parse', ...paths]);
  const lines = stdout.split('\n').filter(Boolean).map((line) => JSON.parse(line));
  if (code !== 0 && code !== 1) throw new Error(`lectern parse failed (${code}): ${stderr}`);
  return { articles: lines.filter((a) => !a.error), failures: lines.filter((a) => a.error) };
}

/**
 * `lectern parse DIR...` one article at a time (for folders too large to hold
 * their output in one string): awaits `onArticle(article)` for each parsed
 * article; resolves with the number of files that failed.
 */
export async function parseNativeEach(paths, onArticle) {
  const child = spawn(LECTERN, ['parse', ...paths], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve, reject) => {
    child.on('error', (error) => reject(new Error(`could not run ${LECTERN}: ${error.message} (build it with ./build.sh bench)`)));
    child.on('close', resolve);
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => { stderr = (stderr + chunk).slice(-4000); });
  let failures = 0;
  for await (const line of readline.createInterface({ input: child.stdout, crlfDelay: Infinity })) {
    if (!line) continue;
    const article = JSON.parse(line);
    if (article.error) failures++;
    else await onArticle(article);
  }
  const code = await exited;
  if (code !== 0 && code !== 1) throw new Error(`lectern parse failed (${code}): ${stderr}`);
  return { failures };
}

/**
 * Runs a command to its end under GNU time: resolves with `{ ms, peakRssBytes,
 * code, signal, stderr }` (`peakRssBytes`: the most resident memory the command
 * held; `stderr`: its last 4,000 characters). Its standard output is dropped.
 */
export function measureCommand(command, args, { cwd = ROOT } = {}) {
  if (!existsSync(TIME)) throw new Error(`${TIME} is missing (Debian package 'time'): it measures peak memory`);
  const scratch = mkdtempSync(path.join(tmpdir(), 'lectern-time-'));
  const report = path.join(scratch, 'time');
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(TIME, ['-f', '%M %x', '-o', report, command, ...args], { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => { stderr = (stderr + chunk).slice(-4000); });
    child.on('error', (error) => reject(new Error(`could not run ${command}: ${error.message}`)));
    child.on('close', () => {
      const ms = performance.now() - started;
      try {
        // "Command terminated by signal 9" comes first when the command was killed.
        const lines = readFileSync(report, 'utf8').trim().split('\n');
        const [kilobytes, code] = lines.at(-1).split(' ').map(Number);
        const signal = Number(lines.find((l) => /terminated by signal/.test(l))?.match(/signal (\d+)/)?.[1] ?? 0) || null;
        resolve({ ms, peakRssBytes: kilobytes * 1024, code, signal, stderr });
      } catch (error) {
        reject(new Error(`${command}: no report from ${TIME}: ${error.message}\n${stderr}`));
      } finally {
        rmSync(scratch, { recursive: true, force: true });
      }
    });
  });
}

/**
 * Starts `lectern serve DIR --port 0` with its cache in `cache` (LECTERN_CACHE:
 * a folder of the run's, never the user's). It builds DIR into a collection
 * before it listens, so its build never falls in a page's times. Resolves once
 * it prints its address with `{ url, articles, startMs, stop(), log() }`:
 * `startMs` from the start to the address (its build), `articles` the count it
 * printed, `log()` what it wrote since (stderr and stdout).
 */
export function serveLectern(dir, { cache, args = [] } = {}) {
  if (!cache) throw new Error('serveLectern: give it a cache folder (a temporary one)');
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(LECTERN, ['serve', dir, '--port', '0', ...args], {
      cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LECTERN_CACHE: cache },
    });
    let output = '';
    let since = '';
    let served = false;
    const onData = (chunk) => {
      if (served) {
        since = (since + chunk).slice(-100_000);
        return;
      }
      output = (output + chunk).slice(-100_000);
      const match = output.match(/Open (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (!match) return;
      served = true;
      resolve({
        url: match[1],
        articles: Number(output.match(/serving (\d+) article/)?.[1] ?? NaN),
        startMs: performance.now() - started,
        log: () => {
          const out = since;
          since = '';
          return out;
        },
        /** Ctrl-C; killed if it has not stopped 5 s later (open keep-alive connections). */
        stop: () => new Promise((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
          child.once('exit', () => {
            clearTimeout(timer);
            done();
          });
          child.kill('SIGINT');
        }),
      });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => {
      if (!served) reject(new Error(`lectern serve exited (${code}) before serving:\n${output.slice(-4000)}`));
    });
    child.on('error', reject);
  });
}
