import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import type { Sample } from '../../core/model.js';
import { decodeThrottleReasons } from '../../core/throttle.js';
import { detect } from './detect.js';
import { makeLayout, readGpuRow, REJECTED_RAW, type GpuRow } from './gpuRow.js';
import { createNvidiaReplayRunner } from './NvidiaReplayRunner.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const H100_LOAD = 'linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__load__query-gpu.csv';
const RTX4080_LOAD = 'linux-x86_64__nvidia-geforce-rtx-4080-super__595.71.05__load__query-gpu.csv';
const RTX2080_IDLE = 'linux-x86_64__nvidia-geforce-rtx-2080-super__595.71.05__idle__query-gpu.csv';
const MIB = 1048576;

/** The capture's cells by header name without the unit, as printed (units kept). */
function captureCells(text: string): Map<string, string> {
  const [header, row] = text.trim().split('\n');
  const names = header!.split(', ').map((h) => h.replace(/ \[.*\]$/, ''));
  const values = row!.split(', ');
  return new Map(names.map((n, i) => [n, values[i]!]));
}

/** The capture's number in a cell, unit dropped: "631.95 W" → 631.95. */
const num = (cells: Map<string, string>, name: string): number =>
  Number.parseFloat(cells.get(name)!);

/** The probe's reading of a capture: its first run through the replay, then its first row. */
async function firstRow(name: string): Promise<GpuRow> {
  const found = await detect(createNvidiaReplayRunner(fixture(name)), 1000);
  if (found.state !== 'ok') throw new Error(found.message);
  const result = readGpuRow(found.table.rows[0]!.cells, found.tableLayout, 'test line 1');
  if (!result.ok) throw new Error(result.problem);
  return result.row;
}

const valueOf = (row: GpuRow, m: string): Sample => row.samples.find((s) => s.m === m)!;

describe('readGpuRow on real captures', () => {
  it('H100 under load: every value equals the capture, in catalog units', async () => {
    const text = fixture(H100_LOAD);
    const cells = captureCells(text);
    const row = await firstRow(H100_LOAD);
    const d = cells.get('uuid')!;
    expect(row.device).toEqual({
      id: d,
      vendor: 'nvidia',
      index: 0,
      uuid: d,
      name: 'NVIDIA H100 80GB HBM3',
      driver: '590.48.01',
      firmware: '96.00.A5.00.01',
      pciBusId: '00000000:00:09.0',
      memoryTotalBytes: 81559 * MIB,
    });
    const values = Object.fromEntries(row.samples.map((s) => [s.m, s.v]));
    expect(values).toEqual({
      'device.utilization': num(cells, 'utilization.gpu'),
      'device.memory.bandwidth.utilization': num(cells, 'utilization.memory'),
      'device.memory.used': num(cells, 'memory.used') * MIB,
      'device.memory.total': num(cells, 'memory.total') * MIB,
      'device.memory.usage': (19818 / 81559) * 100,
      'device.temperature': num(cells, 'temperature.gpu'),
      'device.memory.temperature': num(cells, 'temperature.memory'),
      'device.power': num(cells, 'power.draw'),
      'device.power.limit': num(cells, 'enforced.power.limit'),
      'device.clock.sm': num(cells, 'clocks.current.sm'),
      'device.throttle.reasons': 0,
      'device.ecc.uncorrected': 0,
      'device.pcie.link.gen': num(cells, 'pcie.link.gen.gpucurrent'),
      'device.fan': null,
      'device.pstate': 0,
    });
    expect(values['device.utilization']).toBe(100);
    expect(values['device.memory.used']).toBe(19818 * 1048576);
    expect(values['device.power']).toBe(631.95);
    expect(row.samples.every((s) => s.d === d)).toBe(true);
    expect(row.problems).toEqual([]);
  });

  it('keeps a fan the H100 does not have as unsupported with its token, never 0', async () => {
    const row = await firstRow(H100_LOAD);
    expect(valueOf(row, 'device.fan')).toEqual({
      m: 'device.fan',
      v: null,
      s: 'unsupported',
      raw: '[N/A]',
      d: row.device.id,
    });
  });

  it('GeForce RTX 4080: bare N/A memory temperature and [N/A] ECC are unsupported', async () => {
    const cells = captureCells(fixture(RTX4080_LOAD));
    const row = await firstRow(RTX4080_LOAD);
    expect(cells.get('temperature.memory')).toBe('N/A');
    expect(valueOf(row, 'device.memory.temperature')).toMatchObject({
      v: null,
      s: 'unsupported',
      raw: 'N/A',
    });
    expect(valueOf(row, 'device.ecc.uncorrected')).toMatchObject({ v: null, raw: '[N/A]' });
    expect(valueOf(row, 'device.utilization').v).toBe(7);
    expect(valueOf(row, 'device.memory.used').v).toBe(1474 * MIB);
    expect(valueOf(row, 'device.power').v).toBe(84.24);
    expect(valueOf(row, 'device.fan').v).toBe(0);
    expect(valueOf(row, 'device.pstate').v).toBe(2);
  });

  it('GeForce RTX 2080 idle: software power cap in the throttle mask; power from .instant', async () => {
    const cells = captureCells(fixture(RTX2080_IDLE));
    const row = await firstRow(RTX2080_IDLE);
    expect(cells.get('clocks_event_reasons.active')).toBe('0x0000000000000004');
    const mask = valueOf(row, 'device.throttle.reasons').v!;
    expect(decodeThrottleReasons(mask).map((r) => r.id)).toEqual(['sw_power_cap']);
    // Turing has no power.draw.average ([N/A]); the probe falls back to the next name.
    expect(cells.get('power.draw.average')).toBe('[N/A]');
    expect(valueOf(row, 'device.power').v).toBe(num(cells, 'power.draw.instant'));
    expect(valueOf(row, 'device.pstate').v).toBe(8);
  });
});

describe('readGpuRow on damaged rows', () => {
  const layout = makeLayout(
    new Map<string, string | undefined>([
      ['index', 'index'],
      ['uuid', 'uuid'],
      ['memory.used', 'memory.used'],
      ['memory.total', 'memory.total'],
      ['utilization.gpu', 'utilization.gpu'],
      ['throttle', 'clocks_throttle_reasons.active'],
      ['pstate', 'pstate'],
      ['power', undefined],
    ]),
  );

  // Found by parsers.fuzz.test.ts: each of these gave a device or a sample the wire refuses.
  it('keeps a negative, overflowing or prototype-named memory reading off the wire', () => {
    const read = (used: string, total: string) => {
      const result = readGpuRow(['0', 'GPU-a', used, total, '1', '0x1', 'P0'], layout, 'line 1');
      if (!result.ok) throw new Error(result.problem);
      const of = (m: string) => result.row.samples.find((x) => x.m === m)!;
      return {
        total: result.row.device.memoryTotalBytes,
        used: [of('device.memory.used').v, of('device.memory.used').s],
        usage: [of('device.memory.usage').v, of('device.memory.usage').s],
      };
    };
    expect(read('1', '-5e-324').total).toBeUndefined();
    expect(read('1e308', '100').used).toEqual([null, 'error']);
    expect(read('1 constructor', '100').used).toEqual([null, 'error']);
    expect(read('100', '5e-324').usage).toEqual([null, 'error']);
  });

  it('marks a cell that is not a number as an error, naming line, column and field', () => {
    const result = readGpuRow(['0', 'GPU-a', '12x', '100', 'busy', '0x1', 'P0'], layout, 'line 7');
    if (!result.ok) throw new Error(result.problem);
    expect(result.row.problems).toEqual([
      'line 7, column 3 (memory.used): "12x" is not a number',
      'line 7, column 5 (utilization.gpu): "busy" is not a number',
    ]);
    const util = result.row.samples.find((s) => s.m === 'device.utilization');
    expect(util).toMatchObject({ v: null, s: 'error', raw: 'busy' });
    const usage = result.row.samples.find((s) => s.m === 'device.memory.usage');
    expect(usage).toMatchObject({ v: null, s: 'error', raw: '12x' });
  });

  it('reports a field the driver rejected as unsupported, and absence tokens by status', () => {
    const cells = ['0', 'GPU-a', '[Insufficient Permissions]', '100', '[Unknown Error]'];
    const result = readGpuRow(
      [...cells, '0x4', '[Requested functionality has been deprecated]'],
      layout,
      'l',
    );
    if (!result.ok) throw new Error(result.problem);
    const by = (m: string): Sample => result.row.samples.find((s) => s.m === m)!;
    expect(by('device.power')).toMatchObject({ v: null, s: 'unsupported', raw: REJECTED_RAW });
    expect(by('device.memory.used')).toMatchObject({ v: null, s: 'denied' });
    expect(by('device.utilization')).toMatchObject({ v: null, s: 'error', raw: '[Unknown Error]' });
    expect(by('device.pstate')).toMatchObject({ v: null, s: 'deprecated' });
    expect(by('device.throttle.reasons').v).toBe(4);
    expect(result.row.problems).toEqual([]);
    expect(result.row.samples.filter((s) => s.v === 0)).toEqual([]);
  });

  it('rejects a row whose index is not a GPU index', () => {
    const result = readGpuRow(['x', 'GPU-a', '1', '2', '3', '0x0', 'P0'], layout, 'line 3');
    expect(result).toEqual({
      ok: false,
      problem: 'line 3, column 1 (index): "x" is not a GPU index; row skipped',
    });
  });

  it('keys a GPU without a UUID by vendor and index', () => {
    const result = readGpuRow(['2', '[N/A]', '1', '2', '3', '0x0', 'P0'], layout, 'l');
    expect(result.ok && result.row.device.id).toBe('nvidia:2');
  });
});

describe('readGpuRow on garbled cells', () => {
  const layout = {
    columns: ['index', 'uuid', 'name', 'driver_version', 'pci.bus_id'],
    chosen: new Map([
      ['index', 'index'],
      ['uuid', 'uuid'],
      ['name', 'name'],
      ['driver', 'driver_version'],
      ['pciBusId', 'pci.bus_id'],
    ]),
  };

  it('leaves out empty names and ids instead of sending text the protocol refuses', () => {
    const result = readGpuRow(['3', ' ', '', '', ''], layout, 'line 1');
    expect(result.ok && result.row.device).toEqual({
      id: 'nvidia:3',
      vendor: 'nvidia',
      index: 3,
      name: 'GPU 3',
    });
  });

  it('cuts cells longer than 256 characters', () => {
    const long = 'n'.repeat(1000);
    const result = readGpuRow(['0', `GPU-${long}`, long, 'x', 'y'], layout, 'line 1');
    expect(result.ok && result.row.device.name.length).toBe(256);
    expect(result.ok && result.row.device.id.length).toBe(256);
  });
});
