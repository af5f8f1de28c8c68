/**
 * One `--query-gpu` row → the GPU it describes and its samples, pure. Which column holds which
 * field is the Layout, built from the names the driver accepted (detect.ts).
 */
import { absentSample, deviceKey, okSample } from '../../core/model.js';
import type { DeviceInfo, Sample } from '../../core/model.js';
import { parseThrottleMask } from '../../core/throttle.js';
import { parseNumber, parsePstate, readCell } from './csv.js';
import { MEMORY_USAGE_METRIC, QUERY_FIELDS, type QueryField } from './fields.js';

/** nvidia-smi's own words when it rejects a name; kept as the sample's `raw` for tooltips. */
export const REJECTED_RAW = 'not a valid field to query';

export interface Layout {
  /** The names requested, in column order. */
  columns: readonly string[];
  /** Field key → the name chosen for it; undefined when the driver accepts none of its names. */
  chosen: ReadonlyMap<string, string | undefined>;
}

/** The layout of a request for exactly the chosen names (the long-lived stream's). */
export function makeLayout(chosen: ReadonlyMap<string, string | undefined>): Layout {
  const columns = [...new Set([...chosen.values()].filter((n): n is string => n !== undefined))];
  return { columns, chosen };
}

export interface GpuRow {
  device: DeviceInfo;
  samples: Sample[];
  /** Cells that should have held a number and did not, naming line and column. */
  problems: string[];
}

export type RowResult = { ok: true; row: GpuRow } | { ok: false; problem: string };

const MAX_CELL_CHARS = 256;
const MIB = 1024 * 1024;
const BYTES_PER_UNIT: Readonly<Record<string, number>> = { KiB: 1024, MiB: MIB, GiB: MIB * 1024 };

const WANTED: Readonly<Record<QueryField['kind'], string>> = {
  number: 'is not a number',
  hex: 'is not a hex bitmask',
  pstate: 'is not a performance state (P0–P15)',
  text: 'is not text',
};

interface Located {
  text: string;
  /** 1-based, for messages. */
  column: number;
  name: string;
}

/**
 * The id `readGpuRow` would give the row's GPU (its UUID, else `nvidia:<index>`), without reading
 * the rest: rows of GPUs past the device bound are refused before they cost a parse (a tool
 * inventing UUIDs prints thousands a second). Undefined when the row names no GPU.
 */
export function gpuRowId(row: readonly string[], layout: Layout): string | undefined {
  const cell = (key: string): string | undefined => {
    const name = layout.chosen.get(key);
    const i = name === undefined ? -1 : layout.columns.indexOf(name);
    return i < 0 ? undefined : row[i];
  };
  const uuid = readCell(cell('uuid') ?? '');
  if (uuid.ok && uuid.text !== '') return clipCell(uuid.text);
  const text = cell('index');
  const index = Number(text);
  if (text === undefined || text === '' || !Number.isInteger(index) || index < 0) return undefined;
  return deviceKey({ vendor: 'nvidia', index });
}

function clipCell(c: string): string {
  return c.length > MAX_CELL_CHARS ? c.slice(0, MAX_CELL_CHARS) : c;
}

/**
 * Reads one row whose cells follow `layout.columns` (csv.ts has checked the width). `where` names
 * the line for messages. A row without a usable `index` names no GPU and is rejected as a whole.
 */
export function readGpuRow(row: readonly string[], layout: Layout, where: string): RowResult {
  // Names, ids and raw texts are at most 256 characters on the wire (spec.ts): a longer cell from a
  // garbled tool is cut here, or the console would refuse the whole message.
  const cells = row.map(clipCell);
  const locate = (key: string): Located | undefined => {
    const name = layout.chosen.get(key);
    const i = name === undefined ? -1 : layout.columns.indexOf(name);
    return i < 0 ? undefined : { text: cells[i] ?? '', column: i + 1, name: name! };
  };
  // An empty cell names nothing: names and ids are at least one character on the wire.
  const textOf = (key: string): string | undefined => {
    const found = locate(key);
    const cell = found && readCell(found.text);
    return cell?.ok && cell.text !== '' ? cell.text : undefined;
  };

  const at = locate('index');
  const index = Number(at?.text);
  if (!at || at.text === '' || !Number.isInteger(index) || index < 0) {
    const what = at ? `, column ${at.column} (index): ${JSON.stringify(at.text)}` : ': no index';
    return { ok: false, problem: `${where}${what} is not a GPU index; row skipped` };
  }
  const device: DeviceInfo = {
    id: '',
    vendor: 'nvidia',
    index,
    name: textOf('name') ?? `GPU ${index}`,
  };
  const optional = [
    ['uuid', 'uuid'],
    ['driver', 'driver_version'],
    ['firmware', 'vbios_version'],
    ['pciBusId', 'pci.bus_id'],
  ] as const;
  for (const [prop, key] of optional) {
    const v = textOf(key);
    if (v !== undefined) device[prop] = v;
  }
  device.id = deviceKey(device);

  const problems: string[] = [];
  const samples: Sample[] = [];
  for (const field of QUERY_FIELDS) {
    if (field.metric === undefined) continue;
    const found = locate(field.key);
    if (!found) {
      samples.push(absentSample(field.metric, 'unsupported', REJECTED_RAW, { d: device.id }));
      continue;
    }
    const cell = readCell(found.text);
    if (!cell.ok) {
      samples.push(absentSample(field.metric, cell.status, cell.raw, { d: device.id }));
      continue;
    }
    const v = toNumber(field, cell.text);
    if (v === undefined) {
      samples.push(absentSample(field.metric, 'error', cell.text, { d: device.id }));
      const text = JSON.stringify(cell.text);
      problems.push(
        `${where}, column ${found.column} (${found.name}): ${text} ${WANTED[field.kind]}`,
      );
      continue;
    }
    samples.push(okSample(field.metric, v, { d: device.id }));
    // The wire says memoryTotalBytes ≥ 0; a negative total from a broken driver stays a sample
    // only, or the console would refuse the whole inventory (found by parsers.fuzz.test.ts).
    if (field.metric === 'device.memory.total' && v >= 0) device.memoryTotalBytes = v;
  }
  samples.push(memoryUsage(samples, device.id));
  return { ok: true, row: { device, samples, problems } };
}

function toNumber(field: QueryField, text: string): number | undefined {
  if (field.kind === 'hex') return parseThrottleMask(text);
  if (field.kind === 'pstate') return parsePstate(text);
  const n = parseNumber(text);
  if (n === undefined) return undefined;
  if (!field.mebibytes) return n.v;
  // nounits output is in MiB; a unit, when printed, says so.
  // Own keys only: a unit "constructor" must not find Object.prototype's (it gave NaN).
  const unit = n.unit;
  const perUnit =
    unit === undefined
      ? MIB
      : Object.hasOwn(BYTES_PER_UNIT, unit)
        ? BYTES_PER_UNIT[unit]
        : undefined;
  // 1e308 MiB is no amount of memory: Infinity on the wire would be refused.
  const bytes = perUnit === undefined ? NaN : n.v * perUnit;
  return Number.isFinite(bytes) ? bytes : undefined;
}

/** used / total in percent; absent, with the reason of the part that is missing, otherwise. */
function memoryUsage(samples: readonly Sample[], d: string): Sample {
  const used = samples.find((s) => s.m === 'device.memory.used');
  const total = samples.find((s) => s.m === 'device.memory.total');
  if (used?.v == null)
    return absentSample(MEMORY_USAGE_METRIC, used?.s ?? 'missing', used?.raw, { d });
  if (total?.v == null) {
    return absentSample(MEMORY_USAGE_METRIC, total?.s ?? 'missing', total?.raw, { d });
  }
  if (total.v <= 0) return absentSample(MEMORY_USAGE_METRIC, 'error', 'memory.total is 0', { d });
  const usage = (used.v / total.v) * 100;
  // A denormal total (5e-324 MiB) makes the share Infinity, which the wire refuses.
  if (!Number.isFinite(usage)) {
    return absentSample(MEMORY_USAGE_METRIC, 'error', 'memory.used / memory.total overflows', {
      d,
    });
  }
  return okSample(MEMORY_USAGE_METRIC, usage, { d });
}
