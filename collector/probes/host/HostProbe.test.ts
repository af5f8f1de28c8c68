import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import type { Sample } from '../../core/model.js';
import { createHostProbe, PROC_FILES } from './HostProbe.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const fileName = (path: string): string => `proc-${path.slice('/proc/'.length).replace('/', '-')}`;

/** Serves reading `n` of the fixtures, with per-file overrides (a fixture name or an Error). */
function procAt(n: 0 | 1, override: Record<string, string | Error> = {}) {
  const reads: string[] = [];
  const readFile = async (path: string): Promise<string> => {
    reads.push(path);
    const o = override[path];
    if (o instanceof Error) throw o;
    return fixture(o ?? `${fileName(path)}.${n}.txt`);
  };
  return { readFile, reads };
}

/** A probe whose readFile serves the readings in turn. */
function probeOver(readings: ReturnType<typeof procAt>[]) {
  let i = 0;
  const probe = createHostProbe({
    readFile: (path) => readings[Math.min(i, readings.length - 1)]!.readFile(path),
    now: () => 0,
  });
  const collect = async (now: number) => {
    const r = await probe.collect(now);
    i++;
    return r;
  };
  return { probe, collect };
}

const find = (samples: readonly Sample[], m: string, l?: Record<string, string>) =>
  samples.find((s) => s.m === m && JSON.stringify(s.l) === JSON.stringify(l));

const enoent = (path: string) =>
  Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });

describe('HostProbe over the two real readings (1105 ms apart)', () => {
  it('first collect: memory and load, rates missing (never 0)', async () => {
    const { probe, collect } = probeOver([procAt(0), procAt(1)]);
    await probe.start();
    const r = await collect(1_000);
    expect(r.status).toMatchObject({ probe: 'host', state: 'ok' });
    expect(r.status.message).toBeUndefined();
    expect(r.devices).toEqual([]);
    expect(find(r.samples, 'host.memory.used')?.v).toBe((24684096 - 24307368) * 1024);
    expect(find(r.samples, 'host.load.15')?.v).toBe(0.2);
    const rates = r.samples.filter((s) => /cpu|network|disk/.test(s.m));
    expect(rates.length).toBe(3 + 2 * 3 + 2);
    expect(rates.every((s) => s.v === null && s.s === 'missing')).toBe(true);
  });

  it('second collect: hand-checked CPU %, bytes/s per interface and disk', async () => {
    const { probe, collect } = probeOver([procAt(0), procAt(1)]);
    await probe.start();
    await collect(1_000);
    const r = await collect(2_105);
    const v = (m: string, l?: Record<string, string>) => find(r.samples, m, l)?.v;
    expect(v('host.cpu.utilization')).toBeCloseTo((31 / 220) * 100, 10);
    expect(v('host.cpu.core.utilization', { cpu: '1' })).toBeCloseTo((20 / 111) * 100, 10);
    // eth0: 430703299 − 430702921 = 378 B in, 852958 − 852612 = 346 B out, over 1.105 s.
    expect(v('host.network.receive', { interface: 'eth0' })).toBeCloseTo(378 / 1.105, 6);
    expect(v('host.network.transmit', { interface: 'eth0' })).toBeCloseTo(346 / 1.105, 6);
    expect(v('host.network.receive', { interface: 'ifb0' })).toBe(0);
    expect(find(r.samples, 'host.network.receive', { interface: 'lo' })).toBeUndefined();
    // vda: 6288 sectors read, 16424 written (the 8 MiB dd), × 512 B, over 1.105 s.
    expect(v('host.disk.read', { disk: 'vda' })).toBeCloseTo((6288 * 512) / 1.105, 4);
    expect(v('host.disk.write', { disk: 'vda' })).toBeCloseTo((16424 * 512) / 1.105, 4);
    expect(r.samples.filter((s) => s.m.startsWith('host.disk.')).map((s) => s.l)).toEqual([
      { disk: 'vda' },
      { disk: 'vda' },
    ]);
    expect(r.samples.every((s) => s.v !== null)).toBe(true);
  });

  it('reads each /proc file once per collect', async () => {
    const reading = procAt(0);
    const probe = createHostProbe({ readFile: reading.readFile });
    await probe.collect(1);
    expect([...reading.reads].sort()).toEqual([...PROC_FILES].sort());
  });

  it('counters that went back give missing rates, not negative ones', async () => {
    const { collect } = probeOver([procAt(1), procAt(0)]);
    await collect(1_000);
    const r = await collect(2_000);
    const rates = r.samples.filter((s) => /cpu|network\.receive|disk\.write/.test(s.m));
    const eth0 = find(r.samples, 'host.network.receive', { interface: 'eth0' });
    expect(eth0).toEqual({
      m: 'host.network.receive',
      v: null,
      s: 'missing',
      l: { interface: 'eth0' },
    });
    expect(rates.filter((s) => s.v !== null && s.v < 0)).toEqual([]);
  });
});

describe('HostProbe with damaged files', () => {
  it('garbage in one file: a problem naming file and line, all other metrics produced', async () => {
    const { collect } = probeOver([
      procAt(0),
      procAt(1, {
        '/proc/stat': 'proc-stat.1.garbage-cpu1.txt',
        '/proc/net/dev': 'proc-net-dev.1.truncated.txt',
      }),
    ]);
    await collect(1_000);
    const r = await collect(2_105);
    expect(r.status.state).toBe('degraded');
    expect(r.status.message).toMatch(/^\/proc\/stat line 3: expected 8 tick counters after "cpu1"/);
    expect(r.status.message).toMatch(/\/proc\/net\/dev line 6: expected 16 counters after "eth0:"/);
    expect(find(r.samples, 'host.cpu.core.utilization', { cpu: '0' })?.v).toBeCloseTo(
      (10 / 107) * 100,
      10,
    );
    expect(find(r.samples, 'host.cpu.core.utilization', { cpu: '1' })).toBeUndefined();
    expect(find(r.samples, 'host.network.receive', { interface: 'eth0' })).toEqual({
      m: 'host.network.receive',
      v: null,
      s: 'error',
      l: { interface: 'eth0' },
    });
    expect(find(r.samples, 'host.disk.write', { disk: 'vda' })?.v).toBeGreaterThan(0);
    expect(find(r.samples, 'host.memory.total')?.v).toBe(25276514304);
  });

  it('an unreadable file: its metrics are errors, the status names it, the rest flows', async () => {
    const denied = Object.assign(new Error("EACCES: permission denied, open '/proc/diskstats'"), {
      code: 'EACCES',
    });
    const { collect } = probeOver([procAt(0), procAt(1, { '/proc/diskstats': denied })]);
    await collect(1_000);
    const r = await collect(2_105);
    expect(r.status).toMatchObject({
      state: 'degraded',
      message: "cannot read /proc/diskstats: EACCES: permission denied, open '/proc/diskstats'",
    });
    expect(find(r.samples, 'host.disk.read', { disk: 'vda' })).toMatchObject({
      v: null,
      s: 'error',
    });
    expect(find(r.samples, 'host.cpu.utilization')?.v).toBeCloseTo((31 / 220) * 100, 10);
  });

  it('is back to ok when the files are good again', async () => {
    const { collect } = probeOver([
      procAt(0, { '/proc/loadavg': 'proc-loadavg.truncated.txt' }),
      procAt(1),
    ]);
    const bad = await collect(1_000);
    expect(bad.status).toMatchObject({
      state: 'degraded',
      message: '/proc/loadavg line 1: expected three load averages in "0.00 0.18"',
    });
    const good = await collect(2_000);
    expect(good.status).toEqual({ probe: 'host', state: 'ok', since: 2_000 });
  });

  it('every file unreadable: error state, and still no throw', async () => {
    const failing = createHostProbe({
      readFile: async (p) => Promise.reject(new Error(`boom ${p}`)),
    });
    const r = await failing.collect(5);
    expect(r.status.state).toBe('error');
    expect(r.status.message).toBe(
      'cannot read /proc/stat: boom /proc/stat; cannot read /proc/meminfo: boom /proc/meminfo; ' +
        'cannot read /proc/loadavg: boom /proc/loadavg (and 2 more)',
    );
    expect(r.samples.every((s) => s.v === null && s.s === 'error')).toBe(true);
  });
});

describe('HostProbe without /proc', () => {
  it('is absent with a clear message and reads nothing more', async () => {
    let reads = 0;
    const probe = createHostProbe({
      readFile: async (p) => {
        reads++;
        throw enoent(p);
      },
      now: () => 42,
    });
    await probe.start();
    const r = await probe.collect(1_000);
    expect(r.status).toEqual({
      probe: 'host',
      state: 'absent',
      since: 42,
      message: `no /proc/stat on this ${process.platform} system: host metrics read Linux /proc`,
    });
    expect(r.samples).toEqual([]);
    expect(reads).toBe(1);
  });
});
