/**
 * The open diagnoses among a store's events, per device: what the fleet's badges and device
 * states, the device drawer and the engines' status read. Decoded once by the Health view's own
 * reader (lib/health/storedDiagnoses.ts, the core's eventDiagnosis), so a badge and the Health
 * view never disagree on what is open: a repeat updates a diagnosis, an all-clear (`resolved`)
 * closes it, info-level ones are no fault.
 */
import { SEVERITY_RANK } from '../../../collector/core/diagnosis/severity.js';
import type { Severity } from '../../../collector/core/protocol/spec.js';
import type { LiveStore, StoredEvent } from '../store/LiveStore.js';
import { deviceLabel } from './devices.js';
import { displayName } from './displayName.js';
import { storedDiagnoses } from './health/storedDiagnoses.js';

export type DiagnosisReader = Pick<LiveStore, 'diagnosisEvents' | 'node'>;

export interface OpenDiagnosis {
  /** The diagnosis's stable id. */
  id: string;
  /** The node's key in the store. */
  node: string;
  device?: string;
  /** "GPU 3", or the raw id of a device not in the inventory. */
  deviceLabel?: string;
  severity: Severity;
  /** What happened, in plain words (the core's title). */
  title: string;
  /** The advice's one line. */
  advice: string;
  kind: string;
  code?: string;
  /** First and latest evidence, local clock (ms). */
  ts: number;
  lastTs: number;
  count: number;
}

/** Per events list (a new array on every change): 4,096 cells ask once per repaint. */
const cache = new WeakMap<readonly StoredEvent[], OpenDiagnosis[]>();

/** The open diagnoses, worst first, then newest first. */
export function openDiagnoses(reader: DiagnosisReader): OpenDiagnosis[] {
  const events = reader.diagnosisEvents();
  const hit = cache.get(events);
  if (hit) return hit;
  const out: OpenDiagnosis[] = [];
  for (const d of storedDiagnoses(reader)) {
    if (d.resolved !== undefined || d.severity === 'info') continue;
    const row: OpenDiagnosis = {
      id: d.id,
      node: d.nodeKey,
      severity: d.severity,
      title: displayName(d.title),
      advice: displayName(d.action.summary),
      kind: d.kind,
      ts: d.ts,
      lastTs: d.lastTs,
      count: d.count,
    };
    if (d.code !== undefined) row.code = d.code;
    if (d.device !== undefined) {
      row.device = d.device;
      const info = reader.node(d.nodeKey)?.devices.find((x) => x.id === d.device);
      row.deviceLabel = info ? deviceLabel(info) : displayName(d.device);
    }
    out.push(row);
  }
  out.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || b.lastTs - a.lastTs);
  cache.set(events, out);
  return out;
}

const byDeviceCache = new WeakMap<OpenDiagnosis[], Map<string, OpenDiagnosis[]>>();

/** `node\0device` → that device's open diagnoses, worst first. */
export function deviceDiagnoses(reader: DiagnosisReader): ReadonlyMap<string, OpenDiagnosis[]> {
  const list = openDiagnoses(reader);
  const hit = byDeviceCache.get(list);
  if (hit) return hit;
  const out = new Map<string, OpenDiagnosis[]>();
  for (const d of list) {
    if (d.device === undefined) continue;
    const key = deviceKeyOf(d.node, d.device);
    const at = out.get(key);
    if (at) at.push(d);
    else out.set(key, [d]);
  }
  byDeviceCache.set(list, out);
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
