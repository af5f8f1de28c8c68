// The core's code never touches files; its tests read their fixtures.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { normalizePci, parseKernelLine } from './kernelLine.js';
import { parseKmsgRecord } from './kernelLinePrefix.js';
import type { Signal } from './types.js';

const fixtures = new URL('./fixtures/kernel/', import.meta.url);
const linesOf = (name: string) => readFileSync(new URL(name, fixtures), 'utf8').split('\n');

const NOW = Date.UTC(2026, 11, 3, 12, 0, 0);
const BOOT = Date.UTC(2025, 0, 1);

function parseFile(name: string, opts: { bootTimeMs?: number; year?: number } = {}): Signal[] {
  return linesOf(name)
    .map((line) => parseKernelLine(line, { now: NOW, ...opts }))
    .filter((s): s is Signal => s !== undefined);
}

/** `{ 'xid:13': 4, 'sxid:20034': 8, … }`: what a file's lines report, by kind and code. */
function tally(signals: readonly Signal[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const s of signals) {
    const key = s.code === undefined ? s.kind : `${s.kind}:${s.code}`;
    out[key] = (out[key] ?? 0) + 1;
  }
  return out;
}

// Counts written down from reading each file (SOURCES.md says what each one is).
describe('every real kernel log in the fixtures: signals by kind and code', () => {
  it('gpud sxid README: one Xid 79, its "GPU has fallen off the bus" line, 8 SXid 20034', () => {
    const s = parseFile('kmsg-gpud-sxid-readme-xid79-sxid20034.txt');
    expect(tally(s)).toEqual({ 'xid:79': 1, 'fallen-off-bus': 1, 'sxid:20034': 8 });
    const xid = s.find((x) => x.kind === 'xid')!;
    expect(xid.pci).toBe('0000:91:00');
    expect(xid.detail).toEqual({ message: 'GPU has fallen off the bus.' });
    expect(s.find((x) => x.kind === 'fallen-off-bus')!.pci).toBe('0000:91:00');
    const switches = s.filter((x) => x.kind === 'sxid');
    expect(switches.map((x) => x.pci)).toEqual([
      '0000:06:00',
      '0000:05:00',
      '0000:07:00',
      '0000:05:00',
      '0000:07:00',
      '0000:05:00',
      '0000:07:00',
      '0000:05:00',
    ]);
    const fatal = switches.filter((x) => x.detail?.severity === 'fatal');
    expect(fatal.map((x) => [x.detail?.switch, x.detail?.link])).toEqual([
      [1, 48],
      [0, 63],
      [2, 37],
      [0, 62],
    ]);
  });

  it('dra-driver #904: one Xid 43 on domain 0009 with pid 3188489 and name trigger_xid', () => {
    const s = parseFile('kmsg-issue-dra904-xid43-channel.txt');
    expect(tally(s)).toEqual({ 'xid:43': 1 });
    expect(s[0]!.pci).toBe('0009:01:00');
    expect(s[0]!.detail).toEqual({
      pid: 3188489,
      process: 'trigger_xid',
      message: 'channel 0x0b00000a',
    });
  });

  it('dxvk #1027 (uptime stamps, old format): Xid 31 ×1, 13 ×4, 32 ×1, no pid', () => {
    const s = parseFile('kmsg-issue-dxvk1027-xid31-13-32-uptime-ts.txt', { bootTimeMs: BOOT });
    expect(tally(s)).toEqual({ 'xid:31': 1, 'xid:13': 4, 'xid:32': 1 });
    expect(new Set(s.map((x) => x.pci))).toEqual(new Set(['0000:01:00']));
    expect(s.some((x) => x.detail?.pid !== undefined)).toBe(false);
    // [31543.449443]: 31,543,449.443 ms after boot.
    expect(s[0]!.ts).toBe(BOOT + 31_543_449);
    expect(s[0]!.detail?.message).toMatch(/^Ch 0000003a, intr 10000000\. MMU Fault/);
  });

  it('dxvk #1799 (journalctl -k): two Xid 31 with pid 12890 and no name', () => {
    const s = parseFile('kmsg-issue-dxvk1799-journalctl-k-xid31.txt', { year: 2020 });
    expect(tally(s)).toEqual({ 'xid:31': 2 });
    expect(s.map((x) => x.detail?.pid)).toEqual([12890, 12890]);
    expect(s.map((x) => x.detail?.process)).toEqual([undefined, undefined]);
    expect(s[0]!.pci).toBe('0000:c1:00');
    expect(s[0]!.ts).toBe(new Date(2020, 10, 29, 11, 28, 11).getTime());
  });

  it('gpud #46 (dmesg --ctime): Xid 13 ×3 without a process, Xid 109 by pt_main_thread', () => {
    const s = parseFile('kmsg-issue-gpud-pr46-xid13-xid109-ctime.txt');
    expect(tally(s)).toEqual({ 'xid:13': 3, 'xid:109': 1 });
    expect(s.slice(0, 3).map((x) => x.detail?.process)).toEqual([undefined, undefined, undefined]);
    expect(s[3]!.detail).toMatchObject({ pid: 1797828, process: 'pt_main_thread' });
    expect(s[3]!.pci).toBe('0000:cb:00');
    expect(s[0]!.ts).toBe(new Date(2024, 7, 30, 11, 43, 9).getTime());
    expect(s[3]!.ts).toBe(new Date(2024, 7, 30, 11, 43, 14).getTime());
  });

  it('open-gpu-kernel-modules #1030: one Xid 31 by UnrealEditor (pid 13705)', () => {
    const s = parseFile('kmsg-issue-ogkm1030-xid31-open595-rtx5070ti.txt', { bootTimeMs: BOOT });
    expect(tally(s)).toEqual({ 'xid:31': 1 });
    expect(s[0]!.detail).toMatchObject({ pid: 13705, process: 'UnrealEditor' });
    expect(s[0]!.ts).toBe(BOOT + 365_970);
  });

  it('gpud iso log (dmesg --decode --time-format=iso): Xid 13 ×16 and one Xid 43', () => {
    const s = parseFile('dmesg-gpud-xid13-xid43-iso-ts.log');
    expect(tally(s)).toEqual({ 'xid:13': 16, 'xid:43': 1 });
    expect(s[0]!.ts).toBe(Date.UTC(2025, 0, 21, 4, 41, 44) + 283);
    expect(s[16]!.detail).toMatchObject({ pid: 2924364, process: 'pt_main_thread' });
    expect(new Set(s.map((x) => x.pci))).toEqual(new Set(['0000:38:00']));
  });

  it('gpud pstore dmesg (<N> priorities, a panic, module loads): no signal at all', () => {
    expect(parseFile('dmesg-gpud-pstore-nvrm-load.txt')).toEqual([]);
  });

  it('DCGM #144: three Xid 119 (GSP RPC timeout) on 0000:07:00 and nothing from the dump', () => {
    const s = parseFile('kmsg-issue-dcgm144-xid119-gsp-timeout.txt', { bootTimeMs: BOOT });
    expect(tally(s)).toEqual({ 'xid:119': 3 });
    expect(s.map((x) => x.detail?.process)).toEqual([
      'nv-hostengine',
      'cache_mgr_main',
      'nv-hostengine',
    ]);
    expect(s.every((x) => x.pci === '0000:07:00' && x.detail?.pid === 2357)).toBe(true);
  });

  it('NVSentinel multi-line fallen-off-bus, read line by line: the tail alone has no device', () => {
    const s = parseFile('dmesg-nvsentinel-gpufallen-multiline.txt');
    expect(tally(s)).toEqual({ 'fallen-off-bus': 1 });
    expect(s[0]!.pci).toBeUndefined();
  });
});

describe('one Xid line in each prefix style', () => {
  const XID =
    "NVRM: Xid (PCI:0000:3b:00): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.";
  const cases: [string, string, number | null][] = [
    ['no prefix (contracts.md §3.5 example)', XID, null],
    ['dmesg uptime', `[  123.456789] ${XID}`, BOOT + 123_457],
    ['dmesg uptime after a <4> priority', `<4>[  123.456789] ${XID}`, BOOT + 123_457],
    ['dmesg -T', `[Mon Dec  1 14:02:11 2025] ${XID}`, new Date(2025, 11, 1, 14, 2, 11).getTime()],
    ['dmesg iso', `2025-12-01T14:02:11,123456+00:00 ${XID}`, Date.UTC(2025, 11, 1, 14, 2, 11, 123)],
    [
      'dmesg --decode iso',
      `kern  :warn  : 2025-12-01T14:02:11,123456+01:00 ${XID}`,
      Date.UTC(2025, 11, 1, 13, 2, 11, 123),
    ],
    [
      'journald short',
      `Dec 01 14:02:11 gpu-node-7 kernel: ${XID}`,
      new Date(2025, 11, 1, 14, 2, 11).getTime(),
    ],
    [
      'journald short-precise',
      `Dec 01 14:02:11.250000 gpu-node-7 kernel: ${XID}`,
      new Date(2025, 11, 1, 14, 2, 11, 250).getTime(),
    ],
    [
      'journald short-iso',
      `2025-12-01T14:02:11+0000 gpu-node-7 kernel: ${XID}`,
      Date.UTC(2025, 11, 1, 14, 2, 11),
    ],
    [
      'journald short-iso-precise',
      `2025-12-01T14:02:11.500000+00:00 gpu-node-7 kernel: ${XID}`,
      Date.UTC(2025, 11, 1, 14, 2, 11, 500),
    ],
    [
      'rsyslog with the kernel stamp inside',
      `Dec  1 14:02:11 gpu-node-7 kernel: [  123.456789] ${XID}`,
      new Date(2025, 11, 1, 14, 2, 11).getTime(),
    ],
    ['/dev/kmsg record', `4,1234,123456789,-;${XID}`, BOOT + 123_457],
    [
      'journald short-full',
      `Mon 2025-12-01 14:02:11 UTC gpu-node-7 kernel: ${XID}`,
      Date.UTC(2025, 11, 1, 14, 2, 11),
    ],
    ['journald short-unix', `1764597731.123456 gpu-node-7 kernel: ${XID}`, 1_764_597_731_123],
    [
      'RFC 5424 syslog',
      `<4>1 2025-12-01T14:02:11.123Z gpu-node-7 kernel - - - ${XID}`,
      Date.UTC(2025, 11, 1, 14, 2, 11, 123),
    ],
    [
      'RFC 3164 syslog',
      `<4>Dec  1 14:02:11 gpu-node-7 kernel: ${XID}`,
      new Date(2025, 11, 1, 14, 2, 11).getTime(),
    ],
    [
      'talosctl dmesg',
      `192.168.11.119: kern: warning: [2026-04-22T21:27:51.291660856Z]: ${XID}`,
      Date.UTC(2026, 3, 22, 21, 27, 51, 291),
    ],
    [
      'journalctl -o json',
      JSON.stringify({ __REALTIME_TIMESTAMP: '1764597731123456', MESSAGE: XID }),
      1_764_597_731_123,
    ],
    [
      'Talos JSON log destination',
      JSON.stringify({
        facility: 'kern',
        msg: XID,
        priority: 'warning',
        seq: 711,
        'talos-time': '2026-04-22T21:27:51.291660856Z',
      }),
      Date.UTC(2026, 3, 22, 21, 27, 51, 291),
    ],
  ];
  for (const [name, line, ts] of cases) {
    it(`${name}: Xid 79 on 0000:3b:00 at ${ts === null ? 'no time (signal at now)' : 'its own time'}`, () => {
      const s = parseKernelLine(line, { now: NOW, bootTimeMs: BOOT, year: 2025 })!;
      expect(s).toMatchObject({ kind: 'xid', code: '79', pci: '0000:3b:00' });
      expect(s.detail).toEqual({ message: 'GPU has fallen off the bus.' });
      expect(s.evidence).toEqual([{ ts, text: line, source: 'kmsg' }]);
      expect(s.ts).toBe(ts ?? NOW);
    });
  }

  it('uptime stamps without a known boot time: evidence time null, signal at now', () => {
    const s = parseKernelLine(`[  123.456789] ${XID}`, { now: NOW })!;
    expect(s.evidence[0]!.ts).toBeNull();
    expect(s.ts).toBe(NOW);
  });

  it('journald stamps have no year: one more than a day ahead of now is last year', () => {
    const now = Date.UTC(2026, 0, 1, 12);
    const s = parseKernelLine(`Dec 31 23:59:59 node kernel: ${XID}`, { now })!;
    expect(s.ts).toBe(new Date(2025, 11, 31, 23, 59, 59).getTime());
  });

  it('/dev/kmsg records: priority, sequence and µs since boot, with \\xHH escapes decoded', () => {
    expect(parseKmsgRecord('6,1234,5678901,-;NVRM: a\\x0aNVRM: b')).toEqual({
      priority: 6,
      seq: 1234,
      usec: 5_678_901,
      text: 'NVRM: a\nNVRM: b',
    });
    expect(parseKmsgRecord('30,7,1,c,more;x')?.priority).toBe(6);
    expect(parseKmsgRecord('[  1.0] not a record')).toBeUndefined();
  });
});

describe('Xid forms', () => {
  const opts = { now: NOW };
  it('MIG GPU instance and compute instance (kernel_rc.c format, contracts.md §3.5)', () => {
    const both = parseKernelLine(
      'NVRM: Xid (PCI:0000:3b:00 GPU-I:02 GPU-CI:01): 13, pid=4242, name=python3, Graphics SM Warp Exception',
      opts,
    )!;
    expect(both).toMatchObject({ kind: 'xid', code: '13', pci: '0000:3b:00' });
    expect(both.detail).toEqual({
      gi: 2,
      ci: 1,
      pid: 4242,
      process: 'python3',
      message: 'Graphics SM Warp Exception',
    });
    const gi = parseKernelLine(
      "NVRM: Xid (PCI:0000:3b:00 GPU-I:07): 31, pid='<unknown>', name=<unknown>, MMU Fault",
      opts,
    )!;
    expect(gi.detail).toEqual({ gi: 7, message: 'MMU Fault' });
  });

  it('Xid 79 without pid/name (osHandleGpuLost, contracts.md §3.5)', () => {
    const s = parseKernelLine('NVRM: Xid (PCI:0000:2b:00): 79, GPU has fallen off the bus.', opts)!;
    expect(s).toMatchObject({ kind: 'xid', code: '79', pci: '0000:2b:00' });
    expect(s.detail).toEqual({ message: 'GPU has fallen off the bus.' });
  });

  it('an Xid whose PCI address carries the function (NVSentinel test form)', () => {
    const s = parseKernelLine(
      'NVRM: Xid (PCI:0000:b3:00.0): 79, pid=12345, GPU has fallen off the bus.',
      opts,
    )!;
    expect(s).toMatchObject({ code: '79', pci: '0000:b3:00', detail: { pid: 12345 } });
  });

  it('NVLink5 Xid 149 and the Xid 45 after it are read with their codes', () => {
    const codes = [
      "NVRM: Xid (PCI:0000:1b:00): 149, pid='<unknown>', name=<unknown>, NETIR_LINK_EVT Fatal error detected on link 14",
      'NVRM: Xid (PCI:0000:1b:00): 45, pid=88, name=vllm, Ch 00000010',
    ].map((l) => parseKernelLine(l, opts)?.code);
    expect(codes).toEqual(['149', '45']);
  });
});

describe('other kinds', () => {
  const opts = { now: NOW, bootTimeMs: BOOT };
  it('the probe-time "fallen off the bus" in one kmsg record (escaped newlines)', () => {
    const line =
      '3,555,1843308145,-;NVRM: The NVIDIA GPU 0000:b3:00.0\\x0aNVRM: (PCI ID: 10de:26b5) installed in this system has\\x0aNVRM: fallen off the bus and is not responding to commands.';
    const s = parseKernelLine(line, opts)!;
    expect(s).toMatchObject({
      kind: 'fallen-off-bus',
      pci: '0000:b3:00',
      detail: { pciId: '10de:26b5' },
    });
    expect(s.ts).toBe(BOOT + 1_843_308);
  });

  it('the same message on one line (a guide quoting it, no PCI ID group split)', () => {
    const s = parseKernelLine(
      'NVRM: The NVIDIA GPU 0000:01:00.0 (PCI ID: 10de:2d04) installed in this system has fallen off the bus and is not responding to commands.',
      opts,
    )!;
    expect(s).toMatchObject({
      kind: 'fallen-off-bus',
      pci: '0000:01:00',
      detail: { pciId: '10de:2d04' },
    });
  });

  it('GSP timeouts without an Xid: _kgspRpcRecvPoll and "Timeout waiting for RPC from GPU"', () => {
    const a = parseKernelLine(
      '[   84.7] NVRM: _kgspRpcRecvPoll: GSP RM heartbeat timed out',
      opts,
    )!;
    expect(a.kind).toBe('gsp-timeout');
    const b = parseKernelLine(
      'NVRM: GPU1 _kgspRpcRecvPoll: Timeout waiting for RPC from GPU1 GSP! Expected function 10 (FREE) (0x0 0x0).',
      opts,
    )!;
    expect(b).toMatchObject({ kind: 'gsp-timeout', detail: { gpuInstance: 1 } });
    // The Xid 119 form stays an Xid.
    const c = parseKernelLine(
      'NVRM: Xid (PCI:0000:3b:00): 119, pid=1, name=x, Timeout waiting for RPC from GPU0 GSP!',
      opts,
    )!;
    expect(c).toMatchObject({ kind: 'xid', code: '119' });
    // A call-trace frame naming the function is not a timeout.
    expect(parseKernelLine('[ 1.0]  _kgspRpcRecvPoll+0x12/0x40 [nvidia]', opts)).toBeUndefined();
  });

  it('PCIe AER: corrected (real lines, three kernel generations), non-fatal and fatal', () => {
    const corrected = [
      '[53409.891809] nvme 0000:02:00.0: PCIe Bus Error: severity=Corrected, type=Physical Layer, (Receiver ID)',
      'pcieport 0000:00:1c.5: AER: PCIe Bus Error: severity=Corrected, type=Physical Layer, (Transmitter ID)',
      '[  283.805260] pcieport 0000:00:1d.0: PCIe Bus Error: severity=Corrected, type=Physical Layer, id=00e8(Receiver ID)',
    ].map((l) => parseKernelLine(l, opts)!);
    expect(
      corrected.map((s) => [s.kind, s.pci, s.code, s.detail?.driver, s.detail?.agent]),
    ).toEqual([
      ['pcie-aer', '0000:02:00', 'corrected', 'nvme', 'Receiver ID'],
      ['pcie-aer', '0000:00:1c', 'corrected', 'pcieport', 'Transmitter ID'],
      ['pcie-aer', '0000:00:1d', 'corrected', 'pcieport', 'Receiver ID'],
    ]);
    // aer_print_error's format with the GPU's driver (drivers/pci/pcie/aer.c).
    const nonfatal = parseKernelLine(
      'nvidia 0000:3b:00.0: AER: PCIe Bus Error: severity=Uncorrected (Non-Fatal), type=Transaction Layer, (Requester ID)',
      opts,
    )!;
    expect(nonfatal).toMatchObject({
      pci: '0000:3b:00',
      code: 'nonfatal',
      detail: { aerType: 'Transaction Layer' },
    });
    const fatal = parseKernelLine(
      'nvidia 0000:3b:00.0: PCIe Bus Error: severity=Uncorrected (Fatal), type=Transaction Layer, (Receiver ID)',
      opts,
    )!;
    expect(fatal.code).toBe('fatal');
    // The status lines after it, and a bandwidth notice, are no signal.
    for (const l of [
      'nvidia 0000:3b:00.0: AER:   device [10de:20b0] error status/mask=00000001/0000a000',
      'pcieport 0000:00:1d.0: AER: Corrected error received: 0000:02:00.0',
      '<6>[    2.608284] mlx5_core 0000:41:00.1: 63.008 Gb/s available PCIe bandwidth (8.0 GT/s PCIe x8 link)',
    ]) {
      expect(parseKernelLine(l, opts)).toBeUndefined();
    }
  });

  it('Ascend driver errors: module, function and device id (Ascend FAQ slog example)', () => {
    const line =
      '[EVENT] KERNEL(4128,sklogd):2024-01-22-05:03:02.259.649 [klogd.c:253][2572550.901383] [ascend] [ERROR] [devmm] [devmm_svm_device_fault 438] <kworker/u16:186:9871,9871> Vm fault failed. (hostpid=1885445; devid=0; vfid=0; ret=64; fault_addr=0x1240f1fa0000; start=0x1240f1fa0000)';
    const s = parseKernelLine(line, opts)!;
    expect(s).toMatchObject({
      kind: 'ascend-driver',
      code: 'devmm',
      detail: { module: 'devmm', function: 'devmm_svm_device_fault', deviceId: 0 },
    });
    expect(s.ts).toBe(new Date(2024, 0, 22, 5, 3, 2, 259).getTime());
    const hdc = parseKernelLine(
      '[ 1234.5] [ascend] [ERROR] [hdc] [hdc_session_connect 812] <python:77,77> connect failed. (dev_id=3; ret=-110)',
      opts,
    )!;
    expect(hdc).toMatchObject({ code: 'hdc', detail: { deviceId: 3 } });
    // Not an error level: no signal.
    expect(parseKernelLine('[ascend] [devmm] [devmm_init 10] init ok', opts)).toBeUndefined();
  });
});

describe('normalizePci: one form for nvidia-smi, NVRM, npu-smi and lspci', () => {
  it.each([
    ['00000000:3B:00.0', '0000:3b:00'],
    ['0000:3b:00', '0000:3b:00'],
    ['0000:C1:00.0', '0000:c1:00'],
    ['0009:01:00', '0009:01:00'],
    ['3b:00.0', '0000:3b:00'],
    ['PCI:0000:3b:00', '0000:3b:00'],
    ['10000:01:00.0', '10000:01:00'],
  ])('%s → %s', (input, expected) => {
    expect(normalizePci(input)).toBe(expected);
  });
  it.each(['', 'GPU-1234', '3b:00:00:00', 'zz:00.0', '0000:3b'])(
    '%j is not an address',
    (input) => {
      expect(normalizePci(input)).toBeUndefined();
    },
  );
});

describe('hostile input never throws', () => {
  const opts = { now: NOW, bootTimeMs: BOOT };
  it('HTML in a process name stays text', () => {
    const s = parseKernelLine(
      'NVRM: Xid (PCI:0000:3b:00): 13, pid=1, name=<script>alert(1)</script>, Graphics Exception',
      opts,
    )!;
    expect(s.detail?.process).toBe('<script>alert(1)</script>');
  });

  it('1 MB lines: plain, an Xid followed by a megabyte, and inner whitespace runs, each < 100 ms', () => {
    const lines = [
      'A'.repeat(1 << 20),
      `NVRM: Xid (PCI:0000:3b:00): 13, pid=1, name=x, ${'B'.repeat(1 << 20)}`,
      `x${' '.repeat(1 << 20)}y`,
      `[${' '.repeat(1 << 20)}`,
      `NVRM: The NVIDIA GPU 0000:b3:00.0 ${'\n '.repeat(1 << 19)}`,
      `{"MESSAGE":"${'C'.repeat(1 << 20)}"}`,
    ];
    for (const line of lines) {
      const t = performance.now();
      const s = parseKernelLine(line, opts);
      expect(performance.now() - t).toBeLessThan(100);
      if (s) {
        expect(s.evidence[0]!.text.length).toBeLessThanOrEqual(1024);
        for (const v of Object.values(s.detail ?? {})) {
          if (typeof v === 'string') expect(v.length).toBeLessThanOrEqual(256);
        }
      }
    }
    expect(parseKernelLine(lines[1]!, opts)?.code).toBe('13');
  });

  it('garbage, control bytes, broken JSON and non-strings give undefined', () => {
    const junk: unknown[] = [
      '',
      '\u0000\u0001\u0002',
      '[',
      '{',
      '{"MESSAGE": 5}',
      '[]',
      'null',
      '6,1,2',
      '99999999999999999999999,1,1,-;NVRM: Xid',
      'NVRM: Xid (PCI:zzzz:3b:00): 79, x',
      'NVRM: Xid (PCI:0000:3b:00): notanumber, x',
      '\uFFFD'.repeat(10_000),
      undefined,
      null,
      42,
    ];
    for (const j of junk) expect(parseKernelLine(j as string, opts)).toBeUndefined();
  });

  it('random bytes: 2,000 lines of them never throw', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32;
    const pieces = [
      'NVRM: Xid (PCI:',
      '0000:3b:00',
      '): ',
      '79',
      ', pid=',
      'name=',
      '[',
      ']',
      '\\x0a',
      ' ',
      ',',
      ';',
      'SXid',
      'PCIe Bus Error: severity=',
      '[ascend] [ERROR] [',
      '{',
      '"MESSAGE":',
    ];
    for (let i = 0; i < 2000; i++) {
      let line = '';
      const n = Math.floor(rand() * 12);
      for (let k = 0; k < n; k++) {
        line +=
          rand() < 0.5
            ? pieces[Math.floor(rand() * pieces.length)]
            : String.fromCharCode(Math.floor(rand() * 0xffff));
      }
      expect(() => parseKernelLine(line, opts)).not.toThrow();
    }
  });
});
