import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { createNoSnapshotApi, createSnapshotApi, parseRange, withSnapshot } from './snapshotApi.js';

const TOKEN = 't'.repeat(32);
const BYTES = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
let server: Server;
let base: string;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'osprey-snapshot-api-'));
  const file = join(dir, 'incident <1>.mcap');
  await writeFile(file, BYTES);
  const api = withSnapshot(createSnapshotApi(file, TOKEN), async (_req, res) => {
    res.writeHead(299).end('rest');
  });
  server = createServer((req, res) => void api(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const auth = { authorization: `Bearer ${TOKEN}` };

describe('GET /api/snapshot', () => {
  it('refuses without the token', async () => {
    const res = await fetch(`${base}/api/snapshot`);
    expect(res.status).toBe(401);
  });

  it('answers HEAD with the size and the file name', async () => {
    const res = await fetch(`${base}/api/snapshot`, { method: 'HEAD', headers: auth });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('1000');
    expect(res.headers.get('accept-ranges')).toBe('bytes');
    expect(decodeURIComponent(res.headers.get('x-osprey-snapshot-name')!)).toBe(
      'incident <1>.mcap',
    );
  });

  it('serves a byte range as 206 with its Content-Range, bytes equal to the file', async () => {
    const res = await fetch(`${base}/api/snapshot`, { headers: { ...auth, range: 'bytes=10-19' } });
    expect(res.status).toBe(206);
    expect(res.headers.get('content-range')).toBe('bytes 10-19/1000');
    expect([...new Uint8Array(await res.arrayBuffer())]).toEqual([...BYTES.subarray(10, 20)]);
  });

  it('serves the whole file without a range', async () => {
    const res = await fetch(`${base}/api/snapshot`, { headers: auth });
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(BYTES);
  });

  it('answers 416 for a range past the end', async () => {
    const res = await fetch(`${base}/api/snapshot`, { headers: { ...auth, range: 'bytes=1000-' } });
    expect(res.status).toBe(416);
    expect(res.headers.get('content-range')).toBe('bytes */1000');
  });

  it('leaves other /api paths to the console API', async () => {
    expect((await fetch(`${base}/api/connections`, { headers: auth })).status).toBe(299);
  });
});

describe('parseRange', () => {
  it('reads open, closed, suffix and clamped ranges, and refuses the rest', () => {
    expect(parseRange(undefined, 10)).toBe('none');
    expect(parseRange('bytes=2-', 10)).toEqual({ start: 2, end: 9 });
    expect(parseRange('bytes=2-100', 10)).toEqual({ start: 2, end: 9 });
    expect(parseRange('bytes=-3', 10)).toEqual({ start: 7, end: 9 });
    expect(parseRange('bytes=5-2', 10)).toBe('unsatisfiable');
    expect(parseRange('bytes=0-1,4-5', 10)).toBe('unsatisfiable');
    expect(parseRange('items=0-1', 10)).toBe('unsatisfiable');
  });
});

describe('HEAD /api/snapshot without --snapshot', () => {
  it('answers 204 with the token and 401 without it, so the console sees "nothing offered"', async () => {
    const api = withSnapshot(createNoSnapshotApi(TOKEN), undefined);
    const bare = createServer((req, res) => void api(req, res));
    await new Promise<void>((resolve) => bare.listen(0, '127.0.0.1', resolve));
    const at = `http://127.0.0.1:${(bare.address() as AddressInfo).port}/api/snapshot`;
    try {
      expect((await fetch(at, { method: 'HEAD', headers: auth })).status).toBe(204);
      expect((await fetch(at, { method: 'HEAD' })).status).toBe(401);
    } finally {
      await new Promise<void>((resolve) => bare.close(() => resolve()));
    }
  });
});
