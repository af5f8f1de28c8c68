/**
 * Profile capture through the real `osprey serve`: the local console API (POST /api/profile,
 * NDJSON progress then the profile) and a node agent over a real nats-server (request/reply on
 * osprey.v1.profile.<cluster>.<node>): answered with --allow-profiling, refused without it, a
 * timeout for a node whose agent does not answer. Needs `npm run build` (the console API is
 * served with the built UI).
 */
import { readFileSync, readdirSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';

import { afterEach, describe, expect, it } from 'vitest';

import { importPerfScript } from '../core/profile/importers/perfScript.js';
import { totalWeight } from '../core/profile/model.js';
import { CaptureError, type CapturedProfile } from '../core/protocol/profileCapture.js';
import { requestProfile, type NatsRequestFn } from '../core/protocol/profileRequester.js';
import type { ProfileStreamLine } from '../outputs/api/profileApi.js';
import { connectNats } from '../outputs/nats/connect.js';
import { startNatsServer } from '../testing/natsServer.js';
import {
  firstOutput,
  needs,
  PYTHON_SPIN_FUNCTION,
  startNativeSpinner,
  startPythonSpinner,
  stop,
  toolWorks,
} from '../testing/profileTargets.js';
import { startServe } from '../testing/serveProcess.js';

const PY_SPY = toolWorks('py-spy');
const PERF = toolWorks('perf');

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});
function target(child: ChildProcess): ChildProcess {
  cleanups.push(() => stop(child));
  return child;
}

/** Pids of py-spy/perf processes aimed at `pid` (from every /proc/<n>/cmdline). */
function toolsAimedAt(pid: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmd: string[];
    try {
      cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const at = cmd.indexOf('--pid') >= 0 ? cmd.indexOf('--pid') : cmd.indexOf('-p');
    if (at >= 0 && cmd[at + 1] === String(pid) && /py-spy|perf/.test(cmd.join(' '))) {
      found.push(Number(entry));
    }
  }
  return found;
}

function foldedTotal(text: string): number {
  let total = 0;
  for (const m of text.matchAll(/\s(\d+)$/gm)) total += Number(m[1]);
  return total;
}

async function serveWithConsole() {
  const served = await startServe(['--config-dir', mkdtempSync(join(tmpdir(), 'osprey-cfg-'))]);
  cleanups.push(() => served.stop());
  return served;
}

/** POSTs a capture and reads the NDJSON lines until the stream ends. */
async function postCapture(
  url: string,
  token: string,
  body: unknown,
  signal?: AbortSignal,
): Promise<{ status: number; lines: ProfileStreamLine[]; json?: { error: string } }> {
  const res = await fetch(`${url}/api/profile`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });
  if (res.headers.get('content-type')?.startsWith('application/json')) {
    return { status: res.status, lines: [], json: (await res.json()) as { error: string } };
  }
  const text = await res.text();
  const lines = text
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as ProfileStreamLine);
  return { status: res.status, lines };
}

describe('osprey serve: POST /api/profile', () => {
  it('refuses without the token and refuses a duration over 60 s before running anything', async () => {
    const served = await serveWithConsole();
    const anonymous = await fetch(`${served.url}/api/profile`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"pid":1,"durationS":1}',
    });
    expect(anonymous.status).toBe(401);
    const tooLong = await postCapture(served.url, served.token, { pid: 1, durationS: 61 });
    expect(tooLong.status).toBe(400);
    expect(tooLong.json?.error).toBe('durationS must be whole seconds from 1 to 60, got 61');
  }, 30_000);

  it.skipIf(!PY_SPY)(
    needs(
      'py-spy',
      PY_SPY,
      'a Python process: progress each second, then the profile naming its function',
    ),
    async () => {
      const served = await serveWithConsole();
      const spinner = target(startPythonSpinner());
      await firstOutput(spinner);
      const { status, lines } = await postCapture(served.url, served.token, {
        pid: spinner.pid,
        durationS: 3,
      });
      expect(status).toBe(200);
      const progress = lines.filter((l) => l.type === 'progress');
      expect(progress.length).toBeGreaterThanOrEqual(3);
      const last = lines.at(-1)!;
      expect(last.type).toBe('result');
      const profile = (last as { profile: CapturedProfile }).profile;
      expect(profile.tool).toBe('py-spy');
      expect(profile.text).toContain(PYTHON_SPIN_FUNCTION);
      expect(foldedTotal(profile.text)).toBeGreaterThanOrEqual(150);
      expect(foldedTotal(profile.text)).toBeLessThanOrEqual(303);
    },
    40_000,
  );

  it.skipIf(!PY_SPY)(
    needs(
      'py-spy',
      PY_SPY,
      'closing the request cancels: py-spy is killed, a second capture of the pid is refused meanwhile',
    ),
    async () => {
      const served = await serveWithConsole();
      const spinner = target(startPythonSpinner());
      await firstOutput(spinner);
      const controller = new AbortController();
      const first = postCapture(
        served.url,
        served.token,
        { pid: spinner.pid, durationS: 30 },
        controller.signal,
      ).catch((e: unknown) => e);
      await new Promise((r) => setTimeout(r, 1500));
      expect(toolsAimedAt(spinner.pid!).length).toBeGreaterThan(0);
      const second = await postCapture(served.url, served.token, {
        pid: spinner.pid,
        durationS: 1,
      });
      expect(second.lines.at(-1)).toMatchObject({
        type: 'error',
        kind: 'busy',
        error: expect.stringMatching(`^already profiling pid ${spinner.pid} on `),
      });
      controller.abort();
      await first;
      const deadline = Date.now() + 3000;
      while (toolsAimedAt(spinner.pid!).length > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(toolsAimedAt(spinner.pid!)).toEqual([]);
    },
    40_000,
  );
});

describe('osprey serve --nats: profile requests to a node agent', () => {
  async function natsSetup(opts: { maxPayload?: number } = {}) {
    const server = await startNatsServer(opts.maxPayload ? { maxPayload: opts.maxPayload } : {});
    cleanups.push(() => server.stop());
    const nc = await connectNats({ servers: [server.url] });
    cleanups.push(() => nc.close());
    /** The `op` of every request sent, to see the parts asked for. */
    const ops: string[] = [];
    const send: NatsRequestFn = async (subject, data, timeoutMs) => {
      ops.push((JSON.parse(new TextDecoder().decode(data)) as { op: string }).op);
      return (await nc.request(subject, data, { timeout: timeoutMs })).data;
    };
    const agent = async (node: string, allow: boolean) => {
      const served = await startServe([
        ...['--no-ui', '--nats', server.url, '--cluster', 'c1', '--node', node],
        ...(allow ? ['--allow-profiling'] : []),
      ]);
      cleanups.push(() => served.stop());
      // The agent subscribes right after connecting; wait for its line on stderr.
      const deadline = Date.now() + 10_000;
      while (!served.output.join('').includes('answering profile requests')) {
        if (Date.now() > deadline) throw new Error(`agent ${node} never subscribed`);
        await new Promise((r) => setTimeout(r, 50));
      }
      return served;
    };
    const ask = (node: string, pid: number, durationS: number, clampMs?: number) =>
      requestProfile({
        cluster: 'c1',
        node,
        request: { pid, durationS },
        send: clampMs ? (s, d, t) => send(s, d, Math.min(t, clampMs)) : send,
        now: Date.now,
        every: (ms, tick) => {
          const timer = setInterval(tick, ms);
          return () => clearInterval(timer);
        },
      });
    return { server, agent, ask, ops };
  }

  it.skipIf(!PY_SPY)(
    needs(
      'py-spy',
      PY_SPY,
      'with --allow-profiling the agent captures a Python process and replies with the profile',
    ),
    async () => {
      const { agent, ask } = await natsSetup();
      await agent('gpu.node-1', true);
      const spinner = target(startPythonSpinner());
      await firstOutput(spinner);
      const profile = await ask('gpu.node-1', spinner.pid!, 2);
      expect(profile).toMatchObject({ tool: 'py-spy', node: 'gpu.node-1', format: 'folded' });
      expect(profile.text).toContain(PYTHON_SPIN_FUNCTION);
      expect(foldedTotal(profile.text)).toBeGreaterThanOrEqual(100);
      expect(foldedTotal(profile.text)).toBeLessThanOrEqual(202);
    },
    40_000,
  );

  it.skipIf(!PERF)(
    needs(
      'perf',
      PERF,
      'a perf capture larger than max_payload (2 KiB here) arrives whole in parts',
    ),
    async () => {
      const { agent, ask, ops } = await natsSetup({ maxPayload: 2048 });
      await agent('n1', true);
      const yes = target(startNativeSpinner());
      await new Promise((r) => setTimeout(r, 200));
      const profile = await ask('n1', yes.pid!, 2);
      expect(profile.tool).toBe('perf');
      // 2 s of `yes` at 99 Hz is ~17 KB of perf script, a few KB gzipped; a 2 KiB max_payload
      // holds ~1.1 KB of gzip a reply, so the agent split it and the server carried every part
      // (a reply over max_payload is refused by the server, and the request would time out).
      // A ping first (is an agent there?), then the capture, then its parts.
      expect(ops.slice(0, 2)).toEqual(['ping', 'capture']);
      expect(ops.length).toBeGreaterThan(2);
      expect(ops.slice(2).every((op) => op === 'part')).toBe(true);
      expect(profile.text.length).toBeGreaterThan(10_000);
      const headers = profile.text.split('\n').filter((l) => /^\S.*\s\d+\s+[\d.]+:/.test(l));
      // How many samples depends on the CPU `yes` got on this shared machine (capture.int.test.ts
      // checks that against /proc); here: the reassembled text is whole, every sample intact.
      expect(headers.length).toBeGreaterThan(0);
      const set = importPerfScript({ name: 'nats', bytes: new TextEncoder().encode(profile.text) });
      expect(totalWeight(set.profiles[0]!)).toBe(headers.length);
      expect(headers.every((l) => l.includes(` ${yes.pid} `))).toBe(true);
    },
    40_000,
  );

  it('without --allow-profiling the agent refuses, naming the flag, at once', async () => {
    const { agent, ask } = await natsSetup();
    await agent('n2', false);
    const started = Date.now();
    const error = (await ask('n2', process.pid, 5).catch((e: unknown) => e)) as CaptureError;
    expect(error).toBeInstanceOf(CaptureError);
    expect(error.kind).toBe('refused');
    expect(error.message).toContain('restart its agent with --allow-profiling');
    expect(Date.now() - started).toBeLessThan(2000);
  }, 30_000);

  it('a node with no agent is unreachable at once; a stopped agent times out', async () => {
    const { agent, ask } = await natsSetup();
    await expect(ask('nobody', process.pid, 1)).rejects.toMatchObject({
      kind: 'unreachable',
      message: expect.stringContaining('osprey.v1.profile.c1.nobody'),
    });
    const frozen = await agent('n3', true);
    // SIGSTOP: the agent's connection stays open (the server still routes to it) but it never
    // answers, as a hung node would. The request's timeout is clamped to 2 s for the test.
    frozen.child.kill('SIGSTOP');
    cleanups.push(() => void frozen.child.kill('SIGCONT'));
    await expect(ask('n3', process.pid, 1, 2000)).rejects.toMatchObject({
      kind: 'timeout',
      message: expect.stringMatching(
        /^n3 did not answer within 3 s: its agent may be down or stuck, or there is none/,
      ),
    });
  }, 40_000);
});
