/**
 * The "instance" choices of the latency view, from the label sets of one engine gauge's series.
 * A real fleet tells its engines apart by Prometheus's `instance` (host:port); a fleet scraped
 * through one endpoint (the simulator, a federating Prometheus) by `node` and `engine` instead.
 * So the labels that vary decide: an instance is one distinct combination of those.
 */
import type { LatencySelection } from '../../../../collector/core/prometheus/latencyQueries.js';
import { displayName } from '../../lib/displayName.js';
import type { Labels } from '../../sources/prometheus/PrometheusSource.js';

export const IDENTITY_LABELS = ['instance', 'node', 'engine'] as const;
export type IdentityLabel = (typeof IDENTITY_LABELS)[number];

export interface InstanceOption {
  /** Stable key for selects and query keys. */
  id: string;
  /** "node-003 · vllm-0", or "10.0.0.7:8000". */
  label: string;
  values: Partial<Record<IdentityLabel, string>>;
}

export function instanceOptions(sets: readonly Labels[]): InstanceOption[] {
  const varying = IDENTITY_LABELS.filter((l) => new Set(sets.map((s) => s[l])).size > 1);
  const keys: IdentityLabel[] = varying.length > 0 ? varying : ['instance'];
  const seen = new Map<string, InstanceOption>();
  for (const s of sets) {
    const values: InstanceOption['values'] = {};
    for (const k of keys) if (s[k] !== undefined) values[k] = s[k];
    const parts = keys.map((k) => s[k]).filter((v): v is string => v !== undefined);
    if (parts.length === 0) continue;
    const id = keys.map((k) => `${k}=${s[k] ?? ''}`).join(',');
    if (!seen.has(id)) seen.set(id, { id, label: parts.map(displayName).join(' · '), values });
  }
  const collator = new Intl.Collator('en', { numeric: true });
  return [...seen.values()].sort((a, b) => collator.compare(a.label, b.label));
}

/** The view's choice as H1's query selection (instance, engine and node go where they belong). */
export function toSelection(
  model: string | undefined,
  inst: InstanceOption | undefined,
): LatencySelection {
  const sel: LatencySelection = {};
  if (model !== undefined) sel.models = [model];
  if (!inst) return sel;
  if (inst.values.instance !== undefined) sel.instances = [inst.values.instance];
  if (inst.values.engine !== undefined) sel.engines = [inst.values.engine];
  if (inst.values.node !== undefined) sel.labels = { node: inst.values.node };
  return sel;
}

export interface InstanceChoices {
  /** Undefined until either list has arrived. */
  options: InstanceOption[] | undefined;
  /** Whether the series list is in (else the options are what the traffic answer named). */
  complete: boolean;
  selected: InstanceOption | undefined;
}

/**
 * The selector's options from what is known: the full series list when it has arrived, the
 * window's traffic answer meanwhile (both, merged, once both are in), and the picked one among them.
 */
export function instanceChoices(
  listed: readonly Labels[] | undefined,
  known: readonly Labels[] | undefined,
  pickedId: string | undefined,
): InstanceChoices {
  const options =
    listed || known?.length ? instanceOptions([...(listed ?? []), ...(known ?? [])]) : undefined;
  return {
    options,
    complete: listed !== undefined,
    selected: pickedId === undefined ? undefined : options?.find((o) => o.id === pickedId),
  };
}
