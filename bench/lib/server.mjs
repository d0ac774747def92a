// A static HTTP server for the benchmark pages: maps URL prefixes to folders,
// serves data held in memory, and counts the bytes it sends (so "bytes fetched
// per query" is what left the server, whatever the browser's caches did).
//
// Pages are cross-origin isolated (COOP/COEP), which gives them precise timers.
import http from 'node:http';
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/**
 * Starts the server on 127.0.0.1 (a free port).
 * @param {Record<string, string>} mounts URL prefix ('/pkg/') → folder
 * @returns {Promise<{url: string, mount(prefix, dir), put(urlPath, body, type?), takeLog(): {path: string, bytes: number, status: number, file?: string, body?: Buffer}[], close()}>}
 */
export async function startServer(mounts) {
  const folders = new Map(Object.entries(mounts));
  const blobs = new Map();
  let log = [];

  const server = http.createServer((request, response) => {
    const urlPath = decodeURIComponent(new URL(request.url, 'http://x').pathname);
    const headers = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    };
    const send = (status, type, length, body, source = {}) => {
      response.writeHead(status, { ...headers, 'Content-Type': type, 'Content-Length': length });
      log.push({ path: urlPath, bytes: length, status, ...source });
      if (typeof body === 'function') body();
      else response.end(body);
    };
    if (blobs.has(urlPath)) {
      const { body, type } = blobs.get(urlPath);
      return send(200, type, body.length, body, { body });
    }
    const prefix = [...folders.keys()].filter((p) => urlPath.startsWith(p)).sort((a, b) => b.length - a.length)[0];
    if (prefix === undefined) return send(404, 'text/plain', 9, 'not found');
    const root = folders.get(prefix);
    let file = path.join(root, urlPath.slice(prefix.length));
    if (!file.startsWith(root)) return send(403, 'text/plain', 9, 'forbidden');
    let stat;
    try {
      stat = statSync(file);
      if (stat.isDirectory()) {
        file = path.join(file, 'index.html');
        stat = statSync(file);
      }
    } catch {
      return send(404, 'text/plain', 9, 'not found');
    }
    const type = TYPES[path.extname(file)] || 'application/octet-stream';
    send(200, type, stat.size, () => createReadStream(file).pipe(response), { file });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${server.address().port}`;
  return {
    url,
    /** Serves a folder under a URL prefix ('/site/x1/'). */
    mount: (prefix, dir) => folders.set(prefix, path.resolve(dir)),
    /** Serves data from memory at a path. */
    put: (urlPath, body, type = TYPES[path.extname(urlPath)] || 'application/octet-stream') => {
      blobs.set(urlPath, { body: Buffer.isBuffer(body) ? body : Buffer.from(body), type });
    },
    drop: (urlPath) => blobs.delete(urlPath),
    /**
     * The requests answered since the last call: `{ path, bytes, status }`
     * (body bytes as sent, uncompressed) and `file` (the file sent) or `body`
     * (data held in memory).
     */
    takeLog: () => {
      const out = log;
      log = [];
      return out;
    },
    close: () => new Promise((resolve) => {
      server.closeAllConnections?.();
      server.close(resolve);
    }),
  };
}
