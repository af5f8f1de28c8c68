/**
 * What the probe asks nvidia-smi for (`--query-gpu`), and the canonical metric each field feeds.
 * Field names and aliases are from `nvidia-smi --help-query-gpu` (535.129.03, 590.48.01,
 * 595.71.05). Each field lists its names newest first: a
 * driver that rejects a new name ("Field … is not a valid field to query") falls back to the
 * older one, and a driver that accepts it but prints `[N/A]` (power.draw.average on Turing) also
 * falls back, because the probe keeps the first name that holds a value (see detect.ts).
 */

/** How a cell's text becomes a number. */
export type FieldKind = 'number' | 'hex' | 'pstate' | 'text';

export interface QueryField {
  /** How the probe refers to the field, whichever name the driver accepted. */
  key: string;
  /** nvidia-smi names, preferred first. */
  names: readonly string[];
  kind: FieldKind;
  /** Canonical metric (core/catalog.ts); inventory-only fields have none. */
  metric?: string;
  /** The field counts MiB: multiplied into bytes for the catalog. */
  mebibytes?: boolean;
}

export const QUERY_FIELDS: readonly QueryField[] = [
  { key: 'index', names: ['index'], kind: 'number' },
  { key: 'uuid', names: ['uuid'], kind: 'text' },
  { key: 'name', names: ['name'], kind: 'text' },
  { key: 'pci.bus_id', names: ['pci.bus_id'], kind: 'text' },
  { key: 'driver_version', names: ['driver_version'], kind: 'text' },
  { key: 'vbios_version', names: ['vbios_version'], kind: 'text' },
  {
    key: 'memory.total',
    names: ['memory.total'],
    kind: 'number',
    metric: 'device.memory.total',
    mebibytes: true,
  },
  {
    key: 'memory.used',
    names: ['memory.used'],
    kind: 'number',
    metric: 'device.memory.used',
    mebibytes: true,
  },
  {
    key: 'utilization.gpu',
    names: ['utilization.gpu'],
    kind: 'number',
    metric: 'device.utilization',
  },
  {
    key: 'utilization.memory',
    names: ['utilization.memory'],
    kind: 'number',
    metric: 'device.memory.bandwidth.utilization',
  },
  {
    key: 'temperature.gpu',
    names: ['temperature.gpu'],
    kind: 'number',
    metric: 'device.temperature',
  },
  {
    key: 'temperature.memory',
    names: ['temperature.memory'],
    kind: 'number',
    metric: 'device.memory.temperature',
  },
  {
    // power.draw is the 1 s average on Ampere and newer and instantaneous before; the explicit
    // .average (Ampere+, `[N/A]` on Turing) and .instant names exist from driver 530 on.
    key: 'power',
    names: ['power.draw.average', 'power.draw.instant', 'power.draw'],
    kind: 'number',
    metric: 'device.power',
  },
  {
    key: 'power.limit',
    names: ['enforced.power.limit', 'power.limit'],
    kind: 'number',
    metric: 'device.power.limit',
  },
  { key: 'clocks.sm', names: ['clocks.sm'], kind: 'number', metric: 'device.clock.sm' },
  {
    // Renamed in driver 535; both names are accepted up to at least 610.
    key: 'throttle',
    names: ['clocks_event_reasons.active', 'clocks_throttle_reasons.active'],
    kind: 'hex',
    metric: 'device.throttle.reasons',
  },
  {
    key: 'ecc.uncorrected',
    names: ['ecc.errors.uncorrected.volatile.total'],
    kind: 'number',
    metric: 'device.ecc.uncorrected',
  },
  {
    // pcie.link.gen.current is "Deprecated, use pcie.link.gen.gpucurrent instead" in 535+ help.
    key: 'pcie.link.gen',
    names: ['pcie.link.gen.gpucurrent', 'pcie.link.gen.current'],
    kind: 'number',
    metric: 'device.pcie.link.gen',
  },
  { key: 'fan.speed', names: ['fan.speed'], kind: 'number', metric: 'device.fan' },
  { key: 'pstate', names: ['pstate'], kind: 'pstate', metric: 'device.pstate' },
];

/** The computed share of memory in use (used / total), which no nvidia-smi field gives. */
export const MEMORY_USAGE_METRIC = 'device.memory.usage';

/** The compute-apps query the probe runs, in this column order. */
export const COMPUTE_APPS_FIELDS = ['gpu_uuid', 'pid', 'process_name', 'used_memory'] as const;

/** Every name the probe might request, deduplicated, in field order. */
export function allQueryNames(fields: readonly QueryField[] = QUERY_FIELDS): string[] {
  return [...new Set(fields.flatMap((f) => f.names))];
}

/** The field a name belongs to, or undefined for names the probe never asks for. */
export function fieldOfName(name: string): QueryField | undefined {
  const canonical = canonicalFieldName(name, 'gpu');
  return QUERY_FIELDS.find((f) => f.names.some((n) => canonicalFieldName(n, 'gpu') === canonical));
}

export type QueryKind = 'gpu' | 'compute-apps';

// Two spellings of one field ("a" or "b" in --help-query-gpu / --help-query-compute-apps),
// mapped to the spelling the captures' headers use.
const GPU_ALIASES: ReadonlyMap<string, string> = new Map([
  ['gpu_uuid', 'uuid'],
  ['gpu_name', 'name'],
  ['gpu_serial', 'serial'],
  ['gpu_bus_id', 'pci.bus_id'],
  ['clocks.sm', 'clocks.current.sm'],
  ['clocks.gr', 'clocks.current.graphics'],
  ['clocks.mem', 'clocks.current.memory'],
  ['clocks.video', 'clocks.current.video'],
  ['gpu.power.draw.average', 'power.draw.average'],
  ['gpu.power.draw.instant', 'power.draw.instant'],
  ['gpu.power.requested_limit', 'power.limit'],
  ['gpu.power.current_limit', 'enforced.power.limit'],
  ['gpu.power.default_limit', 'power.default_limit'],
  ['inforom.image', 'inforom.img'],
  ['inforom.power', 'inforom.pwr'],
]);

const APPS_ALIASES: ReadonlyMap<string, string> = new Map([
  ['name', 'process_name'],
  ['used_memory', 'used_gpu_memory'],
]);

const THROTTLE_OLD_PREFIX = 'clocks_throttle_reasons.';
const THROTTLE_NEW_PREFIX = 'clocks_event_reasons.';

/** One spelling per field, so `clocks.sm` matches a capture column `clocks.current.sm [MHz]`. */
export function canonicalFieldName(name: string, query: QueryKind): string {
  const n = name.trim();
  if (query === 'compute-apps') return APPS_ALIASES.get(n) ?? n;
  if (n.startsWith(THROTTLE_OLD_PREFIX)) {
    return THROTTLE_NEW_PREFIX + n.slice(THROTTLE_OLD_PREFIX.length);
  }
  return GPU_ALIASES.get(n) ?? n;
}
