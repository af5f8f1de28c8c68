/**
 * One row of the slow health query → the GPU it names and each field's value, pure. A cell
 * nvidia-smi could not fill (`[N/A]`, `N/A`, `[Not Supported]`, `[Insufficient Permissions]`)
 * stays absent with its token: "not present here", never 0. Words become numbers where the
 * meaning is a flag (`Yes`/`No`, `Enabled`/`Disabled`, `Active`/`Not Active`), hex masks and
 * performance states are read as in the fast stream.
 */
import { deviceKey, type SampleStatus } from '../../core/model.js';
import { parseThrottleMask } from '../../core/throttle.js';
import { parseNumber, parsePstate, readCell } from './csv.js';
import { HEALTH_FIELDS } from './healthFields.js';

/** A field as read: `v` when it holds a value, else `status` (why not); always the text printed. */
export interface HealthValue {
  /** The nvidia-smi name it was asked under. */
  name: string;
  /** The cell as printed, for evidence. */
  raw: string;
  v?: number;
  status?: SampleStatus;
}

export interface HealthRow {
  /** DeviceInfo.id, as the fast stream gives it (UUID, else `nvidia:<index>`). */
  id: string;
  index: number;
  /**
   * `dddd:bb:dd` as types.ts's Signal.pci wants it (the form of Xid lines, `PCI:0000:3b:00`);
   * nvidia-smi prints 8 domain digits and the function: `00000000:0C:00.0`.
   */
  pci?: string;
  values: ReadonlyMap<string, HealthValue>;
}

export type HealthRowResult = { ok: true; row: HealthRow } | { ok: false; problem: string };

const FLAGS: ReadonlyMap<string, number> = new Map([
  ['yes', 1],
  ['no', 0],
  ['enabled', 1],
  ['disabled', 0],
  ['active', 1],
  ['not active', 0],
]);

/**
 * `cells` follow `columns` (the accepted names); `chosen` maps a field key to the name used for
 * it. `where` names the line for messages.
 */
export function readHealthRow(
  cells: readonly string[],
  columns: readonly string[],
  chosen: ReadonlyMap<string, string | undefined>,
  where: string,
): HealthRowResult {
  const values = new Map<string, HealthValue>();
  for (const field of HEALTH_FIELDS) {
    const name = chosen.get(field.key);
    const i = name === undefined ? -1 : columns.indexOf(name);
    if (name === undefined || i < 0) continue;
    values.set(field.key, readValue(name, cells[i] ?? ''));
  }
  const index = values.get('index')?.v;
  if (index === undefined || !Number.isInteger(index) || index < 0) {
    return { ok: false, problem: `${where}: no GPU index; row skipped` };
  }
  const uuid = values.get('uuid');
  const id = deviceKey({
    vendor: 'nvidia',
    index,
    uuid: uuid?.status === undefined && uuid?.raw ? uuid.raw : undefined,
  });
  const row: HealthRow = { id, index, values };
  const bus = values.get('pci');
  if (bus?.status === undefined && bus?.raw) {
    const pci = normalizeBusId(bus.raw);
    if (pci !== undefined) row.pci = pci;
  }
  return { ok: true, row };
}

function readValue(name: string, text: string): HealthValue {
  const cell = readCell(text);
  if (!cell.ok) return { name, raw: cell.raw, status: cell.status };
  const raw = cell.text;
  const v = toNumber(raw);
  return v === undefined ? { name, raw } : { name, raw, v };
}

function toNumber(text: string): number | undefined {
  const flag = FLAGS.get(text.toLowerCase());
  if (flag !== undefined) return flag;
  if (/^0x/i.test(text)) return parseThrottleMask(text);
  if (/^P\d/i.test(text)) return parsePstate(text);
  return parseNumber(text)?.v;
}

/** `00000000:0C:00.0` → `0000:0c:00` (4-digit domain, lower case, no function), or undefined. */
export function normalizeBusId(text: string): string | undefined {
  const m = /^(?:([0-9a-f]{4,8}):)?([0-9a-f]{2}):([0-9a-f]{2})(?:\.[0-7])?$/i.exec(text.trim());
  if (!m) return undefined;
  const domain = (m[1] ?? '0000').slice(-4);
  return `${domain}:${m[2]}:${m[3]}`.toLowerCase();
}
