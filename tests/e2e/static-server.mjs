// A small static file server for browser tests, as any static host serves
// files (a folder, or URL prefixes mapped to folders of the repository, for
// tests with pages and headers of their own: the XSS harness, the CSP test).
// Anything else is a 404. Listens on 127.0.0.1, any free port.
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ROOT } from './paths.mjs';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * What the XSS harness page (tests/e2e/pages/xss-harness.html) loads: the
 * ingest module, the page's modules (its HTML sink), DOMPurify.
 */
export const HARNESS_MOUNTS = {
  '/pkg/': 'www/pkg', '/js/': 'www/js', '/harness/': 'tests/e2e/pages', '/vendor/dompurify/': 'node_modules/dompurify/dist',
};

/**
 * Starts the server.
 * @param {string | Record<string, string>} where a folder to serve whole (a
 *   site: `/` is its index.html), or URL prefixes (e.g. '/pkg/') → folders
 *   relative to the repository root
 * @param {{headers?: (url: string) => Record<string, string>, transform?: (url: string, body: Buffer) => Buffer | string}} [options]
 * @returns {Promise<{url: string, requests: string[], stop: () => Promise<void>}>}
 */
export function startStaticServer(where, options = {}) {
  const mounts = typeof where === 'string' ? { '/': path.resolve(ROOT, where) } : where;
  const requests = [];
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://localhost');
    requests.push(url.pathname);
    const prefix = Object.keys(mounts).find((p) => url.pathname.startsWith(p));
    if (!prefix) {
      res.writeHead(404).end();
      return;
    }
    const base = path.resolve(ROOT, mounts[prefix]);
    const rest = decodeURIComponent(url.pathname.slice(prefix.length));
    const file = path.join(base, !rest || rest.endsWith('/') ? `${rest}index.html` : rest);
    if (!file.startsWith(base + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      let body = await readFile(file);
      if (options.transform) body = options.transform(url.pathname, body);
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-store',
        ...(options.headers?.(url.pathname) ?? {}),
      });
      res.end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve, reject) => {
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({
        url: `http://127.0.0.1:${port}/`,
        requests,
        stop: () => new Promise((done) => {
          server.closeAllConnections?.();
          server.close(() => done());
        }),
      });
    });
  });
}
