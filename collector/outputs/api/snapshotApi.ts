/**
 * `GET /api/snapshot`: the bytes of the file given to `osprey serve --snapshot FILE`, behind the
 * console's token, in the byte ranges the console's snapshot reader asks for (RFC 9110 §14: one
 * `bytes=a-b` range per request, answered 206 with Content-Range). The console never downloads a
 * 1.4 GB recording whole: it reads the footer, the summary, then the chunks it plays.
 * `HEAD /api/snapshot` tells the console a snapshot is offered: its size, and its name in
 * `x-osprey-snapshot-name` (URI-encoded).
 *
 * The CollectorServer applies the Host and Origin guard to all of /api before this runs.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { basename } from 'node:path';

import { tokenMatches } from '../token.js';
import type { ApiHandler } from './connectionsApi.js';

export const SNAPSHOT_PATH = '/api/snapshot';
export const SNAPSHOT_NAME_HEADER = 'x-osprey-snapshot-name';

/** One range, or why it cannot be served. Suffix ranges (`bytes=-500`) are the last 500 bytes. */
export function parseRange(
  header: string | undefined,
  size: number,
): { start: number; end: number } | 'none' | 'unsatisfiable' {
  if (header === undefined) return 'none';
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return 'unsatisfiable';
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

function text(res: ServerResponse, status: number, body: string, headers = {}): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'x-content-type-options': 'nosniff',
    ...headers,
  });
  res.end(body);
}

export function createSnapshotApi(file: string, token: string): ApiHandler {
  const name = basename(file);
  return async (req: IncomingMessage, res: ServerResponse) => {
    const auth = req.headers.authorization;
    const offered = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length).trim() : undefined;
    if (!tokenMatches(token, offered)) {
      text(res, 401, 'unauthorized: send Authorization: Bearer <token>\n', {
        'www-authenticate': 'Bearer',
      });
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      text(res, 405, 'only GET and HEAD\n', { allow: 'GET, HEAD' });
      return;
    }
    let size: number;
    try {
      size = (await stat(file)).size;
    } catch (error) {
      text(res, 404, `the snapshot ${name} cannot be read: ${(error as Error).message}\n`);
      return;
    }
    const common = {
      'accept-ranges': 'bytes',
      'content-type': 'application/octet-stream',
      'cache-control': 'no-store',
      [SNAPSHOT_NAME_HEADER]: encodeURIComponent(name),
    };
    const range = parseRange(req.headers.range, size);
    if (range === 'unsatisfiable') {
      text(res, 416, `range ${String(req.headers.range).slice(0, 100)} is outside 0-${size}\n`, {
        'content-range': `bytes */${size}`,
      });
      return;
    }
    const { start, end } = range === 'none' ? { start: 0, end: size - 1 } : range;
    const length = Math.max(0, end - start + 1);
    res.writeHead(range === 'none' ? 200 : 206, {
      ...common,
      'content-length': String(length),
      ...(range === 'none' ? {} : { 'content-range': `bytes ${start}-${end}/${size}` }),
    });
    if (req.method === 'HEAD' || length === 0) {
      res.end();
      return;
    }
    await new Promise<void>((resolve) => {
      const stream = createReadStream(file, { start, end });
      stream.on('error', () => {
        res.destroy();
        resolve();
      });
      res.on('close', () => {
        stream.destroy();
        resolve();
      });
      stream.pipe(res);
    });
  };
}

/**
 * The route without `--snapshot`: 204, "nothing offered". The console asks on every start; a 404
 * there was logged by the browser as a failed resource on every load.
 */
export function createNoSnapshotApi(token: string): ApiHandler {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const auth = req.headers.authorization;
    const offered = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length).trim() : undefined;
    if (!tokenMatches(token, offered)) {
      text(res, 401, 'unauthorized: send Authorization: Bearer <token>\n', {
        'www-authenticate': 'Bearer',
      });
      return;
    }
    res.writeHead(204, { 'cache-control': 'no-store' });
    res.end();
  };
}

/** The console API with the snapshot route in front of it. */
export function withSnapshot(snapshot: ApiHandler, rest: ApiHandler | undefined): ApiHandler {
  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === SNAPSHOT_PATH) return snapshot(req, res);
    if (rest) return rest(req, res);
    text(res, 404, `not found: ${path}\n`);
  };
}
