import { describe, expect, it } from 'vitest';

import type { Diagnosis } from '../core/diagnosis/types.js';
import {
  codeLabel,
  diagnosesJson,
  formatDiagnosis,
  formatReport,
  groupIncidents,
  summaryLine,
  wrap,
  type InputSummary,
} from './diagnoseFormat.js';

const LINE79 =
  "[6781741.548779] NVRM: Xid (PCI:0000:91:00): 79, pid='<unknown>', name=<unknown>, GPU has " +
  'fallen off the bus.';

/** Diagnoses written out by hand for the formatter (the engine's are tested with the engine). */
function diagnosis(over: Partial<Diagnosis>): Diagnosis {
  return {
    id: 'gpu-0/xid/79',
    incident: 'inc-1',
    ts: Date.UTC(2025, 0, 21, 4, 41, 44),
    lastTs: Date.UTC(2025, 0, 21, 4, 41, 44),
    count: 1,
    device: 'GPU-b6c3b2be-c55b-d076-fa0e-d464e4c7e08b',
    deviceLabel: 'GPU 0 (NVIDIA H100 80GB HBM3)',
    kind: 'xid',
    code: '79',
    severity: 'critical',
    title: 'GPU 0 fell off the PCIe bus',
    cause: 'The GPU stopped answering on the PCIe bus (power, thermal or hardware fault).',
    impact: 'GPU unusable until the node is rebooted',
    action: {
      bucket: 'reboot-node',
      summary: 'Drain the node and reboot it',
      steps: ['Drain the node of its work', 'Reboot the node', 'If it recurs, contact the vendor'],
    },
    ref: { catalog: 'nvsentinel-xid', id: '79', name: 'ROBUST_CHANNEL_GPU_HAS_FALLEN_OFF_THE_BUS' },
    evidence: [{ ts: Date.UTC(2025, 0, 21, 4, 41, 44, 283), text: LINE79, source: 'kmsg' }],
    ...over,
  };
}

const KMSG: InputSummary = { kind: 'kmsg', path: 'dmesg.log', lines: 13 };
const plain = { width: 100, color: false };

describe('diagnose output', () => {
  it('says "no faults found in N lines" when nothing was diagnosed', () => {
    expect(summaryLine({ diagnoses: [], inputs: [KMSG] })).toBe('no faults found in 13 lines');
    expect(
      summaryLine({
        diagnoses: [],
        inputs: [KMSG, { kind: 'nvidia-smi', path: 'smi.csv', lines: 2, devices: 1 }],
      }),
    ).toBe('no faults found in 15 lines (13 lines of dmesg.log, 2 of smi.csv)');
    expect(formatReport({ diagnoses: [], inputs: [KMSG] }, plain)).toBe(
      'no faults found in 13 lines\n',
    );
  });

  it('names each code in the console’s words (core diagnosis/words.ts)', () => {
    expect(codeLabel({ kind: 'xid', code: '79' })).toBe('Xid 79');
    expect(codeLabel({ kind: 'sxid', code: '20034' })).toBe('NVSwitch SXid 20034');
    expect(codeLabel({ kind: 'npu-fault', code: '0x80E24E00' })).toBe('fault code 0x80E24E00');
    expect(codeLabel({ kind: 'remap', code: 'pending' })).toBe('row remapping: pending');
    expect(codeLabel({ kind: 'fallen-off-bus' })).toBe('fallen off the bus');
    expect(codeLabel({ kind: 'npu-health', code: 'health' })).toBe('NPU health');
    expect(codeLabel({ kind: 'ecc', code: 'uncorrected.volatile' })).toBe(
      'ECC: uncorrected.volatile',
    );
  });

  it('prints severity word, device, code, time, what happened, cause, impact, action, steps, catalog and evidence', () => {
    const text = formatDiagnosis(diagnosis({}), plain).join('\n');
    expect(text).toBe(
      [
        'CRITICAL · GPU 0 (NVIDIA H100 80GB HBM3) · Xid 79 · 2025-01-21 04:41:44 UTC',
        '  What happened  GPU 0 fell off the PCIe bus',
        '  Cause          The GPU stopped answering on the PCIe bus (power, thermal or hardware fault).',
        '  Impact         GPU unusable until the node is rebooted',
        '  Action         Drain the node and reboot it (Reboot the node)',
        '  Steps          1. Drain the node of its work',
        '                 2. Reboot the node',
        '                 3. If it recurs, contact the vendor',
        '  Catalog        NVSentinel Xid catalog · 79 · ROBUST_CHANNEL_GPU_HAS_FALLEN_OFF_THE_BUS',
        "  Evidence       [6781741.548779] NVRM: Xid (PCI:0000:91:00): 79, pid='<unknown>', name=<unknown>,",
        '                   GPU has fallen off the bus.',
      ].join('\n'),
    );
  });

  it('fits every line in 100 columns, and in 60 when the terminal is that narrow', () => {
    const long = diagnosis({
      evidence: [{ ts: null, text: 'x'.repeat(250), source: 'kmsg' }],
      cause: 'word '.repeat(60),
    });
    for (const width of [100, 60]) {
      const lines = formatReport({ diagnoses: [long], inputs: [KMSG] }, { width, color: false })
        .trimEnd()
        .split('\n');
      expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(width);
    }
  });

  it('leaves out the time when no evidence line had one (an uptime stamp is not a date)', () => {
    const d = diagnosis({ evidence: [{ ts: null, text: LINE79, source: 'kmsg' }] });
    expect(formatDiagnosis(d, plain)[0]).toBe('CRITICAL · GPU 0 (NVIDIA H100 80GB HBM3) · Xid 79');
  });

  it('counts a storm and shows the first evidence lines only', () => {
    const evidence = Array.from({ length: 10 }, (_, i) => ({
      ts: Date.UTC(2025, 0, 21, 4, 41, 44) + i,
      text: `line ${i}`,
      source: 'kmsg',
    }));
    const d = diagnosis({
      count: 1200,
      lastTs: Date.UTC(2025, 0, 21, 4, 43, 0),
      evidence,
      kind: 'xid',
      code: '13',
    });
    const text = formatDiagnosis(d, plain).join('\n');
    expect(text).toContain('  How often      seen 1,200 times from 04:41:44 to 04:43:00');
    expect(text).toContain('line 5');
    expect(text).not.toContain('line 6');
    expect(text).toContain('… 1,194 more lines like these (4 of them in --json)');
  });

  it('prints correlated diagnoses as one incident, in time order, with one heading', () => {
    const t = Date.UTC(2025, 0, 21, 4, 41, 44);
    const ds = [
      diagnosis({ id: 'b', code: '45', severity: 'warning', ts: t + 1000, title: 'Xid 45' }),
      diagnosis({ id: 'a', code: '79', ts: t }),
      diagnosis({ id: 'c', code: '43', severity: 'warning', ts: t + 2000, title: 'Xid 43' }),
      diagnosis({ id: 'd', incident: 'inc-2', code: '13', severity: 'warning', ts: t - 5000 }),
    ];
    const incidents = groupIncidents(ds);
    expect(incidents.map((i) => i.diagnoses.map((d) => d.code))).toEqual([
      ['79', '45', '43'],
      ['13'],
    ]);
    expect(incidents[0]!.severity).toBe('critical');
    const text = formatReport({ diagnoses: ds, inputs: [KMSG] }, plain);
    expect(text.split('\n')[0]).toBe(
      '4 diagnoses in 2 incidents (1 critical, 3 warning) from 13 lines of dmesg.log',
    );
    expect(text).toContain(
      'Incident 1 of 2 · GPU 0 (NVIDIA H100 80GB HBM3) · critical · Xid 79, then Xid 45, then Xid 43',
    );
    expect(text.indexOf('· Xid 79 ·')).toBeLessThan(text.indexOf('· Xid 45 ·'));
    expect(text.indexOf('· Xid 45 ·')).toBeLessThan(text.indexOf('· Xid 43 ·'));
    expect(text).not.toContain('Incident 2');
  });

  it('colours only the severity word and the title, and only when asked', () => {
    const plainText = formatReport({ diagnoses: [diagnosis({})], inputs: [KMSG] }, plain);
    expect(plainText).not.toContain('\u001b[');
    const coloured = formatReport(
      { diagnoses: [diagnosis({})], inputs: [KMSG] },
      { width: 100, color: true },
    );
    expect(coloured).toContain('\u001b[1;31mCRITICAL\u001b[0m');
    expect(
      coloured
        .split('\u001b[1;31m')
        .join('')
        .split('\u001b[1m')
        .join('')
        .split('\u001b[0m')
        .join(''),
    ).toBe(plainText);
  });

  it('--json is the Diagnosis type in time order with keys in a fixed order', () => {
    const t = Date.UTC(2025, 0, 21);
    const a = diagnosis({ id: 'a', ts: t + 5, node: 'n1' });
    const b = diagnosis({ id: 'b', ts: t });
    // The same values built in another key order print the same bytes.
    const reordered = Object.fromEntries(Object.entries(a).reverse()) as unknown as Diagnosis;
    expect(diagnosesJson([a, b])).toBe(diagnosesJson([b, reordered]));
    const parsed = JSON.parse(diagnosesJson([a, b])) as Diagnosis[];
    expect(parsed.map((d) => d.id)).toEqual(['b', 'a']);
    expect(Object.keys(parsed[1]!)).toEqual([
      'id',
      'incident',
      'ts',
      'lastTs',
      'count',
      'node',
      'device',
      'deviceLabel',
      'kind',
      'code',
      'severity',
      'title',
      'cause',
      'impact',
      'action',
      'ref',
      'evidence',
    ]);
    expect(parsed[1]).toEqual(a);
    expect(diagnosesJson([])).toBe('[]\n');
  });

  it('wraps at spaces, and cuts words longer than the line', () => {
    expect(wrap('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(wrap('x'.repeat(10), 4)).toEqual(['xxxx', 'xxxx', 'xx']);
    expect(wrap('run `nvidia-smi -r -i 3` now', 22)).toEqual([
      'run',
      '`nvidia-smi -r -i 3`',
      'now',
    ]);
    expect(wrap('see `a b`, then `c d`.', 30)).toEqual(['see `a b`, then `c d`.']);
    expect(wrap('', 10)).toEqual(['']);
  });
});
