// Sizes on disk of what the benchmark builds (sites, bundles, collections),
// and the size of what a server sends compressed.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import path from 'node:path';

const gzipped = new Map();

/**
 * The bytes a server that compresses would send for a file (or a buffer):
 * gzip -9 of it, or the file as it is when gzip makes it no smaller (already
 * compressed: Lectern's collection files, Pagefind's index). The benchmark's
 * own server sends files uncompressed; this is what a compressing host sends.
 */
export function servedGzipBytes({ file, body }) {
  if (body) return Math.min(body.length, gzipSync(body, { level: 9 }).length);
  const { size, mtimeMs } = statSync(file);
  const key = `${file}\0${size}\0${mtimeMs}`;
  if (!gzipped.has(key)) gzipped.set(key, Math.min(size, gzipSync(readFileSync(file), { level: 9 }).length));
  return gzipped.get(key);
}

/** `{ files, bytes }` of every file under `dir`, recursively. */
export function folderSize(dir) {
  let files = 0;
  let bytes = 0;
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        files++;
        bytes += statSync(full).size;
      }
    }
  };
  walk(dir);
  return { files, bytes };
}
