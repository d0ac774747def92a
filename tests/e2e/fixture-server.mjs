// A local server for fixtures from "another site": images that answer 403 to
// any request carrying a Referer (as many image hosts do), and article files
// served with or without CORS.
import http from 'node:http';

/** Starts the server on 127.0.0.1; resolves to { url, requests, refused, files, stop }. */
export function startFixtureServer() {
  const requests = [];
  const refused = [];
  /** path → { body, type, cors } */
  const files = new Map();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    requests.push({ path: url.pathname, referer: req.headers.referer ?? null });
    if (url.pathname.startsWith('/img/')) {
      if (req.headers.referer) {
        refused.push(url.pathname);
        res.writeHead(403, { 'content-type': 'text/plain' });
        res.end('hotlinking refused');
        return;
      }
      const hue = [...url.pathname].reduce((sum, c) => sum + c.charCodeAt(0), 0) % 360;
      res.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'no-store' });
      res.end(`<svg xmlns="http://www.w3.org/2000/svg" width="160" height="100"><rect width="160" height="100" fill="hsl(${hue} 60% 55%)"/></svg>`);
      return;
    }
    const file = files.get(url.pathname);
    if (file) {
      const headers = { 'content-type': file.type ?? 'text/markdown; charset=utf-8' };
      if (file.cors) headers['access-control-allow-origin'] = '*';
      res.writeHead(200, headers);
      res.end(file.body);
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain', 'access-control-allow-origin': '*' });
    res.end('not found');
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      resolve({ url: `http://127.0.0.1:${port}`, requests, refused, files, stop: () => server.close() });
    });
  });
}
