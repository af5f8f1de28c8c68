/**
 * The collector against misbehaving GPU/NPU tools (issue 10). Each case runs a real `osprey serve`
 * with fake nvidia-smi / npu-smi first on PATH (collector/testing/fakeTools) and, over ~12 s of
 * abuse, checks what an operator and a console would: the process stays up, /healthz and the
 * console page answer at once, every message it streams passes the console's decoder (so at most
 * 1,024 devices), the probe's status names the fault, and its RSS stays within 150 MB.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import { decodeMessage } from '../../core/protocol/decode.js';
import { MAX_DEVICES } from '../../core/protocol/limits.js';
import type { InventoryMessage, ProbeStatus } from '../../core/protocol/spec.js';
import { startServe, type Served } from '../../testing/serveProcess.js';

const FAKE_BIN = fileURLToPath(new URL('../../testing/fakeTools/bin', import.meta.url));
/** The stated bound (issue 10): 150 MB, in the KiB that /proc reports. */
const RSS_LIMIT_KIB = (150 * 1000 * 1000) / 1024;
const ABUSE_MS = 12_000;
const TOKEN = 'fake-tools-token';

const scratch = mkdtempSync(join(tmpdir(), 'osprey-fake-tools-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Observed {
  served: Served;
  healthz: number;
  page: number;
  /** Inventories in the order streamed. */
  inventories: InventoryMessage[];
  /** Messages the console's decoder refused, with why. */
  refused: string[];
  metrics: number;
  rssMaxKiB: number;
  alive: boolean;
}

async function rssKiB(pid: number): Promise<number> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
}

/** Starts serve with the fake tools in `modes`, watches it for ABUSE_MS, leaves it running. */
async function underAbuse(
  modes: { nvidia?: string; npu?: string },
  pids?: string,
  abuseMs = ABUSE_MS,
): Promise<Observed> {
  const env = {
    ...process.env,
    PATH: `${FAKE_BIN}:${process.env.PATH ?? ''}`,
    OSPREY_FAKE_NVIDIA_SMI: modes.nvidia ?? 'healthy',
    OSPREY_FAKE_NPU_SMI: modes.npu ?? 'healthy',
    ...(pids ? { OSPREY_FAKE_PIDS: pids } : {}),
  };
  const configDir = mkdtempSync(join(scratch, 'config-'));
  const served = await startServe(
    ['--token', TOKEN, '--interval', '1000', '--config-dir', configDir],
    20_000,
    { env },
  );
  try {
    return await watch(served, abuseMs);
  } catch (error) {
    await served.stop();
    throw error;
  }
}

async function watch(served: Served, abuseMs: number): Promise<Observed> {
  const pid = served.child.pid!;
  const healthz = (await fetch(`${served.url}/healthz`)).status;
  const page = (await fetch(`${served.url}/`)).status;
  const observed: Observed = {
    served,
    healthz,
    page,
    inventories: [],
    refused: [],
    metrics: 0,
    rssMaxKiB: await rssKiB(pid),
    alive: true,
  };
  const ws = new WebSocket(`${served.url.replace('http', 'ws')}/stream`, [
    'osprey.v1',
    `token.${TOKEN}`,
  ]);
  ws.on('message', (data) => {
    const r = decodeMessage(String(data));
    if (!r.ok) return void observed.refused.push(r.problem.message);
    if (r.message.type === 'inventory') observed.inventories.push(r.message);
    if (r.message.type === 'metrics') observed.metrics++;
  });
  ws.on('error', (error) => observed.refused.push(`stream error: ${error.message}`));
  const until = Date.now() + abuseMs;
  while (Date.now() < until) {
    await new Promise((r) => setTimeout(r, 250));
    if (served.child.exitCode !== null || served.child.signalCode !== null) break;
    observed.rssMaxKiB = Math.max(observed.rssMaxKiB, await rssKiB(pid));
  }
  ws.close();
  observed.alive = served.child.exitCode === null && served.child.signalCode === null;
  return observed;
}

function probeStatuses(o: Observed, probe: string): ProbeStatus[] {
  return o.inventories.flatMap((inv) => inv.probes.filter((p) => p.probe === probe));
}

/** The messages `probe` had over the run, to show in a failure. */
function messagesOf(o: Observed, probe: string): string[] {
  return [...new Set(probeStatuses(o, probe).map((p) => `${p.state}: ${p.message ?? ''}`))];
}

/** The common bounds: alive, answering, every message decodable, ≤ 1,024 devices, RSS ≤ 150 MB. */
function expectBounded(o: Observed): void {
  expect(o.alive, o.served.output.join('')).toBe(true);
  expect(o.healthz).toBe(200);
  expect(o.page).toBe(200);
  expect(o.refused, o.refused.join('\n').slice(0, 2000)).toEqual([]);
  expect(o.inventories.length).toBeGreaterThan(0);
  expect(o.metrics).toBeGreaterThan(0);
  for (const inv of o.inventories) expect(inv.devices.length).toBeLessThanOrEqual(MAX_DEVICES);
  expect(o.rssMaxKiB).toBeLessThanOrEqual(RSS_LIMIT_KIB);
}

function expectNamed(o: Observed, probe: string, fault: RegExp): void {
  const said = messagesOf(o, probe);
  expect(
    said.some((m) => fault.test(m)),
    `${probe} said: ${said.join(' | ')}`,
  ).toBe(true);
}

describe('osprey serve with misbehaving GPU/NPU tools', () => {
  it('answers HTTP while a hanging nvidia-smi and npu-smi are still starting, then names the hangs', async () => {
    // nvidia-smi's first run is given 10 s: watched for 15.
    const o = await underAbuse({ nvidia: 'hang', npu: 'hang' }, undefined, 15_000);
    try {
      expectBounded(o);
      // The first inventory went out while both tools were still hanging: nothing waited on them.
      const first = o.inventories[0]!.probes;
      expect(first.find((p) => p.probe === 'nvidia-smi')?.state).toBe('starting');
      expect(first.find((p) => p.probe === 'npu-smi')?.state).toBe('starting');
      expectNamed(o, 'nvidia-smi', /nvidia-smi gave no answer within 10 s and was stopped/);
      expectNamed(o, 'npu-smi', /npu-smi info did not finish within 5000 ms/);
    } finally {
      await o.served.stop();
    }
  });

  it('survives an nvidia-smi stream that floods bytes without a newline, and says so', async () => {
    const o = await underAbuse({ nvidia: 'flood-no-newline' });
    try {
      expectBounded(o);
      expectNamed(o, 'nvidia-smi', /printed over 2 MB within 1 s \(a flood\)/);
      expectNamed(o, 'nvidia-smi', /longer than 64 KiB/);
    } finally {
      await o.served.stop();
    }
  });

  it('skips an endless line printed below the flood rate and keeps the stream', async () => {
    const o = await underAbuse({ nvidia: 'slow-flood-no-newline' });
    try {
      expectBounded(o);
      expectNamed(o, 'nvidia-smi', /nvidia-smi stream line \d+: longer than 64 KiB/);
      const said = messagesOf(o, 'nvidia-smi').join(' | ');
      expect(said).not.toMatch(/restarting|flood/);
    } finally {
      await o.served.stop();
    }
  });

  it('keeps the first 1,024 GPUs of a stream inventing new UUIDs as fast as it can', async () => {
    const o = await underAbuse({ nvidia: 'new-uuids' });
    try {
      expectBounded(o);
      expectNamed(o, 'nvidia-smi', /nvidia-smi listed (over )?[\d,]+ devices; .*first 1,024/);
      expect(Math.max(...o.inventories.map((i) => i.devices.length))).toBe(MAX_DEVICES);
    } finally {
      await o.served.stop();
    }
  });

  it('keeps the first 1,024 GPUs of a stream listing 2,000 new ones a second', async () => {
    const o = await underAbuse({ nvidia: 'slow-new-uuids' });
    try {
      expectBounded(o);
      expectNamed(
        o,
        'nvidia-smi',
        /nvidia-smi listed [\d,]+ devices; the collector keeps the first 1,024/,
      );
      expect(Math.max(...o.inventories.map((i) => i.devices.length))).toBe(MAX_DEVICES);
    } finally {
      await o.served.stop();
    }
  });

  it('reports a tool that exits non-zero in its own words', async () => {
    const o = await underAbuse({ nvidia: 'exit-nonzero' });
    try {
      expectBounded(o);
      expectNamed(
        o,
        'nvidia-smi',
        /nvidia-smi exited with code 255: Failed to initialize NVML: Unknown Error; retrying in/,
      );
    } finally {
      await o.served.stop();
    }
  });

  it('counts garbage bytes as problems and keeps going', async () => {
    const o = await underAbuse({ nvidia: 'garbage', npu: 'garbage' });
    try {
      expectBounded(o);
      expectNamed(o, 'nvidia-smi', /nvidia-smi stream line \d+/);
      expectNamed(o, 'npu-smi', /npu-smi info/);
    } finally {
      await o.served.stop();
    }
  });

  it('says "output exceeded 8 MB" for tools printing 20 MB, not that they gave no answer', async () => {
    const o = await underAbuse({ nvidia: 'big-output', npu: 'big-output' });
    try {
      expectBounded(o);
      expectNamed(o, 'nvidia-smi', /nvidia-smi output exceeded 8 MB and was stopped/);
      expectNamed(o, 'npu-smi', /npu-smi info: output exceeded 8 MB and was stopped/);
      const said = [...messagesOf(o, 'nvidia-smi'), ...messagesOf(o, 'npu-smi')].join(' | ');
      expect(said).not.toMatch(/no answer|did not finish/);
    } finally {
      await o.served.stop();
    }
  });

  it('bounds an npu-smi listing 2,200 chips and stops an nvidia-smi that ignores SIGTERM', async () => {
    const pids = mkdtempSync(join(scratch, 'pids-'));
    const o = await underAbuse({ nvidia: 'ignore-sigterm', npu: 'many-chips' }, pids);
    try {
      expectBounded(o);
      expectNamed(
        o,
        'npu-smi',
        /npu-smi info listed 2,200 devices; the collector keeps the first 1,024/,
      );
      expect(probeStatuses(o, 'nvidia-smi').at(-1)?.state).toBe('ok');
    } finally {
      await o.served.stop();
    }
    expect(o.served.child.exitCode).toBe(0);
    const started = readdirSync(pids).map(Number);
    expect(started.length).toBeGreaterThan(0);
    const running = started.filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    expect(running).toEqual([]);
  });
});
