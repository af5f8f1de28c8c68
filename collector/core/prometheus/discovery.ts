/**
 * Which families a Prometheus server holds and the exact series names to query, from its metric
 * names (`/api/v1/label/__name__/values`, optionally narrowed with `match[]`). Handles renames
 * across vLLM versions (a server may hold both generations: a fleet mid-upgrade, or vLLM 0.9–0.10
 * exposing both KV names) — then every query `or`s both names, left one first — the `_total`
 * suffix on counters (present or not), histograms (`_bucket` must exist; `_sum`/`_count` noted),
 * and quantities an engine changed the kind of (the first alternative the server holds wins).
 * Every engine flavour comes from the one table in families.ts.
 */
import {
  DEVICE_FAMILIES,
  ENGINE_FAMILIES,
  ENGINE_FAMILY_IDS,
  FAMILY_MARKERS,
  sourceAlternatives,
  type DeviceFamilyId,
  type DeviceQuantity,
  type DeviceSeries,
  type EngineFamilyId,
  type EngineQuantity,
  type FamilyId,
  type QuantityNames,
  type SeriesKind,
} from './families.js';
import { namePrefixes, type PrefixSummary } from './namePrefixes.js';

/** `new`: only current names; `old`: only deprecated ones; `both`; `unknown`: no renamed metric seen. */
export type Generation = 'new' | 'old' | 'both' | 'unknown';

export interface ResolvedSeries {
  kind: SeriesKind;
  /**
   * Series names to select, newest generation first; two when the server holds both.
   * Counters: the stored name (`vllm:num_preemptions_total` or a bare `x` where that is what
   * exists). Histograms: the base name; append `_bucket`, `_sum`, `_count`.
   */
  names: string[];
  /** For histograms: whether `_sum` and `_count` exist too (needed for means, not quantiles). */
  hasSumCount?: boolean;
  /** For finished-request counters: the label that splits them by finish reason */
  reasonLabel?: string;
}

export interface EngineFamilyDiscovery {
  generation: Generation;
  quantities: Partial<Record<EngineQuantity, ResolvedSeries>>;
  /** Quantities this family can have but the server does not hold */
  missing: EngineQuantity[];
}

export interface DeviceFamilyDiscovery {
  quantities: Partial<Record<DeviceQuantity, DeviceSeries>>;
}

export interface Discovery {
  families: FamilyId[];
  engines: Partial<Record<EngineFamilyId, EngineFamilyDiscovery>>;
  devices: Partial<Record<DeviceFamilyId, DeviceFamilyDiscovery>>;
  /** The metric-name prefixes the server holds, counted: for the "nothing found" hint */
  seen?: PrefixSummary;
}

const FAMILY_ORDER: readonly FamilyId[] = [
  ...ENGINE_FAMILY_IDS,
  'dcgm',
  'nvidia_gpu_exporter',
  'npu',
  'node_exporter',
  'osprey',
];

const ENGINE_IDS: ReadonlySet<FamilyId> = new Set(ENGINE_FAMILY_IDS);

export function isEngineFamily(id: FamilyId): id is EngineFamilyId {
  return ENGINE_IDS.has(id);
}

export function detectFamilies(names: ReadonlySet<string>): FamilyId[] {
  const found = new Set<FamilyId>();
  for (const id of FAMILY_ORDER) {
    const m = FAMILY_MARKERS[id];
    if (m.names?.some((n) => names.has(n))) found.add(id);
    if (m.allOf?.every((n) => names.has(n))) found.add(id);
  }
  const prefixed = FAMILY_ORDER.filter((id) => FAMILY_MARKERS[id].prefixes);
  for (const n of names) {
    for (const id of prefixed) {
      if (!found.has(id) && FAMILY_MARKERS[id].prefixes!.some((p) => n.startsWith(p)))
        found.add(id);
    }
  }
  return FAMILY_ORDER.filter((id) => found.has(id));
}

/** The stored name(s) of one base name, or [] when the server lacks it. */
function present(base: string, kind: SeriesKind, names: ReadonlySet<string>): string[] {
  if (kind === 'histogram') return names.has(`${base}_bucket`) ? [base] : [];
  if (kind === 'counter') {
    // prometheus_client appends _total; an exporter may not. If both exist, both are read.
    return [`${base}_total`, base].filter((n) => names.has(n));
  }
  return names.has(base) ? [base] : [];
}

interface Resolved {
  series: ResolvedSeries;
  sawNew: boolean;
  sawOld: boolean;
}

function resolve(spec: QuantityNames, names: ReadonlySet<string>): Resolved | undefined {
  const [newName, oldName] = spec.names;
  const fresh = present(newName, spec.kind, names);
  const stale = oldName === undefined ? [] : present(oldName, spec.kind, names);
  const all = [...fresh, ...stale];
  if (all.length === 0) return undefined;
  const series: ResolvedSeries = { kind: spec.kind, names: all };
  if (spec.kind === 'histogram')
    series.hasSumCount = all.every((b) => names.has(`${b}_sum`) && names.has(`${b}_count`));
  if (spec.reasonLabel) series.reasonLabel = spec.reasonLabel;
  const renamed = oldName !== undefined;
  return { series, sawNew: renamed && fresh.length > 0, sawOld: renamed && stale.length > 0 };
}

function engineFamily(id: EngineFamilyId, names: ReadonlySet<string>): EngineFamilyDiscovery {
  const quantities: EngineFamilyDiscovery['quantities'] = {};
  const missing: EngineQuantity[] = [];
  let sawNew = false;
  let sawOld = false;
  const table = ENGINE_FAMILIES[id].quantities;
  for (const q of Object.keys(table) as EngineQuantity[]) {
    let found: Resolved | undefined;
    for (const alt of sourceAlternatives(table[q]!)) {
      found = resolve(alt, names);
      if (found) break;
    }
    if (!found) {
      missing.push(q);
      continue;
    }
    sawNew ||= found.sawNew;
    sawOld ||= found.sawOld;
    quantities[q] = found.series;
  }
  const generation: Generation =
    sawNew && sawOld ? 'both' : sawNew ? 'new' : sawOld ? 'old' : 'unknown';
  return { generation, quantities, missing };
}

function deviceFamily(id: DeviceFamilyId, names: ReadonlySet<string>): DeviceFamilyDiscovery {
  const quantities: DeviceFamilyDiscovery['quantities'] = {};
  for (const [q, s] of Object.entries(DEVICE_FAMILIES[id]) as [DeviceQuantity, DeviceSeries][]) {
    if (names.has(s.name)) quantities[q] = s;
  }
  return { quantities };
}

/** Everything the console can show from a server holding `metricNames`. */
export function discover(metricNames: Iterable<string>): Discovery {
  const names = new Set(metricNames);
  const families = detectFamilies(names);
  const out: Discovery = { families, engines: {}, devices: {}, seen: namePrefixes(names) };
  for (const f of families) {
    if (isEngineFamily(f)) out.engines[f] = engineFamily(f, names);
    if (f === 'dcgm' || f === 'nvidia_gpu_exporter' || f === 'npu' || f === 'osprey')
      out.devices[f] = deviceFamily(f, names);
  }
  return out;
}
