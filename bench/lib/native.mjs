// Running the native `lectern` CLI from the benchmark.
import { spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { LECTERN, ROOT } from './paths.mjs';

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
