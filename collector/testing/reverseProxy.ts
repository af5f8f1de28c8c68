/**
 * A small real reverse proxy for integration tests, standing where nginx or an auth gateway
 * stands in front of Prometheus: it serves under a path prefix, can demand headers (a bearer
 * token, a tenant id) and answers 401 without them, can answer an HTML error page on a path of
 * its own, and can listen with TLS. Every request's headers are kept for assertions.
 */
import { once } from 'node:events';
import http, {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';

export interface ProxyOptions {
  /** Where requests go, e.g. Prometheus's `http://127.0.0.1:9090`. */
  upstream: string;
  /** Served path prefix, e.g. `/prometheus` (stripped before forwarding). */
  prefix: string;
  /** Headers every request must carry (lower-case names), else 401. */
  require?: Record<string, string>;
  /** A path prefix answered with an HTML 502 page, as nginx does with its upstream down. */
  brokenPrefix?: string;
  tls?: { cert: string; key: string };
}

export interface Proxy {
  url: string;
  seen: IncomingHttpHeaders[];
  stop(): Promise<void>;
}

const BAD_GATEWAY = `<html>
<head><title>502 Bad Gateway</title></head>
<body>
<center><h1>502 Bad Gateway</h1></center>
<hr><center>nginx/1.25.3</center>
</body>
</html>
`;

export async function startReverseProxy(opts: ProxyOptions): Promise<Proxy> {
  const seen: IncomingHttpHeaders[] = [];
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    seen.push(req.headers);
    const path = req.url ?? '/';
    if (opts.brokenPrefix && path.startsWith(opts.brokenPrefix)) {
      res.writeHead(502, { 'content-type': 'text/html' }).end(BAD_GATEWAY);
      return;
    }
    for (const [name, value] of Object.entries(opts.require ?? {})) {
      if (req.headers[name] !== value) {
        res.writeHead(401, { 'content-type': 'text/plain' }).end(`missing or wrong ${name}\n`);
        return;
      }
    }
    if (!path.startsWith(`${opts.prefix}/`)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found\n');
      return;
    }
    const target = new URL(path.slice(opts.prefix.length), opts.upstream);
    const headers = { ...req.headers, host: target.host };
    delete headers.authorization;
    const forward = http.request(target, { method: req.method, headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    forward.on('error', () => res.writeHead(502, { 'content-type': 'text/html' }).end(BAD_GATEWAY));
    req.pipe(forward);
  };
  const server = opts.tls ? https.createServer(opts.tls, handler) : http.createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    seen,
    async stop() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
