/**
 * Capture by engine through the real `osprey serve`: a Python process started here listens on a
 * TCP port (as an engine's HTTP server does) and spins in a named function, with a forked child
 * spinning in another (as vLLM V1's EngineCore runs beside its API server). Asked by
 * `{engine: {framework, port}}`, the local API and a node agent over a real nats-server resolve
 * the port to the listener's pid and capture it with py-spy `--subprocesses`. Needs
 * `npm run build:ts` (the CLI runs from dist/).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { CaptureError } from '../core/protocol/profileCapture.js';
import { type CapturedProfile } from '../core/protocol/profileCapture.js';
import { requestProfile } from '../core/protocol/profileRequester.js';
import type { ProfileStreamLine } from '../outputs/api/profileApi.js';
import { connectNats } from '../outputs/nats/connect.js';
import { startNatsServer } from '../testing/natsServer.js';
import { needs, stop, toolWorks } from '../testing/profileTargets.js';
import { startServe } from '../testing/serveProcess.js';

const PY_SPY = toolWorks('py-spy');
const SERVER_FUNCTION = 'osprey_engine_server_loop';
const CORE_FUNCTION = 'osprey_engine_core_loop';

/** Listens on an ephemeral port, prints it, forks an "EngineCore" child, both spin. */
const ENGINE_PY = `
import os, socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', 0))
s.listen(16)
def ${SERVER_FUNCTION}():
    n = 0
    while True:
        n += 1
def ${CORE_FUNCTION}():
    n = 0
    while True:
        n += 1
child = os.fork()
if child == 0:
    ${CORE_FUNCTION}()
print(s.getsockname()[1], child, flush=True)
${SERVER_FUNCTION}()
`;

interface FakeEngine {
  process: ChildProcess;
  port: number;
  corePid: number;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startEngine(): Promise<FakeEngine> {
  // A file, not `-c`: py-spy names each process by its command line, and a newline in it would
  // split the folded lines.
  const script = join(mkdtempSync(join(tmpdir(), 'osprey-engine-')), 'engine.py');
  writeFileSync(script, ENGINE_PY);
  const child = spawn('python3', [script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (d: Buffer) => {
      text += d.toString();
      if (text.includes('\n')) resolve(text.trim());
    });
    child.once('exit', (code) => reject(new Error(`engine exited (${String(code)})`)));
  });
  const [port, corePid] = line.split(' ').map(Number) as [number, number];
  cleanups.push(() => {
    try {
      process.kill(corePid, 'SIGKILL');
    } catch {
      // already gone
    }
    stop(child);
  });
  return { process: child, port, corePid };
}

/** Samples per process: py-spy --subprocesses roots each stack at `process <pid>:"cmdline"`. */
function samplesByProcess(text: string): Map<number, number> {
  const out = new Map<number, number>();
  for (const line of text.split('\n')) {
    const m = /\s(\d+)$/.exec(line);
    if (!m) continue;
    const pids = [...line.matchAll(/(?:^|;)process (\d+):/g)].map((p) => Number(p[1]));
    const leafPid = pids.at(-1);
    if (leafPid !== undefined) out.set(leafPid, (out.get(leafPid) ?? 0) + Number(m[1]));
  }
  return out;
}

function expectEngineProfile(profile: CapturedProfile, engine: FakeEngine): void {
  expect(profile.tool).toBe('py-spy');
  expect(profile.pid).toBe(engine.process.pid);
  expect(profile.command).toContain('--subprocesses');
  expect(profile.warnings[0]).toMatch(
    new RegExp(`: pid ${engine.process.pid}, listening on TCP port ${engine.port}$`),
  );
  expect(profile.text).toContain(SERVER_FUNCTION);
  expect(profile.text).toContain(CORE_FUNCTION);
  // Both spin a whole core: each process has samples of its own, at ~100 Hz for the duration.
  const byProcess = samplesByProcess(profile.text);
  expect(byProcess.get(engine.process.pid!)).toBeGreaterThan(50);
  expect(byProcess.get(engine.corePid)).toBeGreaterThan(50);
  const serverLines = profile.text.split('\n').filter((l) => l.includes(SERVER_FUNCTION));
  expect(serverLines.every((l) => l.startsWith(`process ${engine.process.pid}:`))).toBe(true);
}

async function postCapture(url: string, token: string, body: unknown) {
  const res = await fetch(`${url}/api/profile`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.headers.get('content-type')?.startsWith('application/json')) {
    return { status: res.status, lines: [], json: (await res.json()) as { error: string } };
  }
  const lines = (await res.text())
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as ProfileStreamLine);
  return { status: res.status, lines };
}

describe('osprey serve: POST /api/profile by engine', () => {
  it.skipIf(!PY_SPY)(
    needs(
      'py-spy',
      PY_SPY,
      "resolves the port to the listener's pid and captures it and its child with py-spy",
    ),
    async () => {
      const engine = await startEngine();
      const served = await startServe(['--config-dir', mkdtempSync(join(tmpdir(), 'osprey-'))]);
      cleanups.push(() => served.stop());
      const { status, lines } = await postCapture(served.url, served.token, {
        engine: { framework: 'vllm', port: engine.port },
        durationS: 2,
      });
      expect(status).toBe(200);
      const last = lines.at(-1)!;
      expect(last.type).toBe('result');
      expectEngineProfile((last as { profile: CapturedProfile }).profile, engine);
    },
    40_000,
  );

  it('an engine that is not there: no-process, saying what was looked for; a bad port: 400', async () => {
    const served = await startServe(['--config-dir', mkdtempSync(join(tmpdir(), 'osprey-'))]);
    cleanups.push(() => served.stop());
    // Port 9 (discard) is not listened on in this sandbox; nothing runs "osprey-nosuch-engine".
    const { lines } = await postCapture(served.url, served.token, {
      engine: { framework: 'osprey-nosuch-engine', port: 9 },
      durationS: 1,
    });
    expect(lines.at(-1)).toEqual({
      type: 'error',
      kind: 'no-process',
      error: expect.stringMatching(
        /^no osprey-nosuch-engine on port 9 engine process found on .+: looked for a process listening on TCP port 9 or a process whose command line names osprey-nosuch-engine/,
      ),
    });
    const bad = await postCapture(served.url, served.token, {
      engine: { framework: 'vllm', port: 0 },
    });
    expect(bad.status).toBe(400);
    expect(bad.json?.error).toBe('engine.port must be a TCP port (1–65535), got 0');
  }, 30_000);
});

describe('osprey serve --nats --allow-profiling: capture by engine over request/reply', () => {
  async function agent(url: string, node: string, allow: boolean) {
    const served = await startServe([
      ...['--no-ui', '--nats', url, '--cluster', 'c1', '--node', node],
      ...(allow ? ['--allow-profiling'] : []),
    ]);
    cleanups.push(() => served.stop());
    const deadline = Date.now() + 10_000;
    while (!served.output.join('').includes('answering profile requests')) {
      if (Date.now() > deadline) throw new Error(`agent ${node} never subscribed`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it.skipIf(!PY_SPY)(
    needs(
      'py-spy',
      PY_SPY,
      "the agent resolves the engine's port to the listener's pid and replies with its profile; an agent without --allow-profiling refuses by name",
    ),
    async () => {
      const engine = await startEngine();
      const server = await startNatsServer();
      cleanups.push(() => server.stop());
      const nc = await connectNats({ servers: [server.url] });
      cleanups.push(() => nc.close());
      await agent(server.url, 'gpu-1', true);
      await agent(server.url, 'gpu-2', false);
      const ask = (node: string) =>
        requestProfile({
          cluster: 'c1',
          node,
          request: { engine: { framework: 'vllm', port: engine.port }, durationS: 2 },
          send: async (subject, data, timeoutMs) =>
            (await nc.request(subject, data, { timeout: timeoutMs })).data,
          now: Date.now,
          every: (ms, tick) => {
            const timer = setInterval(tick, ms);
            return () => clearInterval(timer);
          },
        });
      const [ok, refused] = await Promise.allSettled([ask('gpu-1'), ask('gpu-2')]);
      expect(ok.status).toBe('fulfilled');
      const profile = (ok as PromiseFulfilledResult<CapturedProfile>).value;
      expect(profile.node).toBe('gpu-1');
      expectEngineProfile(profile, engine);
      expect(refused.status).toBe('rejected');
      const error = (refused as PromiseRejectedResult).reason as CaptureError;
      expect(error.kind).toBe('refused');
      expect(error.message).toContain('restart its agent with --allow-profiling');
    },
    60_000,
  );
});
