/**
 * The web console's connection API under /api, behind the same token as /stream (sent as
 * `Authorization: Bearer <token>`):
 *
 *   GET    /api/connections             → 200 { connections: ConnectionSummary[], problems? }
 *                                           (no secrets; `problems`: entries of the file that
 *                                           were skipped, one line each naming entry and field)
 *   POST   /api/connections             → 201 { connection }      body: ConnectionInput
 *   PUT    /api/connections/:id         → 200 { connection }      body: ConnectionInput; no
 *                                           `secret` keeps the stored one
 *   DELETE /api/connections/:id         → 204
 *   GET    /api/connections/:id/secret  → 200 { secret: string | null }  (at connect time only)
 *
 * Prometheus routes (/api/connections/:id/prometheus/…, /api/prometheus/test): prometheusApi.ts.
 *
 * Errors are JSON `{ error, errors?: [{ field, message }] }`: 400 names each bad field, 401 a
 * missing or wrong token, 404 an unknown id.
 *
 * A thin transport: the work is the host services' (collector/hostServices), which the desktop's
 * IPC calls too; this file maps methods, paths and statuses.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { HostError } from '../../hostServices/hostError.js';
import type { HostServices } from '../../hostServices/HostServices.js';
import { tokenMatches } from '../token.js';
import { HttpError, readJsonBody, sendJson } from './json.js';
import { prometheusRoute } from './prometheusApi.js';

export type ApiHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

const ITEM = /^\/api\/connections\/([^/]+)(\/secret)?$/;

export function createConnectionsApi(host: HostServices, token: string): ApiHandler {
  return async (req, res) => {
    try {
      const auth = req.headers.authorization;
      const offered = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length).trim() : undefined;
      if (!tokenMatches(token, offered)) {
        res.setHeader('www-authenticate', 'Bearer');
        throw new HttpError(401, 'unauthorized: send Authorization: Bearer <token>');
      }
      const path = pathOf(req);
      const body =
        (await prometheusRoute(host, req, res, path)) ??
        (await route(host, req.method ?? 'GET', path, req));
      sendJson(res, body.status, body.json);
    } catch (error) {
      // The page went away mid-call (an aborted Prometheus request): nobody to answer.
      if (res.destroyed) return;
      if (error instanceof HostError) {
        const errors = error.errors.length > 0 ? { errors: error.errors } : {};
        sendJson(res, error.status, { error: error.message, ...errors });
      } else {
        sendJson(res, 500, { error: (error as Error).message });
      }
    }
  };
}

async function route(
  host: HostServices,
  method: string,
  path: string,
  req: IncomingMessage,
): Promise<{ status: number; json?: unknown }> {
  if (path === '/api/connections') {
    if (method === 'GET') {
      const { connections, problems } = await host.listConnections();
      return {
        status: 200,
        json: problems.length > 0 ? { connections, problems } : { connections },
      };
    }
    if (method === 'POST') {
      return {
        status: 201,
        json: { connection: await host.saveConnection(await readJsonBody(req)) },
      };
    }
    throw notAllowed(method, path, 'GET, POST');
  }
  const match = ITEM.exec(path);
  if (!match) throw new HttpError(404, `no such API: ${path}`);
  let id: string;
  try {
    id = decodeURIComponent(match[1]!);
  } catch {
    throw new HttpError(404, `no connection with id "${match[1]}"`);
  }
  if (match[2]) {
    if (method !== 'GET') throw notAllowed(method, path, 'GET');
    return { status: 200, json: { secret: await host.connectionSecret(id) } };
  }
  if (method === 'PUT') {
    return {
      status: 200,
      json: { connection: await host.saveConnection(await readJsonBody(req), id) },
    };
  }
  if (method === 'DELETE') {
    await host.removeConnection(id);
    return { status: 204 };
  }
  throw notAllowed(method, path, 'PUT, DELETE');
}

function notAllowed(method: string, path: string, allowed: string): HttpError {
  return new HttpError(405, `${method} is not allowed on ${path} (allowed: ${allowed})`);
}

function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0] ?? '/';
}
