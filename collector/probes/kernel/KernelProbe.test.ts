import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { Signal } from '../../core/diagnosis/types.js';
import { FakeCommandRunner } from '../FakeCommandRunner.js';
import type { CommandRunner, LineStreamHandlers } from '../types.js';
import { KernelProbe, type KernelProbeOptions } from './KernelProbe.js';
import type { KmsgFs } from './KmsgFollower.js';

const fixture = (name: string) =>
  fileURLToPath(new URL(`../../core/diagnosis/fixtures/kernel/${name}`, import.meta.url));

const NOW = Date.UTC(2026, 11, 3, 12);
const BOOT = NOW - 10 * 86_400_000;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'osprey-kernel-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A /dev/kmsg whose records are read one per call, with EAGAIN at the end and EPIPE where told. */
function fakeKmsg(
  records: (string | 'EPIPE')[],
  openError?: string,
): KmsgFs & { queue: typeof records } {
  const queue = [...records];
  const fail = (code: string) => Object.assign(new Error(code), { code });
  return {
    queue,
    open: () => {
      if (openError) throw fail(openError);
      return 3;
    },
    read: (_fd, buffer) => {
      const next = queue.shift();
      if (next === undefined) throw fail('EAGAIN');
      if (next === 'EPIPE') throw fail('EPIPE');
      return buffer.write(`${next}\n SUBSYSTEM=pci\n`);
    },
    close: () => undefined,
  };
}

function probe(runner: CommandRunner, opts: KernelProbeOptions): KernelProbe {
  return new KernelProbe(runner, {
    now: () => NOW,
    bootTimeMs: () => BOOT,
    bootId: () => 'boot-1',
    pollMs: 60_000,
    ...opts,
  });
}

async function collectOnce(
  p: KernelProbe,
): Promise<{ signals: Signal[]; state: string; message?: string }> {
  const r = await p.collect(NOW);
  return { signals: r.signals ?? [], state: r.status.state, message: r.status.message };
}

const XID79 =
  "NVRM: Xid (PCI:0000:91:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.";

describe('KernelProbe --replay kmsg=FILE', () => {
  it('reads a recorded log once: the gpud SXid file gives Xid 79 and the SXids folded by switch and link', async () => {
    const p = probe(new FakeCommandRunner(), {
      replayFile: fixture('kmsg-gpud-sxid-readme-xid79-sxid20034.txt'),
    });
    await p.start();
    const { signals, state } = await collectOnce(p);
    expect(state).toBe('ok');
    expect(
      signals.filter((s) => s.kind === 'xid').map((s) => [s.code, s.pci, s.detail?.uuid]),
    ).toEqual([['79', '0000:91:00', 'GPU-b6c3b2be-c55b-d076-fa0e-d464e4c7e08b']]);
    // 8 SXid lines: two repeat an earlier switch's line without a link number (written down from the file).
    const sxids = signals.filter((s) => s.kind === 'sxid');
    expect(sxids).toHaveLength(6);
    expect(sxids.reduce((n, s) => n + 1 + Number(s.detail?.repeats ?? 0), 0)).toBe(8);
    // Collected signals are handed over once.
    expect((await collectOnce(p)).signals).toEqual([]);
    await p.stop();
  });

  it('a replayed log happens now: its dated lines move as one block, the latest at the start of the replay, evidence keeping the printed times', async () => {
    const file = join(dir, 'dated.log');
    const first = Date.parse('2027-02-18T10:00:00Z');
    writeFileSync(
      file,
      [
        `2027-02-18T10:00:00+00:00 host kernel: ${XID79.replace('79,', '13,')}`,
        `2027-02-18T10:00:30+00:00 host kernel: ${XID79.replace('79,', '43,')}`,
      ].join('\n') + '\n',
    );
    const p = probe(new FakeCommandRunner(), { replayFile: file });
    await p.start();
    const { signals } = await collectOnce(p);
    expect(signals.map((s) => [s.code, s.ts - NOW])).toEqual([
      ['13', -30_000],
      ['43', 0],
    ]);
    expect(signals.map((s) => s.evidence[0]!.ts)).toEqual([first, first + 30_000]);
  });

  it('uptime stamps in a replayed log are not placed on this machine’s boot: no evidence time, the signal now', async () => {
    const file = join(dir, 'uptime.log');
    writeFileSync(file, `[349507.500659] ${XID79}\n`);
    const p = probe(new FakeCommandRunner(), { replayFile: file });
    await p.start();
    const { signals } = await collectOnce(p);
    expect(signals.map((s) => [s.code, s.ts, s.evidence[0]!.ts])).toEqual([['79', NOW, null]]);
  });

  it('a storm of 10,000 identical Xid lines is held as one signal counting 9,999 repeats', async () => {
    const file = join(dir, 'storm.log');
    const lines = Array.from(
      { length: 10_000 },
      (_, i) => `[${1000 + i}.000000] ${XID79.replace('79,', '13,')}`,
    );
    writeFileSync(file, `${lines.join('\n')}\n`);
    const p = probe(new FakeCommandRunner(), { replayFile: file });
    await p.start();
    expect(p.pending()).toBe(1);
    const { signals } = await collectOnce(p);
    expect(signals).toHaveLength(1);
    expect(signals[0]!.detail?.repeats).toBe(9_999);
    expect(signals[0]!.evidence.map((e) => e.text)).toEqual([lines[0], lines[9_999]]);
  });

  it('a missing replay file is an error naming it', async () => {
    const p = probe(new FakeCommandRunner(), { replayFile: join(dir, 'nope.log') });
    await p.start();
    const { state, message } = await collectOnce(p);
    expect(state).toBe('error');
    expect(message).toContain('--replay kmsg=');
    expect(message).toContain('nope.log');
  });
});

describe('KernelProbe on /dev/kmsg', () => {
  const records = [
    '6,100,1000000,-;NVRM: loading NVIDIA UNIX x86_64 Kernel Module  550.144.03',
    `4,101,2000000,-;${XID79}`,
    '4,102,3000000,-;NVRM: Xid (PCI:0000:92:00): 48, pid=7, name=vllm, DBE (double bit error) ECC error',
  ];

  it('reads records with their boot-relative times and keeps the last sequence number on disk', async () => {
    const positionPath = join(dir, 'state', 'kernel-log.json');
    const p = probe(new FakeCommandRunner(), { fs: fakeKmsg(records), positionPath });
    await p.start();
    const { signals, state } = await collectOnce(p);
    expect(state).toBe('ok');
    expect(signals.map((s) => [s.code, s.pci, s.ts])).toEqual([
      ['79', '0000:91:00', BOOT + 2_000],
      ['48', '0000:92:00', BOOT + 3_000],
    ]);
    await p.stop();
    expect(JSON.parse(readFileSync(positionPath, 'utf8'))).toEqual({ bootId: 'boot-1', seq: 102 });
  });

  it('after a restart in the same boot nothing is read twice; a new boot reads from the start', async () => {
    const positionPath = join(dir, 'kernel-log.json');
    const first = probe(new FakeCommandRunner(), { fs: fakeKmsg(records), positionPath });
    await first.start();
    await first.stop();
    const more = [
      ...records,
      '4,103,4000000,-;NVRM: Xid (PCI:0000:93:00): 94, pid=8, name=x, Contained',
    ];
    const again = probe(new FakeCommandRunner(), { fs: fakeKmsg(more), positionPath });
    await again.start();
    expect((await collectOnce(again)).signals.map((s) => s.code)).toEqual(['94']);
    await again.stop();
    const rebooted = probe(new FakeCommandRunner(), {
      fs: fakeKmsg(more),
      positionPath,
      bootId: () => 'boot-2',
    });
    await rebooted.start();
    expect((await collectOnce(rebooted)).signals.map((s) => s.code)).toEqual(['79', '48', '94']);
    await rebooted.stop();
  });

  it('records overwritten before they were read (EPIPE): the reading goes on, the probe says so', async () => {
    const p = probe(new FakeCommandRunner(), { fs: fakeKmsg(['EPIPE', records[2]!]) });
    await p.start();
    const { signals, state, message } = await collectOnce(p);
    expect(signals.map((s) => s.code)).toEqual(['48']);
    expect(state).toBe('degraded');
    expect(message).toContain('overwritten before they were read');
  });
});

/** A runner whose tools are not installed unless given a stream. */
function toolsRunner(
  streams: Record<string, { lines: string[]; code?: number; stderr?: string; open?: boolean }>,
): CommandRunner {
  const fake = new FakeCommandRunner();
  for (const [line, s] of Object.entries(streams)) fake.onStream(line, s);
  return {
    run: fake.run.bind(fake),
    spawnLines(cmd: string, args: readonly string[], handlers: LineStreamHandlers) {
      const line = [cmd, ...args].join(' ');
      if (!(line in streams)) {
        setTimeout(
          () =>
            handlers.onExit(
              null,
              '',
              Object.assign(new Error(`spawn ${cmd} ENOENT`), { code: 'ENOENT' }),
            ),
          0,
        );
        return { stop: () => undefined };
      }
      return fake.spawnLines(cmd, args, handlers);
    },
  };
}

const JOURNAL = 'journalctl -k -f -o short-iso --no-pager';

describe('KernelProbe fallbacks', () => {
  it('/dev/kmsg refused: journalctl -k is read, and the status says why', async () => {
    const runner = toolsRunner({
      [JOURNAL]: { lines: [`2026-12-03T11:59:00+0000 gpu-node-7 kernel: ${XID79}`], open: true },
    });
    const p = probe(runner, { fs: fakeKmsg([], 'EACCES') });
    await p.start();
    const { signals, state, message } = await collectOnce(p);
    expect(signals.map((s) => [s.code, s.ts, s.evidence[0]!.source])).toEqual([
      ['79', Date.UTC(2026, 11, 3, 11, 59), 'journalctl'],
    ]);
    expect(state).toBe('ok');
    expect(message).toBe(
      'reading journalctl (/dev/kmsg: permission denied (needs root or CAP_SYSLOG when kernel.dmesg_restrict is 1))',
    );
    await p.stop();
  });

  it('journalctl lines at or before the stored time are not read again', async () => {
    const positionPath = join(dir, 'kernel-log.json');
    writeFileSync(
      positionPath,
      JSON.stringify({ bootId: 'boot-1', ts: Date.UTC(2026, 11, 3, 11, 59) }),
    );
    const runner = toolsRunner({
      [JOURNAL]: {
        lines: [
          `2026-12-03T11:59:00+0000 n kernel: ${XID79}`,
          `2026-12-03T11:59:30+0000 n kernel: ${XID79.replace('91:00', '92:00')}`,
        ],
        open: true,
      },
    });
    const p = probe(runner, { fs: fakeKmsg([], 'ENOENT'), positionPath });
    await p.start();
    expect((await collectOnce(p)).signals.map((s) => s.pci)).toEqual(['0000:92:00']);
    await p.stop();
  });

  it('no /dev/kmsg, no journalctl, no dmesg: "absent", naming each', async () => {
    const p = probe(toolsRunner({}), { fs: fakeKmsg([], 'ENOENT') });
    await p.start();
    const { state, message } = await collectOnce(p);
    expect(state).toBe('absent');
    expect(message).toBe(
      'no kernel log readable here: /dev/kmsg: not present; journalctl: not installed; dmesg: not installed',
    );
  });

  it('everything refused: "error" with dmesg\'s own words', async () => {
    const runner = toolsRunner({
      'dmesg --follow': {
        lines: [],
        code: 1,
        stderr: 'dmesg: read kernel buffer failed: Operation not permitted\n',
      },
    });
    const p = probe(runner, { fs: fakeKmsg([], 'EPERM') });
    await p.start();
    const { state, message } = await collectOnce(p);
    expect(state).toBe('error');
    expect(message).toContain('dmesg: dmesg: read kernel buffer failed: Operation not permitted');
    expect(message).toContain('/dev/kmsg: permission denied');
  });
});
