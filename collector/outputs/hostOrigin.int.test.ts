/**
 * Host and Origin against a real `osprey serve` (issue 10): every path × every Host name (the
 * loopback names, the --host address, an --allow-host name, a foreign name a DNS-rebinding page
 * would send) × every Origin (none, the same server, a foreign page), with the status each must
 * get. Requests go to the listening socket with the Host header set by hand, as a browser
 * following a rebound DNS name would send them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { REPLAY_H100 } from '../testing/fixtures.js';
import { startServe, type Served } from '../testing/serveProcess.js';

const TOKEN = 'host-origin-token';
/** Another loopback address (all of 127/8 is loopback on Linux): the --host address. */
const LISTEN = '127.0.0.2';
const ALLOWED = 'console.example';

let served: Served;
let port: number;
let configDir: string;

beforeAll(async () => {
  configDir = await mkdtemp(join(tmpdir(), 'osprey-host-'));
  served = await startServe([
    '--host',
    LISTEN,
    '--allow-host',
    ALLOWED,
    '--allow-host',
    'second.example',
    '--token',
    TOKEN,
    '--config-dir',
    configDir,
    '--replay',
    `nvidia-smi=${REPLAY_H100}`,
  ]);
  port = Number(new URL(served.url).port);
});

afterAll(async () => {
  await served?.stop();
  await rm(configDir, { recursive: true, force: true });
});

/** One request to the server's socket with this Host and Origin; resolves with the status. */
function status(path: string, host: string, origin: string | undefined): Promise<number> {
  const upgrade = path === '/stream';
  const headers: Record<string, string> = { host };
  if (origin !== undefined) headers.origin = origin;
  if (path.startsWith('/api/')) headers.authorization = `Bearer ${TOKEN}`;
  if (upgrade) {
    Object.assign(headers, {
      connection: 'Upgrade',
      upgrade: 'websocket',
      'sec-websocket-version': '13',
      'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
      'sec-websocket-protocol': `osprey.v1, token.${TOKEN}`,
    });
  }
  return new Promise((resolve, reject) => {
    const req = request({ host: LISTEN, port, path, headers });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve(res.statusCode ?? 0);
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

const HOSTS = {
  localhost: true,
  '127.0.0.1': true,
  '[::1]': true,
  [LISTEN]: true, // --host
  [ALLOWED]: true, // --allow-host
  'second.example': true, // --allow-host, given twice
  'evil.example': false, // a DNS-rebinding page's name
  'localhost.evil.example': false,
  '127.0.0.1.nip.io': false,
} as const;

/** The status of each path when Host and Origin pass. */
const PATHS = {
  '/': 200,
  '/index.html': 200,
  '/favicon.svg': 200,
  '/no-such-file': 404,
  '/api/connections': 200,
  '/stream': 101,
  '/metrics': 200,
  '/healthz': 200,
} as const;

/** Open to any Host and Origin: Prometheus scrapes by IP and by discovered names. */
const OPEN = new Set(['/metrics', '/healthz']);
/** Where a foreign Origin is refused (a page may not use them); files are not readable cross-site anyway. */
const ORIGIN_CHECKED = new Set(['/api/connections', '/stream']);

function expected(path: keyof typeof PATHS, hostOk: boolean, origin: 'none' | 'same' | 'foreign') {
  if (OPEN.has(path)) return PATHS[path];
  if (!hostOk) return 421;
  if (origin === 'foreign' && ORIGIN_CHECKED.has(path)) return 403;
  return PATHS[path];
}

describe('osprey serve: Host and Origin', () => {
  const cases = Object.entries(HOSTS).flatMap(([name, ok]) =>
    (Object.keys(PATHS) as Array<keyof typeof PATHS>).flatMap((path) =>
      (['none', 'same', 'foreign'] as const).map((origin) => ({ name, ok, path, origin })),
    ),
  );

  it(`answers each of ${cases.length} path × Host × Origin cases with the expected status`, async () => {
    const got: string[] = [];
    const want: string[] = [];
    for (const { name, ok, path, origin } of cases) {
      const host = `${name}:${port}`;
      const originHeader =
        origin === 'none'
          ? undefined
          : origin === 'same'
            ? `http://${host}`
            : 'http://evil.example';
      const label = `${path} Host ${name} Origin ${origin}`;
      got.push(`${label} → ${await status(path, host, originHeader)}`);
      want.push(`${label} → ${expected(path, ok, origin)}`);
    }
    expect(got).toEqual(want);
  });

  it('refuses an Origin of another port, of another name of this server, or "null"', async () => {
    const host = `127.0.0.1:${port}`;
    for (const origin of [`http://127.0.0.1:${port + 1}`, 'null', `http://localhost:${port}`]) {
      expect(await status('/api/connections', host, origin), origin).toBe(403);
      expect(await status('/stream', host, origin), origin).toBe(403);
    }
  });

  it('says what to do in a short text 421', async () => {
    const text = await new Promise<{ status: number; type: string; body: string }>((resolve) => {
      request(
        { host: LISTEN, port, path: '/', headers: { host: `evil.example:${port}` } },
        (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, type: res.headers['content-type'] ?? '', body }),
          );
        },
      ).end();
    });
    expect(text).toEqual({
      status: 421,
      type: 'text/plain; charset=utf-8',
      body: 'misdirected request: this Osprey server does not answer to "evil.example"; if that name is yours, start it with --allow-host evil.example\n',
    });
  });

  it('says at start which names it answers to', () => {
    expect(served.output.join('')).toContain(
      `The console answers to the Host names localhost, 127.0.0.1, [::1], ${LISTEN}, ${ALLOWED}, second.example; add others with --allow-host NAME.`,
    );
  });

  it('sends a CSP that forbids form submissions with the console', async () => {
    const csp = await new Promise<string>((resolve) => {
      request({ host: LISTEN, port, path: '/', headers: { host: `localhost:${port}` } }, (res) => {
        res.resume();
        resolve(String(res.headers['content-security-policy']));
      }).end();
    });
    expect(csp.split('; ')).toContain("form-action 'none'");
  });
});
