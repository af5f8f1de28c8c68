/**
 * One diagnosis as the Health view shows it: its code named with its kind, cause, impact, the
 * evidence lines with their local times, the advice (bucket, summary, steps with their commands as
 * code) and the catalog entry. Every text from the wire passes through displayName.
 */
import { SEVERITY_LABEL } from '../../../../collector/core/diagnosis/severity.js';
import type { Severity } from '../../../../collector/core/protocol/spec.js';
import { displayName } from '../../lib/displayName.js';
import { formatDateTime } from '../../lib/format.js';
import { bucketWords, catalogName, codeWords } from '../../../../collector/core/diagnosis/words.js';
import type { StoredDiagnosis } from '../../lib/health/storedDiagnoses.js';

export interface EvidenceLine {
  /** "2026-12-03 14:02:11" (local), or '' for a line without a time. */
  time: string;
  /** ISO time for <time dateTime>, '' without one. */
  iso: string;
  text: string;
  source: string;
}

export interface DiagnosisView {
  id: string;
  severity: Severity;
  severityWord: string;
  title: string;
  /** "Xid 79", "0x80E24E00", '' without a code. */
  code: string;
  countText: string;
  cause: string;
  impact: string;
  evidence: EvidenceLine[];
  advice: { bucket: string; summary: string; steps: StepPart[][] };
  /** The catalog entry: its words, and an http(s) address to open (any other scheme is text). */
  ref: { text: string; url: string | undefined };
}

/** A step's text and, between backticks in the catalog's words, the commands to copy. */
export interface StepPart {
  text: string;
  code: boolean;
}

/** "Then reset it: `nvidia-smi -r -i 3`" → text, then the command as code. */
export function stepParts(step: string): StepPart[] {
  const parts = step.split('`');
  // An odd number of backticks leaves the last one unpaired: that one stays text.
  if (parts.length % 2 === 0) parts.splice(-2, 2, `${parts.at(-2)}\`${parts.at(-1)}`);
  return parts.map((text, i) => ({ text, code: i % 2 === 1 })).filter((p) => p.text !== '');
}

/** "14:02:11", local. */
export function clockTime(t: number): string {
  return formatDateTime(t).slice(11);
}

export function diagnosisView(d: StoredDiagnosis): DiagnosisView {
  return {
    id: d.id,
    severity: d.severity,
    severityWord: SEVERITY_LABEL[d.severity],
    title: displayName(d.title),
    code: d.code === undefined ? '' : codeWords(d.kind, d.code, displayName),
    countText: d.count === 1 ? 'seen once' : `seen ${d.count.toLocaleString('en')} times`,
    cause: displayName(d.cause),
    impact: displayName(d.impact),
    evidence: d.evidence.map((e) => ({
      time: e.ts === null ? '' : formatDateTime(e.ts),
      iso: e.ts === null ? '' : new Date(e.ts).toISOString(),
      text: displayName(e.text),
      source: displayName(e.source),
    })),
    advice: {
      bucket: bucketWords(d.action.bucket) ?? displayName(d.action.bucket),
      summary: displayName(d.action.summary),
      steps: d.action.steps.map((s) => stepParts(displayName(s))),
    },
    ref: refView(d),
  };
}

function refView(d: StoredDiagnosis): DiagnosisView['ref'] {
  const { catalog, id, name, url } = d.ref;
  const parts = [catalogName(catalog) ?? displayName(catalog), displayName(id)];
  if (name) parts.push(displayName(name));
  return { text: parts.join(' · '), url: safeUrl(url) };
}

/** Only http(s) addresses become links; the platform opens them outside the app. */
export function safeUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : undefined;
  } catch {
    return undefined;
  }
}
