// Sizes on disk of what the benchmark builds (sites, bundles, collections).
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

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
