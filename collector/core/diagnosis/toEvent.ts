/**
 * A diagnosis travels as an event record (spec.ts EventRecord, v1's optional diagnosis fields):
 * kind = the signal kind, message = the title, d = the device id, code, severity, and cause,
 * impact, action, evidence, ref, incident, id, count, lastTs, resolved. A resolved diagnosis
 * goes out as severity info with "Resolved: " before its title, so a reader that does not know
 * `resolved` still shows an all-clear, not a second alarm. Strings are cut to the
 * schema's limits (Text 4096, Name 256, code and ref id 64, url 1024, ≤ 16 steps, ≤ 32 evidence),
 * so a diagnosis always makes a valid event.
 *
 * eventDiagnosis() is the way back for the console. An event without the diagnosis fields (an
 * older agent's probe event, `kind: 'probe'`) gives undefined: it is an event, not a diagnosis.
 * One with them gives the Diagnosis; deviceLabel, not carried, is the device id or `node`.
 */
import type { EventRecord } from '../protocol/spec.js';
import type { ActionBucket, Diagnosis, Evidence, SignalKind } from './types.js';

const TEXT = 4096;
const NAME = 256;
const SHORT = 64;
const URL_MAX = 1024;
const MAX_STEPS = 16;
const MAX_EVIDENCE = 32;

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function name(text: string): string {
  return cut(text === '' ? '-' : text, NAME);
}

/** Evidence kept on the wire: the first ones and the latest, like DiagnosisLog keeps them. */
function wireEvidence(list: readonly Evidence[]): EventRecord['evidence'] {
  const kept =
    list.length <= MAX_EVIDENCE ? list : [...list.slice(0, MAX_EVIDENCE - 1), list.at(-1)!];
  return kept.map((e) => ({
    ts: e.ts === null || !Number.isFinite(e.ts) || e.ts < 0 ? null : e.ts,
    text: cut(e.text, TEXT),
    source: name(e.source),
  }));
}

export function diagnosisEvent(d: Diagnosis): EventRecord {
  const e: EventRecord = {
    ts: d.ts,
    kind: name(d.kind),
    severity: d.resolved === undefined ? d.severity : 'info',
    message: cut(d.resolved === undefined ? d.title : `Resolved: ${d.title}`, TEXT),
    cause: cut(d.cause, TEXT),
    impact: cut(d.impact, TEXT),
    action: {
      bucket: name(d.action.bucket),
      summary: cut(d.action.summary, TEXT),
      steps: d.action.steps.slice(0, MAX_STEPS).map((s) => cut(s, TEXT)),
    },
    evidence: wireEvidence(d.evidence),
    ref: { catalog: name(d.ref.catalog), id: cut(d.ref.id, SHORT) },
    incident: cut(d.incident, NAME),
    id: cut(d.id, NAME),
    count: Math.max(1, Math.floor(d.count)),
    lastTs: d.lastTs,
  };
  if (d.ref.name !== undefined) e.ref!.name = cut(d.ref.name, NAME);
  if (d.ref.url !== undefined && d.ref.url.length <= URL_MAX) e.ref!.url = d.ref.url;
  if (d.device !== undefined) e.d = name(d.device);
  if (d.code !== undefined) e.code = cut(d.code, SHORT);
  if (d.resolved !== undefined) e.resolved = d.resolved;
  return e;
}

const RESOLVED_PREFIX = 'Resolved: ';

/** Back to a Diagnosis; undefined for an event that carries no diagnosis (no `id`/`action`). */
export function eventDiagnosis(e: EventRecord, node?: string): Diagnosis | undefined {
  if (e.id === undefined || e.action === undefined || e.ref === undefined) return undefined;
  const resolved = e.resolved;
  const d: Diagnosis = {
    id: e.id,
    incident: e.incident ?? e.id,
    ts: e.ts,
    lastTs: e.lastTs ?? e.ts,
    count: e.count ?? 1,
    deviceLabel: e.d ?? node ?? '-',
    kind: e.kind as SignalKind,
    severity: e.severity,
    title:
      resolved !== undefined && e.message.startsWith(RESOLVED_PREFIX)
        ? e.message.slice(RESOLVED_PREFIX.length)
        : e.message,
    cause: e.cause ?? '',
    impact: e.impact ?? '',
    action: {
      bucket: e.action.bucket as ActionBucket,
      summary: e.action.summary,
      steps: [...e.action.steps],
    },
    ref: { ...e.ref },
    evidence: (e.evidence ?? []).map((x) => ({ ts: x.ts, text: x.text, source: x.source })),
  };
  if (node !== undefined) d.node = node;
  if (e.d !== undefined) d.device = e.d;
  if (e.code !== undefined) d.code = e.code;
  if (resolved !== undefined) d.resolved = resolved;
  return d;
}
