/**
 * The diagnoses among a store's events (events carrying the diagnosis fields of issue 14: id and
 * action), the newest of each, per device: what the fleet's badges, the device drawer and the
 * engines' status read. A repeat of a diagnosis (same id) replaces the earlier one.
 */
import type { EventRecord, Severity } from '../../../collector/core/protocol/spec.js';
import { displayName } from './displayName.js';
import { deviceLabel } from './devices.js';
import type { LiveStore, StoredEvent } from '../store/LiveStore.js';

export type DiagnosisReader = Pick<LiveStore, 'events' | 'node'>;

/** Worst first. */
const SEVERITY_RANK: Record<Severity, number> = { critical: 0, error: 1, warning: 2, info: 3 };

export interface OpenDiagnosis {
  /** The diagnosis's stable id. */
  id: string;
  node: string;
  device?: string;
  /** "GPU 3", or the raw id of a device not in the inventory. */
  deviceLabel?: string;
  severity: Severity;
  /** What happened (the event's message). */
  title: string;
  /** The advice's one line, when it carries one. */
  advice?: string;
  kind: string;
  code?: string;
  /** First and latest evidence on the node's timeline (ms). */
  ts: number;
  lastTs: number;
  count: number;
}

/** Whether an event is a diagnosis (carries its id and advice), not a plain notice. */
export function isDiagnosisEvent(e: EventRecord): boolean {
  return e.id !== undefined && e.action !== undefined;
}

/** Severity order, worst first (negative: `a` is worse). */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITY_RANK[a] - SEVERITY_RANK[b];
}

/** The newest of each diagnosis, worst first, then newest first. Info-level ones are left out. */
export function openDiagnoses(reader: DiagnosisReader): OpenDiagnosis[] {
  const byId = new Map<string, OpenDiagnosis>();
  for (const e of reader.events()) {
    if (!isDiagnosisEvent(e) || e.severity === 'info') continue;
    byId.set(`${e.node}\u0000${e.id}`, toOpen(reader, e));
  }
  return [...byId.values()].sort(
    (a, b) => compareSeverity(a.severity, b.severity) || b.lastTs - a.lastTs,
  );
}

function toOpen(reader: DiagnosisReader, e: StoredEvent): OpenDiagnosis {
  const out: OpenDiagnosis = {
    id: e.id!,
    node: e.node,
    severity: e.severity,
    title: displayName(e.message),
    kind: e.kind,
    ts: e.ts,
    lastTs: e.lastTs ?? e.ts,
    count: e.count ?? 1,
  };
  if (e.action?.summary) out.advice = displayName(e.action.summary);
  if (e.code !== undefined) out.code = e.code;
  if (e.d !== undefined) {
    out.device = e.d;
    const info = reader.node(e.node)?.devices.find((d) => d.id === e.d);
    out.deviceLabel = info ? deviceLabel(info) : displayName(e.d);
  }
  return out;
}

/** `node\0device` → that device's open diagnoses, worst first. */
export function diagnosesByDevice(list: readonly OpenDiagnosis[]): Map<string, OpenDiagnosis[]> {
  const out = new Map<string, OpenDiagnosis[]>();
  for (const d of list) {
    if (d.device === undefined) continue;
    const key = deviceKeyOf(d.node, d.device);
    const at = out.get(key);
    if (at) at.push(d);
    else out.set(key, [d]);
  }
  return out;
}

export function deviceKeyOf(node: string, device: string): string {
  return `${node}\u0000${device}`;
}

/**
 * Per node, its newest critical diagnosis in words ("GPU 3: GPU has fallen off the bus"): what the
 * engine status rule "its device has a fatal diagnosis" reads where an engine's devices are not
 * known, only its node.
 */
export function criticalByNode(reader: DiagnosisReader): Map<string, string> {
  const out = new Map<string, string>();
  for (const d of openDiagnoses(reader)) {
    if (d.severity !== 'critical' || out.has(d.node)) continue;
    out.set(d.node, d.deviceLabel ? `${d.deviceLabel}: ${d.title}` : d.title);
  }
  return out;
}
