/** Small JSON-over-HTTP helpers for the console's API: bounded bodies, no caching. */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { HostError } from '../../hostServices/hostError.js';

/** A save request is a few hundred bytes plus a creds file (~1 KB) and a mapping (~1 KB). */
export const MAX_BODY_BYTES = 256 * 1024;

/** The HTTP transport's own refusals (token, method, body): answered like the services' own. */
export class HttpError extends HostError {}

export function sendJson(res: ServerResponse, status: number, body?: unknown): void {
  const headers = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };
  if (body === undefined) {
    res.writeHead(status, headers).end();
    return;
  }
  res
    .writeHead(status, { ...headers, 'content-type': 'application/json; charset=utf-8' })
    .end(JSON.stringify(body));
}

/** The request's JSON body; refuses other content types, oversized bodies and broken JSON. */
export async function readJsonBody(req: IncomingMessage): Promise<unknown> {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new HttpError(415, `send the body as application/json (got "${type || 'nothing'}")`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw new HttpError(413, `body larger than ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = `body is not JSON: ${(error as Error).message}`;
    throw new HttpError(400, message, [{ field: '(body)', message }]);
  }
}
