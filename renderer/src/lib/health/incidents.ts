/**
 * Diagnoses grouped into incidents (the core's `incident` id: a 45 and a 43 after a 79 are one),
 * each with its worst severity and the operator's state for it, in the order the Health view and
 * the header read them: open ones first, then acknowledged, then resolved, newest first in each.
 *
 * State: an incident is open while any of its diagnoses carries no mark and was not cleared by its
 * agent (a value back within its limit: Diagnosis.resolved). Acknowledged holds while a storm
 * goes on (its count still rising is what was acknowledged); resolved does not: a diagnosis seen
 * again after it was resolved opens its incident again. A mark covers the incident as it stood
 * when it was set: a diagnosis of the incident that started before an acknowledgement (or was
 * last seen before a resolve) but reached this console only later counts as marked. After an
 * acknowledgement, a diagnosis joining the incident (the Xid 45 after a 79, the temperature
 * behind a thermal slowdown) stays acknowledged unless it is more severe than what was
 * acknowledged; after a resolve, anything new opens it again.
 */
import type { Severity } from '../../../../collector/core/protocol/spec.js';
import type { HealthMarks } from './healthMarks.js';
import { atLeast, SEVERITY_RANK } from '../../../../collector/core/diagnosis/severity.js';
import type { StoredDiagnosis } from './storedDiagnoses.js';

export type IncidentState = 'open' | 'acknowledged' | 'resolved';

export interface Incident {
  /** incidentKey() of its diagnoses. */
  key: string;
  id: string;
  /** The diagnosis that names it: the worst, and the first of the worst. */
  primary: StoredDiagnosis;
  /** Every diagnosis of the incident, oldest first. */
  diagnoses: StoredDiagnosis[];
  severity: Severity;
  /** First and latest evidence of any of its diagnoses (local ms). */
  ts: number;
  lastTs: number;
  /** Signals it stands for, over all its diagnoses. */
  count: number;
  state: IncidentState;
  /** When its agent cleared the last of its diagnoses (local ms): every one of them cleared. */
  cleared: number | undefined;
}

/** An incident's key on a page: incident ids are per node's agent, so the node is part of it. */
export function incidentKey(d: Pick<StoredDiagnosis, 'nodeKey' | 'incident' | 'id'>): string {
  return JSON.stringify([d.nodeKey, d.incident || d.id]);
}

const STATE_ORDER: Record<IncidentState, number> = { open: 0, acknowledged: 1, resolved: 2 };

export function groupIncidents(
  diagnoses: readonly StoredDiagnosis[],
  marks: Pick<HealthMarks, 'get'>,
): Incident[] {
  const groups = new Map<string, StoredDiagnosis[]>();
  for (const d of diagnoses) {
    const key = incidentKey(d);
    const list = groups.get(key) ?? [];
    list.push(d);
    groups.set(key, list);
  }
  const out: Incident[] = [];
  for (const list of groups.values()) {
    list.sort((a, b) => a.ts - b.ts || a.id.localeCompare(b.id));
    let primary = list[0]!;
    for (const d of list) {
      if (SEVERITY_RANK[d.severity] > SEVERITY_RANK[primary.severity]) primary = d;
    }
    out.push({
      key: incidentKey(primary),
      id: primary.incident || primary.id,
      primary,
      diagnoses: list,
      severity: primary.severity,
      ts: list[0]!.ts,
      lastTs: Math.max(...list.map((d) => d.lastTs)),
      count: list.reduce((n, d) => n + d.count, 0),
      state: incidentState(list, marks),
      cleared: list.every((d) => d.resolved !== undefined)
        ? Math.max(...list.map((d) => d.resolved!))
        : undefined,
    });
  }
  return out.sort(
    (a, b) =>
      STATE_ORDER[a.state] - STATE_ORDER[b.state] ||
      b.ts - a.ts ||
      // Faults of the same moment (one event message): the worst first.
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      a.primary.nodeKey.localeCompare(b.primary.nodeKey),
  );
}

export function incidentState(
  diagnoses: readonly StoredDiagnosis[],
  marks: Pick<HealthMarks, 'get'>,
): IncidentState {
  // The incident's marks cover what it held when they were set: a diagnosis this console had not
  // heard of yet then (re-sent later, or after a reload) but older than the mark is covered too.
  let ackAt = Number.NEGATIVE_INFINITY;
  let ackRank = Number.NEGATIVE_INFINITY;
  let resolvedAt = Number.NEGATIVE_INFINITY;
  for (const d of diagnoses) {
    const mark = marks.get(d.id);
    if (mark?.state === 'acknowledged') {
      ackAt = Math.max(ackAt, mark.at);
      ackRank = Math.max(ackRank, SEVERITY_RANK[d.severity]);
    }
    if (mark?.state === 'resolved') resolvedAt = Math.max(resolvedAt, mark.at);
  }
  let state: IncidentState = 'resolved';
  for (const d of diagnoses) {
    if (d.resolved !== undefined) continue;
    const mark = marks.get(d.id);
    if (mark?.state === 'acknowledged') {
      state = 'acknowledged';
    } else if (mark?.state === 'resolved' || d.lastTs <= resolvedAt) {
      if (d.lastTs > (mark?.at ?? resolvedAt)) return 'open';
    } else if (d.ts <= ackAt || SEVERITY_RANK[d.severity] <= ackRank) {
      state = 'acknowledged';
    } else {
      return 'open';
    }
  }
  return state;
}

/** What the header counts: open incidents of warning or worse that nobody acknowledged. */
export function needsAttention(incident: Incident): boolean {
  return incident.state === 'open' && atLeast(incident.severity, 'warning');
}
