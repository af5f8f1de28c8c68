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

  constructor(private readonly opts: CollectorServerOptions) {
    this.http = createServer((req, res) => void this.handle(req, res));
    this.http.on('upgrade', (req, socket, head) => {
      if (pathOf(req) !== '/stream') {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
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
    if (this.opts.api && (path === '/api' || path.startsWith('/api/'))) {
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

/**
 * The console runs under the same strict policy in a browser as in the desktop window. It may
 * open WebSockets anywhere (ws:, wss:): cluster connections are NATS servers the user adds at
 * run time, so no fixed host list can name them; scripts stay 'self' only.
 */
function securityHeaders(): Record<string, string> {
  return {
    'content-security-policy':
      `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; ` +
      `connect-src 'self' ws: wss:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
}
