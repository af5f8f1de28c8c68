import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { parseCsv } from './csv.js';
import { queryArgs } from './detect.js';
import { allHealthNames, HEALTH_FIELDS } from './healthFields.js';
import { normalizeBusId, readHealthRow, type HealthRow } from './healthRow.js';
import { healthSignals, linkUnderLoad } from './healthSignals.js';
import { createNvidiaReplayRunner } from './NvidiaReplayRunner.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const H100_LOAD = 'linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__load__query-gpu.csv';
const H100_FAULTS = 'derived__h100-load__faults__query-gpu.csv';
const RTX2080_IDLE = 'linux-x86_64__nvidia-geforce-rtx-2080-super__595.71.05__idle__query-gpu.csv';
const RTX2080_LOAD = 'linux-x86_64__nvidia-geforce-rtx-2080-super__595.71.05__load__query-gpu.csv';
const RTX2080_GEN1 = 'derived__rtx-2080-super-load__gen1__query-gpu.csv';
const RTX4080_IDLE = 'linux-x86_64__nvidia-geforce-rtx-4080-super__595.71.05__idle__query-gpu.csv';
const L40S_LOAD = 'linux-x86_64__nvidia-l40s__595.80__load__query-gpu.csv';
const UUID = 'GPU-00000000-0000-0000-0000-000000000000';

/** The health query's row for a capture, as nvidia-smi would answer it (via the replay runner). */
async function healthRow(file: string): Promise<HealthRow> {
  const names = allHealthNames();
  const res = await createNvidiaReplayRunner(fixture(file)).run('nvidia-smi', queryArgs(names));
  expect(res.code).toBe(0);
  const table = parseCsv(res.stdout, { columns: names });
  const chosen = new Map(HEALTH_FIELDS.map((h) => [h.key, h.names[0]]));
  const read = readHealthRow(table.rows[0]!.cells, names, chosen, 'test');
  if (!read.ok) throw new Error(read.problem);
  return read.row;
}

describe('readHealthRow on real captures', () => {
  it('H100 590.48.01 under load: remap counts, ECC enabled with zero counts, PCIe gen 5 x16, 700 W cap', async () => {
    const row = await healthRow(H100_LOAD);
    const v = (k: string): number | undefined => row.values.get(k)?.v;
    expect(row.id).toBe(UUID);
    expect(row.index).toBe(0);
    expect(row.pci).toBe('0000:00:09');
    expect([v('remap.correctable'), v('remap.uncorrectable')]).toEqual([0, 0]);
    expect([v('remap.pending'), v('remap.failure')]).toEqual([0, 0]);
    expect(row.values.get('remap.pending')?.raw).toBe('No');
    expect(v('remap.histogram.none')).toBe(0);
    expect(v('ecc.mode')).toBe(1);
    expect(v('ecc.uncorrected.volatile')).toBe(0);
    expect(v('ecc.corrected.aggregate')).toBe(0);
    expect([v('pcie.gen'), v('pcie.gen.max'), v('pcie.width'), v('pcie.width.max')]).toEqual([
      5, 5, 16, 16,
    ]);
    expect([v('power.limit'), v('power.default')]).toEqual([700, 700]);
    expect(v('persistence')).toBe(1);
    expect(v('throttle')).toBe(0);
    expect(v('throttle.us.sw_power_cap')).toBe(0);
    expect([v('util'), v('pstate')]).toEqual([100, 0]);
  });

  it('H100: retired pages print [N/A] (Hopper remaps rows): absent as unsupported, never 0', async () => {
    const row = await healthRow(H100_LOAD);
    for (const key of ['retired.sbe', 'retired.dbe', 'retired.pending']) {
      expect(row.values.get(key)).toEqual({
        name: HEALTH_FIELDS.find((h) => h.key === key)!.names[0],
        raw: '[N/A]',
        status: 'unsupported',
      });
    }
  });

  it('RTX 2080 SUPER idle: ECC and remap [N/A], gen 1 of 3 at P8 and 0 %, persistence Disabled, sw power cap counter 212553937 us', async () => {
    const row = await healthRow(RTX2080_IDLE);
    const v = (k: string): number | undefined => row.values.get(k)?.v;
    expect(row.pci).toBe('0000:0c:00');
    expect(row.values.get('ecc.uncorrected.volatile')?.status).toBe('unsupported');
    expect(row.values.get('remap.pending')?.status).toBe('unsupported');
    expect([v('pcie.gen'), v('pcie.gen.max'), v('util'), v('pstate')]).toEqual([1, 3, 0, 8]);
    expect(v('persistence')).toBe(0);
    expect(v('throttle')).toBe(0x4);
    expect(v('throttle.us.sw_power_cap')).toBe(212553937);
    expect([v('power.limit'), v('power.default')]).toEqual([250, 250]);
  });

  it('L40S 595.80 under load: histogram none 0, ECC aggregate 0, persistence Disabled', async () => {
    const row = await healthRow(L40S_LOAD);
    expect(row.values.get('remap.histogram.none')?.v).toBe(0);
    expect(row.values.get('ecc.uncorrected.aggregate')?.v).toBe(0);
    expect(row.values.get('persistence')?.raw).toBe('Disabled');
    expect(row.values.get('throttle.us.sw_power_cap')?.v).toBe(204642816);
  });

  it('normalizeBusId: 8-digit and 4-digit domains, upper case, no function', () => {
    expect(normalizeBusId('00000000:0C:00.0')).toBe('0000:0c:00');
    expect(normalizeBusId('0000:3B:00.0')).toBe('0000:3b:00');
    expect(normalizeBusId('3b:00.0')).toBe('0000:3b:00');
    expect(normalizeBusId('[N/A]')).toBeUndefined();
  });
});

describe('healthSignals', () => {
  const T0 = 1_700_000_000_000;

  it('a healthy H100 under load, read twice, gives no signal', async () => {
    const row = await healthRow(H100_LOAD);
    expect(healthSignals({ row, t: T0 }, undefined)).toEqual([]);
    expect(healthSignals({ row, t: T0 + 30_000 }, { row, t: T0 })).toEqual([]);
  });

  it('H100 then its edited row: ECC rise 0→2, remap pending, uncorrectable remap, width x8 of x16, cap 500 W of 700 W', async () => {
    const before = await healthRow(H100_LOAD);
    const after = await healthRow(H100_FAULTS);
    const signals = healthSignals({ row: after, t: T0 + 30_000 }, { row: before, t: T0 });
    const by = (kind: string, code: string) =>
      signals.find((s) => s.kind === kind && s.code === code);
    expect(signals.map((s) => `${s.kind}/${s.code}`).sort()).toEqual([
      'ecc/uncorrected.aggregate',
      'ecc/uncorrected.volatile',
      'pcie-link/width',
      'power/cap-below-default',
      'remap/pending',
      'remap/uncorrectable',
    ]);
    expect(by('ecc', 'uncorrected.volatile')).toMatchObject({
      device: UUID,
      pci: '0000:00:09',
      ts: T0 + 30_000,
      value: 2,
      detail: { previous: 0, delta: 2 },
      evidence: [
        {
          ts: T0 + 30_000,
          source: 'nvidia-smi',
          text: 'GPU 0 (00000000:00:09.0): ecc.errors.uncorrected.volatile.total = 2',
        },
      ],
    });
    expect(by('remap', 'pending')).toMatchObject({ value: 1 });
    expect(by('remap', 'pending')!.evidence[0]!.text).toBe(
      'GPU 0 (00000000:00:09.0): remapped_rows.pending = Yes',
    );
    expect(by('remap', 'uncorrectable')).toMatchObject({ value: 1, detail: { previous: 0 } });
    expect(by('pcie-link', 'width')).toMatchObject({ value: 8, limit: 16 });
    expect(by('pcie-link', 'width')!.evidence[0]!.text).toBe(
      'GPU 0 (00000000:00:09.0): pcie.link.width.current = 8, pcie.link.width.max = 16',
    );
    expect(by('power', 'cap-below-default')).toMatchObject({ value: 500, limit: 700 });
  });

  it('the edited H100 row read again: nothing new (states already told, counts unchanged)', async () => {
    const after = await healthRow(H100_FAULTS);
    const t = T0 + 60_000;
    expect(healthSignals({ row: after, t }, { row: after, t: T0 + 30_000 })).toEqual([]);
  });

  it('first read of the edited H100 row: the abnormal states and non-zero counts, without a previous', async () => {
    const after = await healthRow(H100_FAULTS);
    const signals = healthSignals({ row: after, t: T0 }, undefined);
    expect(signals.find((s) => s.code === 'uncorrected.volatile')).toMatchObject({ value: 2 });
    expect(signals.find((s) => s.code === 'uncorrected.volatile')!.detail).toBeUndefined();
    expect(signals).toHaveLength(6);
  });

  it('a volatile count that fell (reset, reboot) is no signal', async () => {
    const before = await healthRow(H100_FAULTS);
    const after = await healthRow(H100_LOAD);
    const signals = healthSignals({ row: after, t: T0 + 30_000 }, { row: before, t: T0 });
    expect(signals.filter((s) => s.kind === 'ecc' || s.code === 'uncorrectable')).toEqual([]);
  });

  it('RTX 2080 SUPER idle at gen 1 of 3 (P8, 0 %) is power saving, not a fault', async () => {
    const idle = await healthRow(RTX2080_IDLE);
    expect(linkUnderLoad(idle)).toBe(false);
    const signals = healthSignals({ row: idle, t: T0 }, undefined);
    expect(signals.filter((s) => s.kind === 'pcie-link')).toEqual([]);
  });

  it('RTX 2080 SUPER under load (P2, 8 %) at gen 1 of 3 is a link trained down', async () => {
    const row = await healthRow(RTX2080_GEN1);
    expect(linkUnderLoad(row)).toBe(true);
    const gen = healthSignals({ row, t: T0 }, undefined).filter((s) => s.kind === 'pcie-link');
    expect(gen).toEqual([
      {
        kind: 'pcie-link',
        code: 'gen',
        ts: T0,
        device: UUID,
        pci: '0000:0c:00',
        value: 1,
        limit: 3,
        detail: { utilization: 8, pstate: 2 },
        evidence: [
          {
            ts: T0,
            source: 'nvidia-smi',
            text: 'GPU 0 (00000000:0C:00.0): pcie.link.gen.gpucurrent = 1, pcie.link.gen.max = 3, utilization.gpu = 8, pstate = P2',
          },
        ],
      },
    ]);
  });

  it('RTX 2080 SUPER idle → load: sw power cap counter 212553937 → 221310321 us is 8.756384 s of 30 s', async () => {
    const idle = await healthRow(RTX2080_IDLE);
    const load = await healthRow(RTX2080_LOAD);
    const signals = healthSignals({ row: load, t: T0 + 30_000 }, { row: idle, t: T0 });
    const throttle = signals.filter((s) => s.kind === 'throttle');
    expect(throttle).toHaveLength(1);
    expect(throttle[0]).toMatchObject({
      code: 'sw_power_cap',
      limit: 30,
      detail: { counterUs: 221310321 },
    });
    expect(throttle[0]!.value).toBeCloseTo(8.756384, 6);
    expect(throttle[0]!.evidence[0]!.text).toBe(
      'GPU 0 (00000000:0C:00.0): clocks_event_reasons_counters.sw_power_cap = 221310321',
    );
  });

  it('persistence mode Disabled (RTX 2080 SUPER) is told once, on the first read', async () => {
    const idle = await healthRow(RTX2080_IDLE);
    const first = healthSignals({ row: idle, t: T0 }, undefined);
    expect(first.filter((s) => s.kind === 'persistence')).toMatchObject([
      { code: 'disabled', value: 0 },
    ]);
    expect(first.find((s) => s.kind === 'persistence')!.evidence[0]!.text).toBe(
      'GPU 0 (00000000:0C:00.0): persistence_mode = Disabled',
    );
    const again = healthSignals({ row: idle, t: T0 + 30_000 }, { row: idle, t: T0 });
    expect(again.filter((s) => s.kind === 'persistence')).toEqual([]);
  });

  it('without counters the active mask tells the harmful reasons: 4080 idle 0x1 (gpu_idle) gives none', async () => {
    const row = await healthRow(RTX4080_IDLE);
    const values = new Map(row.values);
    for (const key of values.keys()) if (key.startsWith('throttle.us.')) values.delete(key);
    const noCounters = { ...row, values };
    expect(
      healthSignals({ row: noCounters, t: T0 }, undefined).filter((s) => s.kind === 'throttle'),
    ).toEqual([]);
    const idle2080 = await healthRow(RTX2080_IDLE);
    const v2 = new Map(idle2080.values);
    for (const key of v2.keys()) if (key.startsWith('throttle.us.')) v2.delete(key);
    const masked = healthSignals({ row: { ...idle2080, values: v2 }, t: T0 }, undefined);
    expect(masked.filter((s) => s.kind === 'throttle')).toMatchObject([
      { code: 'sw_power_cap', detail: { mask: 4 } },
    ]);
  });
});
