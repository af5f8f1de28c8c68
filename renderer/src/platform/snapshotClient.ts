/**
 * The snapshot `osprey serve --snapshot FILE` offers (collector/outputs/api/snapshotApi.ts), as a
 * file read in ranges over HTTP: HEAD says whether one is offered, its size and name; each read
 * is one `Range: bytes=a-b` GET, checked to be the range asked for.
 */
import type { OpenedFile } from './Platform.js';

const PATH = '/api/snapshot';

export async function offeredSnapshot(
  baseUrl: string,
  token: string,
  fetchImpl: typeof fetch = fetch,
): Promise<OpenedFile | null> {
  const authorization = `Bearer ${token}`;
  const head = await fetchImpl(`${baseUrl}${PATH}`, { method: 'HEAD', headers: { authorization } });
  // 404 (no --snapshot: the connections API answers) or anything else: nothing offered.
  if (!head.ok || head.headers.get('accept-ranges') !== 'bytes') return null;
  const size = Number(head.headers.get('content-length'));
  if (!Number.isSafeInteger(size) || size < 0) return null;
  let name = 'snapshot.mcap';
  try {
    name = decodeURIComponent(head.headers.get('x-osprey-snapshot-name') ?? name);
  } catch {
    // A name that is not valid URI encoding keeps the default.
  }
  return {
    name,
    size,
    read: async (offset, length) => {
      const end = Math.min(size, offset + length) - 1;
      if (end < offset) return new Uint8Array(0);
      const res = await fetchImpl(`${baseUrl}${PATH}`, {
        headers: { authorization, range: `bytes=${offset}-${end}` },
      });
      if (res.status !== 206) {
        throw new Error(`reading ${name} at ${offset}: the server answered ${res.status}`);
      }
      const bytes = new Uint8Array(await res.arrayBuffer());
      if (bytes.length !== end - offset + 1) {
        throw new Error(
          `reading ${name} at ${offset}: ${bytes.length} bytes instead of ${end - offset + 1}`,
        );
      }
      return bytes;
    },
  };
}
