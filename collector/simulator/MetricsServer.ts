/**
 * The simulator's Prometheus endpoint: GET /metrics renders the fleet's current state in the real
 * exporters' names (exposition/exposition.ts) at scrape time, so it costs nothing between scrapes;
 * GET /metrics/node/<name> renders one node's exporters, for one scrape target per node.
 * Open like every exporter; it binds loopback unless told otherwise.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface MetricsServerOptions {
  host: string;
  port: number;
  render: () => string;
  /** One node's exposition, or undefined when there is no such node (404) */
  renderNode?: (node: string) => string | undefined;
}

const NODE_PATH = '/metrics/node/';

export class MetricsServer {
  private server: Server | undefined;

  constructor(private readonly opts: MetricsServerOptions) {}

  /** Listens and resolves with the base URL (http://host:port). */
  async listen(): Promise<string> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      const node =
        path?.startsWith(NODE_PATH) && this.opts.renderNode
          ? decodeURIComponent(path.slice(NODE_PATH.length))
          : undefined;
      if (path !== '/metrics' && node === undefined) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics\n');
        return;
      }
      let body: string | undefined;
      try {
        body = node === undefined ? this.opts.render() : this.opts.renderNode!(node);
        if (body === undefined) {
          res.writeHead(404, { 'content-type': 'text/plain' }).end(`no node ${node}\n`);
          return;
        }
      } catch (error) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(`${(error as Error).message}\n`);
        return;
      }
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(req.method === 'HEAD' ? undefined : body);
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.opts.port, this.opts.host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const host = this.opts.host.includes(':') ? `[${this.opts.host}]` : this.opts.host;
    return `http://${host}:${port}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
