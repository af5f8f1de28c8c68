/**
 * `npu-smi info` → devices and canonical samples. One device per chip: an A2 card is one chip, an
 * A3 card two, a 310P Duo card two (the NPU id repeats on each chip's first line). Device memory is
 * HBM where the chip has it; 310/310P have no HBM column and report DDR as `Memory-Usage(MB)`, which
 * the catalog then counts as device memory. MB in npu-smi are MiB (65536 MB = 64 GiB HBM).
 */
import { absentSample, deviceKey, okSample } from '../../core/model.js';
import type { DeviceInfo, Sample } from '../../core/model.js';
import { cellSample, errorCell, MIB, type Pair, type ParseProblem } from './cells.js';
import { healthSample } from './health.js';
import { readInfoRows, type ChipRow, type ProcessRow } from './infoRows.js';

export type { ChipRow, ProcessRow } from './infoRows.js';

/** One chip of the table: which device it became and what its health cell said. */
export interface TableChip {
  /** DeviceInfo.id */
  id: string;
  npuId: number;
  chip: number;
  name: string;
  /** The health word as printed (`OK`, `Warning`, …; empty when the row lost it). */
  health: string;
  line: number;
}

export interface InfoTable {
  /** Driver version from the table's header line. */
  version?: string;
  devices: DeviceInfo[];
  samples: Sample[];
  chips: TableChip[];
  processes: ProcessRow[];
  problems: ParseProblem[];
}

/** Parses one `npu-smi info` output; never throws, whatever the text. */
export function parseInfoTable(text: string): InfoTable {
  const rows = readInfoRows(text);
  const problems = [...rows.problems];
  const devices: DeviceInfo[] = [];
  const samples: Sample[] = [];
  const chips: TableChip[] = [];
  const ids = new Map<string, string>();
  const perNpu = countBy(rows.chips.map((c) => c.npuId));
  const seenOfNpu = new Map<number, number>();
  for (const row of rows.chips) {
    const ordinal = seenOfNpu.get(row.npuId) ?? 0;
    seenOfNpu.set(row.npuId, ordinal + 1);
    const chip = row.chip ?? ordinal;
    const multi = (perNpu.get(row.npuId) ?? 0) > 1;
    const key = `${row.npuId}:${chip}`;
    if (ids.has(key)) {
      problems.push({ line: row.line, message: `NPU ${row.npuId} chip ${chip} listed twice` });
      continue;
    }
    const device = toDevice(row, multi ? chip : undefined, rows.version);
    ids.set(key, device.id);
    devices.push(device);
    chips.push({
      id: device.id,
      npuId: row.npuId,
      chip,
      name: device.name,
      health: row.health,
      line: row.line,
    });
    samples.push(...chipSamples(row, device.id));
  }
  for (const p of rows.processes) {
    const d = ids.get(`${p.npuId}:${p.chip}`);
    if (d === undefined) {
      problems.push({
        line: p.line,
        message: `process ${p.pid} on unknown NPU ${p.npuId} chip ${p.chip}`,
      });
      continue;
    }
    const l = { pid: p.pid.slice(0, 256), process: p.name.slice(0, 256) };
    samples.push(cellSample('process.device.memory.used', p.memory, MIB, { d, l }));
  }
  problems.sort((a, b) => a.line - b.line);
  const out: InfoTable = { devices, samples, chips, processes: rows.processes, problems };
  if (rows.version !== undefined) out.version = rows.version;
  return out;
}

function toDevice(row: ChipRow, chip: number | undefined, driver: string | undefined): DeviceInfo {
  const base = {
    vendor: 'ascend' as const,
    index: row.npuId,
    ...(chip === undefined ? {} : { chip }),
  };
  const device: DeviceInfo = { id: deviceKey(base), ...base, name: row.name || 'Ascend NPU' };
  if (driver !== undefined) device.driver = driver;
  if (row.busId !== undefined) device.pciBusId = row.busId;
  const memory = deviceMemory(row);
  if (memory?.total.v != null && memory.total.v > 0) device.memoryTotalBytes = memory.total.v * MIB;
  return device;
}

/** HBM when the chip has some, else DDR (310/310P); neither when both read 0 / 0 or are absent. */
function deviceMemory(row: ChipRow): Pair | undefined {
  for (const pair of [row.hbm, row.ddr]) if (pair && (pair.total.v ?? 0) > 0) return pair;
  return row.hbm ?? row.ddr;
}

function chipSamples(row: ChipRow, d: string): Sample[] {
  const memory = deviceMemory(row) ?? { used: errorCell(), total: errorCell() };
  const out = [
    healthSample(row.health, d),
    cellSample('device.power', row.power, 1, { d }),
    cellSample('device.temperature', row.temp, 1, { d }),
    cellSample('device.utilization', row.aicore, 1, { d }),
  ];
  if (memory.total.v === 0) {
    // A 0 MB capacity means "no such memory here", not an empty memory.
    const raw = '0 / 0';
    for (const m of ['device.memory.used', 'device.memory.total', 'device.memory.usage']) {
      out.push(absentSample(m, 'unsupported', raw, { d }));
    }
    return out;
  }
  out.push(cellSample('device.memory.used', memory.used, MIB, { d }));
  out.push(cellSample('device.memory.total', memory.total, MIB, { d }));
  const { used, total } = memory;
  if (used.v !== null && total.v !== null) {
    out.push(okSample('device.memory.usage', (used.v / total.v) * 100, { d }));
  } else {
    out.push(cellSample('device.memory.usage', used.v === null ? used : total, 1, { d }));
  }
  return out;
}

function countBy(values: readonly number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return counts;
}
