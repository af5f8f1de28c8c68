import { describe, expect, it } from 'vitest';

import { offeredSnapshot } from './snapshotClient.js';

const BYTES = Uint8Array.from({ length: 100 }, (_, i) => i);

/** Answers as snapshotApi.ts does for a 100-byte file, recording what it was asked. */
function server(offered = true, status206 = true) {
  const asked: Array<{ method: string; range: string | null; auth: string | null }> = [];
  const fetchImpl = (async (_url: string, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    const range = headers.get('range');
    asked.push({ method: init?.method ?? 'GET', range, auth: headers.get('authorization') });
    if (!offered) return new Response('{"error":"not found"}', { status: 404 });
    if (init?.method === 'HEAD') {
      return new Response(null, {
        headers: {
          'accept-ranges': 'bytes',
          'content-length': '100',
          'x-osprey-snapshot-name': encodeURIComponent('a b.mcap'),
        },
      });
    }
    const [, a, b] = /bytes=(\d+)-(\d+)/.exec(range ?? '') ?? [];
    return new Response(BYTES.slice(Number(a), Number(b) + 1), { status: status206 ? 206 : 200 });
  }) as typeof fetch;
  return { asked, fetchImpl };
}

describe('offeredSnapshot', () => {
  it('is null when the server offers none', async () => {
    const s = server(false);
    await expect(offeredSnapshot('http://h', 'tok', s.fetchImpl)).resolves.toBeNull();
  });

  it('reads ranges with the token, clamped to the file', async () => {
    const s = server();
    const file = (await offeredSnapshot('http://h', 'tok', s.fetchImpl))!;
    expect(file).toMatchObject({ name: 'a b.mcap', size: 100 });
    expect([...(await file.read(95, 10))]).toEqual([95, 96, 97, 98, 99]);
    expect(s.asked.at(-1)).toEqual({ method: 'GET', range: 'bytes=95-99', auth: 'Bearer tok' });
  });

  it('refuses an answer that is not the range asked for', async () => {
    const s = server(true, false);
    const file = (await offeredSnapshot('http://h', 'tok', s.fetchImpl))!;
    await expect(file.read(0, 10)).rejects.toThrow(
      /reading a b\.mcap at 0: the server answered 200/,
    );
  });
});
