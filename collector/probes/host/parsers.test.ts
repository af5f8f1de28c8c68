import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { isWholeDisk, parseDiskstats } from './diskstats.js';
import { loadSamples, parseLoadavg } from './loadavg.js';
import { memorySamples, parseMeminfo } from './meminfo.js';
import { parseNetDev } from './netDev.js';
import { busyPercent, cpuSamples, parseProcStat } from './procStat.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseProcStat', () => {
  it('reads the cpu lines of the real capture as total and idle ticks', () => {
    const s = parseProcStat(fixture('proc-stat.0.txt'));
    expect(s.problems).toEqual([]);
    // cpu  21393 192 8596 2601938 578 0 137 18 0 0: guest columns excluded.
    expect(s.all).toEqual({ total: 2632852, idle: 2601938 + 578 });
    expect([...s.cores.keys()]).toEqual(['0', '1']);
    expect(s.cores.get('1')).toEqual({ total: 1316346, idle: 1298763 + 543 });
  });

  it('leaves guest time out of the total: the kernel already counts it in user', () => {
    // user nice system idle iowait irq softirq steal guest guest_nice
    const s = parseProcStat('cpu  500 0 100 300 100 0 0 0 400 0\n');
    expect(s.all).toEqual({ total: 1000, idle: 400 });
  });

  it('busy % between the two real readings matches the hand computation', () => {
    const a = parseProcStat(fixture('proc-stat.0.txt'));
    const b = parseProcStat(fixture('proc-stat.1.txt'));
    // all: Δtotal 220, Δidle 188, Δiowait 1 → 31/220; cpu0 10/107; cpu1 20/111.
    expect(busyPercent(a.all!, b.all!)).toBeCloseTo((31 / 220) * 100, 10);
    const samples = cpuSamples(a, b);
    expect(samples).toEqual([
      { m: 'host.cpu.utilization', v: expect.closeTo(14.0909, 3) },
      { m: 'host.cpu.core.utilization', v: expect.closeTo(9.3458, 3), l: { cpu: '0' } },
      { m: 'host.cpu.core.utilization', v: expect.closeTo(18.018, 3), l: { cpu: '1' } },
    ]);
  });

  it('has no rate without a previous reading, and none when the counters went back', () => {
    const a = parseProcStat(fixture('proc-stat.0.txt'));
    const b = parseProcStat(fixture('proc-stat.1.txt'));
    expect(cpuSamples(undefined, a).every((s) => s.v === null && s.s === 'missing')).toBe(true);
    expect(busyPercent(b.all!, a.all!)).toBeUndefined();
    expect(busyPercent(a.all!, a.all!)).toBeUndefined();
  });

  it('names the file line of a bad cpu line and keeps the others', () => {
    const s = parseProcStat(fixture('proc-stat.1.garbage-cpu1.txt'));
    expect(s.problems).toEqual([
      {
        line: 3,
        reason: expect.stringMatching(
          /^expected 8 tick counters after "cpu1" in "cpu1 11860 76 50x9/,
        ),
      },
    ]);
    expect(s.all).toBeDefined();
    expect([...s.cores.keys()]).toEqual(['0']);
  });

  it('says so when there is no cpu line at all', () => {
    const s = parseProcStat('intr 1 2 3\n');
    expect(s.problems).toEqual([{ line: 0, reason: 'no "cpu" line' }]);
    expect(cpuSamples(undefined, s)).toEqual([{ m: 'host.cpu.utilization', v: null, s: 'error' }]);
  });
});

describe('parseMeminfo', () => {
  it('used = MemTotal − MemAvailable on the real capture', () => {
    const info = parseMeminfo(fixture('proc-meminfo.1.txt'));
    expect(info).toEqual({
      totalBytes: 24684096 * 1024,
      availableBytes: 24295176 * 1024,
      problems: [],
    });
    expect(memorySamples(info)).toEqual([
      { m: 'host.memory.total', v: 25276514304 },
      { m: 'host.memory.used', v: 388920 * 1024 },
      { m: 'host.memory.usage', v: expect.closeTo((388920 / 24684096) * 100, 10) },
    ]);
  });

  it('a file cut inside MemAvailable keeps the total and names the line', () => {
    const info = parseMeminfo(fixture('proc-meminfo.1.truncated.txt'));
    expect(info.problems).toEqual([
      { line: 3, reason: 'expected "MemAvailable: <n> kB" in "MemAvailable: "' },
    ]);
    expect(memorySamples(info)).toEqual([
      { m: 'host.memory.total', v: 25276514304 },
      { m: 'host.memory.used', v: null, s: 'error' },
      { m: 'host.memory.usage', v: null, s: 'error' },
    ]);
  });

  it('reports missing keys and an available larger than the total', () => {
    expect(parseMeminfo('MemFree: 1 kB\n').problems.map((p) => p.reason)).toEqual([
      'no MemTotal line',
      'no MemAvailable line',
    ]);
    const odd = parseMeminfo('MemTotal: 10 kB\nMemAvailable: 20 kB\n');
    expect(odd.availableBytes).toBeUndefined();
    expect(odd.problems[0]!.reason).toMatch(/MemAvailable \(20480 B\) exceeds MemTotal/);
  });
});

describe('parseLoadavg', () => {
  it('reads the three averages of the real capture', () => {
    expect(loadSamples(parseLoadavg(fixture('proc-loadavg.1.txt')))).toEqual([
      { m: 'host.load.1', v: 0 },
      { m: 'host.load.5', v: 0.18 },
      { m: 'host.load.15', v: 0.2 },
    ]);
  });

  it('a truncated line gives error samples, not zeros', () => {
    const info = parseLoadavg(fixture('proc-loadavg.truncated.txt'));
    expect(info.problems).toEqual([
      { line: 1, reason: 'expected three load averages in "0.00 0.18"' },
    ]);
    expect(loadSamples(info).map((s) => [s.v, s.s])).toEqual([
      [null, 'error'],
      [null, 'error'],
      [null, 'error'],
    ]);
  });
});

describe('parseNetDev', () => {
  it('reads bytes in and out per interface, without lo', () => {
    const r = parseNetDev(fixture('proc-net-dev.1.txt'), 5);
    expect(r.problems).toEqual([]);
    expect(r.at).toBe(5);
    expect([...r.counters]).toEqual([
      ['ifb0', [0, 0]],
      ['ifb1', [0, 0]],
      ['eth0', [430703299, 852958]],
    ]);
  });

  it('accepts a counter touching the colon', () => {
    const r = parseNetDev(`h|\nh|\n  eth1:4294967296 1 0 0 0 0 0 0 7 1 0 0 0 0 0 0\n`, 0);
    expect(r.counters.get('eth1')).toEqual([4294967296, 7]);
  });

  it('a truncated interface line is named, marked broken, and the others stay', () => {
    const r = parseNetDev(fixture('proc-net-dev.1.truncated.txt'), 0);
    expect(r.problems).toEqual([
      {
        line: 6,
        reason: expect.stringMatching(
          /^expected 16 counters after "eth0:" in " {2}eth0: 430703299/,
        ),
      },
    ]);
    expect(r.broken).toEqual(['eth0']);
    expect([...r.counters.keys()]).toEqual(['ifb0', 'ifb1']);
  });

  it('a line with no interface name is a problem', () => {
    expect(parseNetDev('a|\nb|\ngarbage here\n', 0).problems).toEqual([
      { line: 3, reason: 'expected "<interface>: <counters>" in "garbage here"' },
    ]);
  });
});

describe('parseDiskstats', () => {
  it('keeps whole disks only, in bytes (sectors × 512)', () => {
    const r = parseDiskstats(fixture('proc-diskstats.1.txt'), 0);
    expect(r.problems).toEqual([]);
    expect([...r.counters]).toEqual([['vda', [4865578 * 512, 3788408 * 512]]]);
  });

  it.each([
    ['sda', true],
    ['sda1', false],
    ['vdb12', false],
    ['xvda1', false],
    ['nvme0n1', true],
    ['nvme0n1p2', false],
    ['mmcblk0', true],
    ['mmcblk0p1', false],
    ['dm-0', true],
    ['md127', true],
    ['loop3', false],
    ['ram0', false],
    ['zram0', false],
  ])('%s is a whole disk: %s', (name, whole) => {
    expect(isWholeDisk(name)).toBe(whole);
  });

  it('a truncated disk line is named and marked broken', () => {
    const r = parseDiskstats(fixture('proc-diskstats.1.truncated.txt'), 0);
    expect(r.problems).toEqual([
      { line: 9, reason: expect.stringMatching(/^expected 11 counters after "vda" in " 254 /) },
    ]);
    expect(r.broken).toEqual(['vda']);
    expect(r.counters.size).toBe(0);
  });

  it('a line without major/minor/name is a problem', () => {
    expect(parseDiskstats('x\n', 0).problems).toEqual([
      { line: 1, reason: 'expected "<major> <minor> <device> <counters>" in "x"' },
    ]);
  });
});

describe('problems quoting names from the file', () => {
  // Found by parsers.fuzz.test.ts: the reason quoted a whole 100,000-character interface name.
  it('cuts a long name short in the reason', () => {
    const name = 'x'.repeat(100_000);
    const [problem] = parseNetDev(`${name}: 1 2`, 0).problems;
    expect(problem?.reason).toBe(
      `expected 16 counters after "${'x'.repeat(132)}… in "${'x'.repeat(60)}…"`,
    );
  });
});
