/**
 * Stream authentication. Browsers cannot set headers on a WebSocket, so the console offers the
 * token as a subprotocol `token.<token>` next to `osprey.v1`; other clients may send
 * `Authorization: Bearer <token>`. Compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const STREAM_PROTOCOL = 'osprey.v1';
const TOKEN_PREFIX = 'token.';

export function newToken(): string {
  return randomBytes(24).toString('hex');
}

export function offeredToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  const protocols = (req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  const offered = protocols.find((p) => p.startsWith(TOKEN_PREFIX));
  return offered?.slice(TOKEN_PREFIX.length);
}

export function tokenMatches(expected: string, offered: string | undefined): boolean {
  if (offered === undefined) return false;
  const a = createHash('sha256').update(expected).digest();
  const b = createHash('sha256').update(offered).digest();
  return timingSafeEqual(a, b);
}
