/**
 * Which diagnoses raise a notice: each one of warning or worse seen for the first time on this
 * page, still open (not acknowledged, resolved or cleared by its agent), new — it started at
 * most NOTICE_RECENT_MS before the page opened — and the first of its incident (the Xid 45
 * that follows a 79 joins the 79's incident, already on screen, without a toast of its own). The history a connection backfills on connect
 * (hours of JetStream events) is in the Health view and the header's count, not a burst of toasts.
 * Pure: the caller keeps `seen` (diagnosis ids and incident keys) between calls.
 */
import { atLeast } from '../../../../collector/core/diagnosis/severity.js';
import type { Severity } from '../../../../collector/core/protocol/spec.js';
import type { HealthMarks } from '../../lib/health/healthMarks.js';
import { incidentKey } from '../../lib/health/incidents.js';
import type { StoredDiagnosis } from '../../lib/health/storedDiagnoses.js';

/**
 * 5 s: a fault in flight as the page opened still raises one; one older than that was already
 * there (a reload, a backfill, a diagnosis re-sent as its count grows) and is only counted.
 */
export const NOTICE_RECENT_MS = 5_000;

/** Toasts shown at once; more are counted in the header, not stacked down the screen. */
export const MAX_TOASTS = 3;

export interface Notice {
  /** The diagnosis id: one notice per diagnosis. */
  id: string;
  /** Where its link goes: the incident (incidentKey). */
  incident: string;
  severity: Severity;
  title: string;
  device: string;
  node: string;
  /** Local ms. */
  ts: number;
}

export function newNotices(
  diagnoses: readonly StoredDiagnosis[],
  seen: Set<string>,
  marks: Pick<HealthMarks, 'get'>,
  openedAt: number,
): Notice[] {
  const out: Notice[] = [];
  for (const d of diagnoses) {
    if (seen.has(d.id)) continue;
    seen.add(d.id);
    if (!atLeast(d.severity, 'warning') || d.resolved !== undefined) continue;
    if (marks.get(d.id) !== undefined || d.ts < openedAt - NOTICE_RECENT_MS) continue;
    const incident = incidentKey(d);
    if (seen.has(incident)) continue;
    seen.add(incident);
    out.push({
      id: d.id,
      incident,
      severity: d.severity,
      title: d.title,
      device: d.deviceLabel,
      node: d.nodeName,
      ts: d.ts,
    });
  }
  return out.sort((a, b) => a.ts - b.ts);
}

/** The toasts on screen after `added`: newest last, at most MAX_TOASTS. */
export function keepToasts(shown: readonly Notice[], added: readonly Notice[]): Notice[] {
  return [...shown, ...added].slice(-MAX_TOASTS);
}
