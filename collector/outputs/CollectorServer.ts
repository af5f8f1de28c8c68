/**
 * The collector's HTTP face: `/metrics` for Prometheus (open, like every exporter), `/stream` for
 * consoles (WebSocket, token required), `/healthz`, and the built console at `/`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

import { WebSocketServer, type WebSocket } from 'ws';

import type { Collector } from '../agent/Collector.js';
import { toExposition } from '../core/exposition.js';
import type { WireMessage } from '../core/protocol/spec.js';
import type { ApiHandler } from './api/connectionsApi.js';
import { allowedHostNames, hostAllowed, misdirected, originAllowed } from './hostGuard.js';
import { serveStatic } from './staticFiles.js';
import { offeredToken, STREAM_PROTOCOL, tokenMatches } from './token.js';

export interface CollectorServerOptions {
  collector: Collector;
  node: string;
  host: string;
  port: number;
  token: string;
  /** Folder of the built console; undefined with --no-ui. */
  uiRoot?: string;
  /** The console's JSON API under /api (token-protected by the handler itself). */
  api?: ApiHandler;
  /** More Host names the console, /api and /stream answer to (`--allow-host`; hostGuard.ts). */
  allowHost?: readonly string[];
}

/** A console that stops reading must not make the collector hold unbounded data for it. */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
export const CLOSE_UNAUTHORIZED = 4401;

export class CollectorServer {
  private readonly http: Server;
  private readonly wss = new WebSocketServer({
    noServer: true,
    maxPayload: 64 * 1024,
    handleProtocols: (protocols) => (protocols.has(STREAM_PROTOCOL) ? STREAM_PROTOCOL : false),
  });
  private unsubscribe: (() => void) | undefined;
  private readonly hosts: ReadonlySet<string>;

  constructor(private readonly opts: CollectorServerOptions) {
    this.hosts = allowedHostNames(opts.host, opts.allowHost ?? []);
    this.http = createServer((req, res) => void this.handle(req, res));
    this.http.on('upgrade', (req, socket, head) => {
      if (pathOf(req) !== '/stream') {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        return;
      }
      // Refused before the handshake: a page of another site (or a rebinding name) never gets
      // a socket, let alone the 4401 that would tell it a collector is there.
      const { host, origin } = req.headers;
      if (!hostAllowed(host, this.hosts)) {
        socket.end(rawAnswer(421, 'Misdirected Request', misdirected(host)));
        return;
      }
      if (!originAllowed(origin, host)) {
        socket.end(rawAnswer(403, 'Forbidden', foreign(origin)));
        return;
      }
      this.wss.handleUpgrade(req, socket, head, (ws) => this.accept(ws, req));
    });
  }

  async listen(): Promise<{ url: string; port: number }> {
    await new Promise<void>((resolveListen, reject) => {
      this.http.once('error', reject);
      this.http.listen(this.opts.port, this.opts.host, () => resolveListen());
    });
    const { port } = this.http.address() as AddressInfo;
    const host = this.opts.host.includes(':') ? `[${this.opts.host}]` : this.opts.host;
    this.unsubscribe = this.opts.collector.subscribe((m) => this.broadcast(m));
    return { url: `http://${host}:${port}`, port };
  }

  async close(): Promise<void> {
    this.unsubscribe?.();
    for (const client of this.wss.clients) client.close(1001, 'collector stopping');
    this.wss.close();
    this.http.closeAllConnections();
    await new Promise<void>((r) => this.http.close(() => r()));
  }

  private accept(ws: WebSocket, req: IncomingMessage): void {
    // Accept, then close with a reason: a browser cannot read the status of a refused upgrade, so
    // 4401 is how the console tells "wrong token" from "collector down".
    if (!tokenMatches(this.opts.token, offeredToken(req))) {
      ws.close(CLOSE_UNAUTHORIZED, 'unauthorized: token missing or wrong');
      return;
    }
    ws.on('message', () => ws.close(1008, 'this stream is one-way'));
    ws.on('error', () => ws.terminate());
    const inventory = this.opts.collector.currentInventory();
    if (inventory) ws.send(JSON.stringify(inventory));
    for (const m of this.opts.collector.backlog()) ws.send(JSON.stringify(m));
  }

  private broadcast(message: WireMessage): void {
    if (this.wss.clients.size === 0) return;
    const text = JSON.stringify(message);
    for (const ws of this.wss.clients) {
      if (ws.readyState !== ws.OPEN || ws.protocol !== STREAM_PROTOCOL) continue;
      if (ws.bufferedAmount > MAX_BUFFERED_BYTES) continue;
      ws.send(text);
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = pathOf(req);
    // Open to any Host, like every exporter: Prometheus scrapes by IP and discovered names.
    const open = path === '/metrics' || path === '/healthz';
    const { host, origin } = req.headers;
    if (!open && !hostAllowed(host, this.hosts)) {
      res.writeHead(421, TEXT).end(misdirected(host));
      return;
    }
    if (this.opts.api && (path === '/api' || path.startsWith('/api/'))) {
      if (!originAllowed(origin, host)) {
        res.writeHead(403, { 'content-type': 'application/json; charset=utf-8' });
        res.end(JSON.stringify({ error: foreign(origin).trim() }));
        return;
      }
      await this.opts.api(req, res);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/metrics') {
      const body = toExposition(this.opts.collector.snapshot(), this.opts.node);
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' }).end(body);
      return;
    }
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
      return;
    }
    if (this.opts.uiRoot && (await serveStatic(this.opts.uiRoot, path, res, securityHeaders())))
      return;
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}\n`);
  }
}

function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0] ?? '/';
}

const TEXT = { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' };

function foreign(origin: string | undefined): string {
  return `forbidden: a page of ${JSON.stringify(String(origin).slice(0, 200))} may not use this server's API or stream\n`;
}

/** A whole HTTP/1.1 answer for a socket refused before the WebSocket handshake. */
function rawAnswer(status: number, reason: string, body: string): string {
  return (
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
}

/**
 * The console runs under the same strict policy in a browser as in the desktop window. It may
 * open WebSockets anywhere (ws:, wss:): cluster connections are NATS servers the user adds and
 * tests at run time, while a page's CSP is fixed when it loads, so a list of the saved
 * connections' origins would block the dialog's Test of a new URL (and every new connection until
 * a reload). HTTP goes to 'self' only (Prometheus is called by the server); scripts stay 'self'
 * only; the console has no forms to submit anywhere (form-action 'none').
 */
function securityHeaders(): Record<string, string> {
  return {
    'content-security-policy':
      `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; ` +
      `connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; ` +
      `form-action 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}
