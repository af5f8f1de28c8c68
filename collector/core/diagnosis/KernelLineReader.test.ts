// The core's code never touches files; its tests read their fixtures.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { KernelLineReader } from './KernelLineReader.js';
import type { Signal } from './types.js';

const fixtures = new URL('./fixtures/kernel/', import.meta.url);
const linesOf = (name: string) => readFileSync(new URL(name, fixtures), 'utf8').split('\n');

const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);
const BOOT = Date.UTC(2025, 0, 1);

function read(lines: readonly string[]): Signal[] {
  const reader = new KernelLineReader();
  const out = lines.flatMap((l) => reader.push(l, { now: NOW, bootTimeMs: BOOT, year: 2025 }));
  return [...out, ...reader.flush()];
}

describe('KernelLineReader: facts that span lines', () => {
  it('the driver three-line fallen-off-bus message (NVSentinel fixture) is one signal with its device', () => {
    const lines = linesOf('dmesg-nvsentinel-gpufallen-multiline.txt');
    const s = read(lines);
    expect(s).toHaveLength(1);
    expect(s[0]).toMatchObject({
      kind: 'fallen-off-bus',
      pci: '0000:b3:00',
      detail: { pciId: '10de:26b5' },
      ts: BOOT + 1_843_308,
    });
    expect(s[0]!.evidence).toEqual([
      {
        ts: BOOT + 1_843_308,
        text: lines
          .slice(0, 3)
          .map((l) => l.trim())
          .join('\n'),
        source: 'kmsg',
      },
    ]);
  });

  it('the same message as journald prints it (each line with its own kernel: prefix)', () => {
    const s = read([
      'Dec 01 14:02:11 gpu-node-7 kernel: NVRM: The NVIDIA GPU 0000:b3:00.0',
      'Dec 01 14:02:11 gpu-node-7 kernel: NVRM: (PCI ID: 10de:26b5) installed in this system has',
      'Dec 01 14:02:11 gpu-node-7 kernel: NVRM: fallen off the bus and is not responding to commands.',
    ]);
    expect(s.map((x) => [x.kind, x.pci, x.ts])).toEqual([
      ['fallen-off-bus', '0000:b3:00', new Date(2025, 11, 1, 14, 2, 11).getTime()],
    ]);
  });

  it('without the PCI ID line (NVSentinel second case) it still names the GPU', () => {
    const s = read([
      '[ 1843.308145] NVRM: The NVIDIA GPU 0000:b3:00.0',
      '               NVRM: installed in this system has',
      '               NVRM: fallen off the bus and is not responding to commands.',
    ]);
    expect(s.map((x) => [x.kind, x.pci])).toEqual([['fallen-off-bus', '0000:b3:00']]);
  });

  it('a started message broken off by an Xid line: no fallen signal, the Xid is read', () => {
    const s = read([
      '[ 1843.308145] NVRM: The NVIDIA GPU 0000:b3:00.0',
      '               NVRM: Xid (PCI:0000:b3:00.0): 79',
      '[ 1843.400000] NVRM: Xid (PCI:0000:b3:00): 79, pid=1, name=x, GPU has fallen off the bus.',
    ]);
    expect(s.map((x) => [x.kind, x.code])).toEqual([['xid', '79']]);
  });

  it('Xid 79 and its "GPU … has fallen off the bus" line are one fact; the UUID line names the GPU', () => {
    const s = read(linesOf('kmsg-gpud-sxid-readme-xid79-sxid20034.txt'));
    const kinds = s.map((x) => x.kind);
    expect(kinds.filter((k) => k === 'xid')).toHaveLength(1);
    expect(kinds.filter((k) => k === 'fallen-off-bus')).toHaveLength(0);
    expect(kinds.filter((k) => k === 'sxid')).toHaveLength(8);
    expect(s[0]!.detail?.uuid).toBe('GPU-b6c3b2be-c55b-d076-fa0e-d464e4c7e08b');
  });

  it('a fallen-off-bus line for another GPU after an Xid 79 is its own signal', () => {
    const s = read([
      "[ 10.000000] NVRM: Xid (PCI:0000:91:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.",
      '[ 10.000100] NVRM: GPU 0000:92:00.0: GPU has fallen off the bus.',
    ]);
    expect(s.map((x) => [x.kind, x.pci])).toEqual([
      ['xid', '0000:91:00'],
      ['fallen-off-bus', '0000:92:00'],
    ]);
  });

  it('DCGM #144: the three Xid 119 carry the UUID named before them', () => {
    const s = read(linesOf('kmsg-issue-dcgm144-xid119-gsp-timeout.txt'));
    expect(s.map((x) => [x.code, x.detail?.uuid])).toEqual([
      ['119', 'GPU-c9696075-b0f8-0e72-1ab7-13e7bdf9b678'],
      ['119', 'GPU-c9696075-b0f8-0e72-1ab7-13e7bdf9b678'],
      ['119', 'GPU-c9696075-b0f8-0e72-1ab7-13e7bdf9b678'],
    ]);
  });

  it('every other fixture reads the same through the reader as line by line', () => {
    const expected: Record<string, number> = {
      'kmsg-issue-dra904-xid43-channel.txt': 1,
      'kmsg-issue-dxvk1027-xid31-13-32-uptime-ts.txt': 6,
      'kmsg-issue-dxvk1799-journalctl-k-xid31.txt': 2,
      'kmsg-issue-gpud-pr46-xid13-xid109-ctime.txt': 4,
      'kmsg-issue-ogkm1030-xid31-open595-rtx5070ti.txt': 1,
      'dmesg-gpud-xid13-xid43-iso-ts.log': 17,
      'dmesg-gpud-pstore-nvrm-load.txt': 0,
    };
    for (const [name, n] of Object.entries(expected)) {
      expect([name, read(linesOf(name)).length]).toEqual([name, n]);
    }
  });

  it('the UUID of open-gpu-kernel-modules #1030 reaches its Xid 31', () => {
    const s = read(linesOf('kmsg-issue-ogkm1030-xid31-open595-rtx5070ti.txt'));
    expect(s[0]!.detail?.uuid).toBe('GPU-4e391288-897c-ba5d-6944-dfbea55ebcfa');
  });

  it('a GSP timeout line without an address takes the one an Xid 119 gave its GPU number', () => {
    const s = read([
      '[ 10.0] NVRM: Xid (PCI:0000:07:00): 119, pid=2357, name=nv-hostengine, Timeout waiting for RPC from GPU0 GSP! Expected function 76 (GSP_RM_CONTROL) (0x90cc0301 0xc).',
      '[ 11.0] NVRM: GPU1 _kgspRpcRecvPoll: GSP RM heartbeat timed out',
      '[ 12.0] NVRM: GPU0 _kgspRpcRecvPoll: GSP RM heartbeat timed out',
      '[ 13.0] NVRM: _kgspRpcRecvPoll: GSP RPC timeout, function 76',
    ]);
    expect(s.map((x) => [x.kind, x.pci])).toEqual([
      ['xid', '0000:07:00'],
      ['gsp-timeout', undefined],
      ['gsp-timeout', '0000:07:00'],
      ['gsp-timeout', undefined],
    ]);
  });
});
