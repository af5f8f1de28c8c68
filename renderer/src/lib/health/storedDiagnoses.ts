/**
 * The diagnoses among the store's events, one per diagnosis id (a repeat on the wire updates its
 * count and latest time instead of adding a row), with every time on the console's local clock:
 * the node's timeline + its clock offset, as every other age in the console is read.
 */
import { eventDiagnosis } from '../../../../collector/core/diagnosis/toEvent.js';
import type { Diagnosis } from '../../../../collector/core/diagnosis/types.js';
import type { LiveStore, StoredEvent } from '../../store/LiveStore.js';
import { deviceLabel } from '../devices.js';

export interface StoredDiagnosis extends Diagnosis {
  /** The node's key in the store (`<cluster>/<name>` where names are qualified). */
  nodeKey: string;
  /** The node's own name, for text. */
  nodeName: string;
  cluster: string;
}

/** Each stored event decoded once: the list is re-read on every store version, 4× a second. */
const decoded = new WeakMap<StoredEvent, Diagnosis | null>();

function decode(e: StoredEvent): Diagnosis | undefined {
  let d = decoded.get(e);
  if (d === undefined) {
    d = eventDiagnosis(e, e.node) ?? null;
    decoded.set(e, d);
  }
  return d ?? undefined;
}

export function storedDiagnoses(
  reader: Pick<LiveStore, 'diagnosisEvents' | 'node'>,
): StoredDiagnosis[] {
  const byId = new Map<string, StoredDiagnosis>();
  for (const e of reader.diagnosisEvents()) {
    const d = decode(e);
    if (d === undefined) continue;
    const node = reader.node(e.node);
    const offset = node?.clockOffset ?? 0;
    // The wire carries the device's id; the inventory names it as its tool numbers it ("GPU 3").
    const device =
      d.device === undefined
        ? undefined
        : (node?.devices.find((x) => x.id === d.device) ??
          node?.lostDevices.find((x) => x.id === d.device));
    const stored: StoredDiagnosis = {
      ...d,
      deviceLabel: device ? deviceLabel(device) : d.deviceLabel,
      ts: d.ts + offset,
      lastTs: d.lastTs + offset,
      evidence: d.evidence.map((x) => (x.ts === null ? x : { ...x, ts: x.ts + offset })),
      nodeKey: e.node,
      nodeName: node?.name ?? d.node ?? e.node,
      cluster: node?.cluster ?? '',
    };
    if (d.resolved !== undefined) stored.resolved = d.resolved + offset;
    const seen = byId.get(d.id);
    // Events arrive oldest first; a late copy of an older state must not undo a newer one.
    if (seen === undefined || newer(stored, seen)) {
      // The all-clear goes out as info (toEvent.ts); the incident keeps the severity it had.
      if (seen !== undefined && stored.resolved !== undefined) stored.severity = seen.severity;
      byId.set(d.id, stored);
    }
  }
  return [...byId.values()];
}

function newer(a: Diagnosis, b: Diagnosis): boolean {
  return a.lastTs > b.lastTs || (a.lastTs === b.lastTs && a.count >= b.count);
}
