/**
 * How `osprey diagnose` prints diagnoses, pure. Human output: one block per diagnosis (severity word,
 * device, code, time, then what happened, cause, impact, action with its steps, the catalog entry
 * and the evidence lines), the diagnoses of one incident under one heading (an Xid 79 then 45 then
 * 43 is one incident), wrapped to the terminal's width (100 when it is not a terminal); colour only
 * when asked for (a TTY). JSON: the Diagnosis type with its keys in a fixed order, so two runs on one
 * log print the same bytes.
 */
import type { Diagnosis, Evidence } from '../core/diagnosis/types.js';
import { bucketWords, catalogName, codeWords } from '../core/diagnosis/words.js';
import {
  SEVERITIES,
  SEVERITY_LABEL,
  SEVERITY_RANK,
  type Severity,
} from '../core/diagnosis/severity.js';

/** What was read, for the summary line. */
export interface InputSummary {
  /** Which option it came from. */
  kind: 'kmsg' | 'nvidia-smi' | 'npu-smi';
  /** As given (`-` is standard input). */
  path: string;
  lines: number;
  /** Devices it named (tool outputs). */
  devices?: number;
}

export interface DiagnoseReport {
  diagnoses: readonly Diagnosis[];
  inputs: readonly InputSummary[];
}

export interface FormatOptions {
  /** Columns to fit (clamped to 60…100). */
  width: number;
  color: boolean;
}

/** Most evidence lines printed per diagnosis; --json has them all. */
export const MAX_EVIDENCE_LINES = 6;

const LABEL_WIDTH = 15;
const INDENT = 2;

/** ANSI SGR per severity: critical bold red, error red, warning yellow, info cyan. */
const SEVERITY_SGR: Readonly<Record<Severity, string>> = {
  critical: '1;31',
  error: '31',
  warning: '33',
  info: '36',
};

function paint(text: string, sgr: string, color: boolean): string {
  return color ? `\u001b[${sgr}m${text}\u001b[0m` : text;
}

export function severityWord(s: Severity, color: boolean): string {
  return paint(SEVERITY_LABEL[s].toUpperCase(), SEVERITY_SGR[s], color);
}

/** `Xid 79`, `NVSwitch SXid 20034`, `fault code 0x80E24E00`, `PCIe AER: fatal`: the console's words. */
export function codeLabel(d: Pick<Diagnosis, 'kind' | 'code'>): string {
  return codeWords(d.kind, d.code);
}

/** `2025-01-21 04:41:44 UTC` */
export function formatTime(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/**
 * When it happened by the log's own clock: the earliest evidence time. Undefined when no line had
 * a time (an uptime prefix such as `[31543.449]` is not a date): then the diagnosis's own `ts` is
 * only when the line was read, and printing it would invent a time.
 */
export function evidenceTime(evidence: readonly Evidence[]): number | undefined {
  let first: number | undefined;
  for (const e of evidence)
    if (e.ts !== null && (first === undefined || e.ts < first)) first = e.ts;
  return first;
}

/**
 * Breaks text into lines of at most `width` characters, at spaces where it can. A command between
 * backticks is not broken at its spaces (it is copied whole), unless it is wider than a line.
 */
export function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.replace(/\t/g, ' ').split(/\r?\n/)) {
    const words = paragraph.trimEnd().match(/(?:`[^`]*`|[^\s`])+`?|`/g) ?? [];
    let line = '';
    for (let word of words) {
      if (line !== '' && line.length + 1 + word.length <= width) {
        line += ` ${word}`;
        continue;
      }
      if (line !== '') out.push(line);
      line = '';
      while (word.length > width) {
        const space = word.lastIndexOf(' ', width);
        const cut = space > width / 3 ? space : width;
        out.push(word.slice(0, cut).trimEnd());
        word = word.slice(cut).trimStart();
      }
      line = word;
    }
    out.push(line);
  }
  return out;
}

export interface Incident {
  id: string;
  diagnoses: Diagnosis[];
  severity: Severity;
  /** Earliest first time of its diagnoses. */
  ts: number;
}

/** Diagnoses by incident, each incident's in time order; incidents worst first, then earliest. */
export function groupIncidents(diagnoses: readonly Diagnosis[]): Incident[] {
  const byId = new Map<string, Incident>();
  for (const d of sortDiagnoses(diagnoses)) {
    const found = byId.get(d.incident);
    if (!found) {
      byId.set(d.incident, { id: d.incident, diagnoses: [d], severity: d.severity, ts: d.ts });
      continue;
    }
    found.diagnoses.push(d);
    if (SEVERITY_RANK[d.severity] > SEVERITY_RANK[found.severity]) found.severity = d.severity;
  }
  return [...byId.values()].sort(
    (a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || a.ts - b.ts,
  );
}

/** Time order, then the order found: the order --json prints. */
export function sortDiagnoses(diagnoses: readonly Diagnosis[]): Diagnosis[] {
  // Stable: diagnoses at one time (lines without a date all get the read time) keep the order
  // they were found in, which is the log's.
  return [...diagnoses].sort((a, b) => a.ts - b.ts);
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

function inputName(i: InputSummary): string {
  return i.path === '-' ? 'standard input' : i.path;
}

/** `23 lines of dmesg.log, 9 of nvidia-smi.csv` */
export function describeInputs(inputs: readonly InputSummary[]): string {
  return inputs
    .map(
      (i, k) =>
        `${k === 0 ? plural(i.lines, 'line') : i.lines.toLocaleString('en-US')} of ${inputName(i)}`,
    )
    .join(', ');
}

function totalLines(inputs: readonly InputSummary[]): number {
  return inputs.reduce((n, i) => n + i.lines, 0);
}

/** The first line: what was found, by severity, in how much input. */
export function summaryLine(report: DiagnoseReport): string {
  const { diagnoses, inputs } = report;
  const lines = totalLines(inputs);
  if (diagnoses.length === 0) {
    const where = inputs.length === 1 ? '' : ` (${describeInputs(inputs)})`;
    return `no faults found in ${plural(lines, 'line')}${where}`;
  }
  const counts = [...SEVERITIES]
    .reverse()
    .map((s) => [s, diagnoses.filter((d) => d.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${SEVERITY_LABEL[s].toLowerCase()}`);
  const incidents = new Set(diagnoses.map((d) => d.incident)).size;
  const what =
    incidents === diagnoses.length
      ? plural(diagnoses.length, 'diagnosis', 'diagnoses')
      : `${plural(diagnoses.length, 'diagnosis', 'diagnoses')} in ${plural(incidents, 'incident')}`;
  return `${what} (${counts.join(', ')}) from ${describeInputs(inputs)}`;
}

/** A labelled field: the label in the left column, the text wrapped beside it (styled if asked). */
function field(
  label: string,
  text: string,
  width: number,
  style?: (t: string) => string,
): string[] {
  const lines = wrap(text, width - INDENT - LABEL_WIDTH);
  const pad = ' '.repeat(INDENT + LABEL_WIDTH);
  const s = style ?? ((t: string) => t);
  return lines.map((l, i) =>
    i === 0 ? `${' '.repeat(INDENT)}${label.padEnd(LABEL_WIDTH)}${s(l)}` : `${pad}${s(l)}`,
  );
}

/** A field's continuation lines (steps, evidence): each item wrapped, later lines indented more. */
function items(label: string, list: readonly string[], width: number, hang: number): string[] {
  const out: string[] = [];
  const pad = ' '.repeat(INDENT + LABEL_WIDTH);
  list.forEach((item, k) => {
    const lines = wrap(item, width - INDENT - LABEL_WIDTH - hang);
    lines.forEach((l, i) => {
      const lead = i === 0 ? '' : ' '.repeat(hang);
      const prefix = k === 0 && i === 0 ? `${' '.repeat(INDENT)}${label.padEnd(LABEL_WIDTH)}` : pad;
      out.push(`${prefix}${lead}${l}`.trimEnd());
    });
  });
  return out;
}

function countText(d: Diagnosis): string | undefined {
  if (d.count <= 1) return undefined;
  const span =
    evidenceTime(d.evidence) !== undefined && d.lastTs > d.ts
      ? ` from ${formatTime(d.ts).slice(11, 19)} to ${formatTime(d.lastTs).slice(11, 19)}`
      : '';
  return `seen ${plural(d.count, 'time')}${span}`;
}

/** One diagnosis as a block of lines. */
export function formatDiagnosis(d: Diagnosis, opts: FormatOptions): string[] {
  const width = clampWidth(opts.width);
  const head = [severityWord(d.severity, opts.color), d.deviceLabel, codeLabel(d)];
  const at = evidenceTime(d.evidence);
  if (at !== undefined) head.push(formatTime(at));
  const out = wrap(head.join(' · '), width + (opts.color ? 12 : 0));
  out.push(...field('What happened', d.title, width, (t) => paint(t, '1', opts.color)));
  const count = countText(d);
  if (count) out.push(...field('How often', count, width));
  if (d.resolved !== undefined) {
    out.push(...field('Resolved', `back within its limit at ${formatTime(d.resolved)}`, width));
  }
  if (d.cause) out.push(...field('Cause', d.cause, width));
  if (d.impact) out.push(...field('Impact', d.impact, width));
  // The bucket in the console's words after the sentence ("Drain the node and reboot it (Reboot the
  // node)"); --json has its key.
  const words = bucketWords(d.action.bucket) ?? d.action.bucket;
  const said = d.action.summary.toLowerCase().includes(words.toLowerCase());
  const bucket = d.action.bucket === 'none' || said ? '' : ` (${words})`;
  out.push(...field('Action', `${d.action.summary}${bucket}`, width));
  if (d.action.steps.length > 0) {
    out.push(
      ...items(
        'Steps',
        d.action.steps.map((s, i) => `${i + 1}. ${s}`),
        width,
        3,
      ),
    );
  }
  // As the Health view names it: "NVSentinel Xid catalog · 119 · GSP_RPC_TIMEOUT".
  const ref = [catalogName(d.ref.catalog) ?? d.ref.catalog, d.ref.id, d.ref.name]
    .filter(Boolean)
    .join(' · ');
  out.push(...field('Catalog', d.ref.url ? `${ref} — ${d.ref.url}` : ref, width));
  const shown = d.evidence.slice(0, MAX_EVIDENCE_LINES).map((e) => e.text);
  const hidden = d.evidence.length - shown.length;
  const more = hidden + Math.max(0, d.count - d.evidence.length);
  if (more > 0) {
    const json = hidden > 0 ? ` (${hidden} of them in --json)` : '';
    shown.push(`… ${plural(more, 'more line')} like these${json}`);
  }
  if (shown.length > 0) out.push(...items('Evidence', shown, width, 2));
  return out;
}

function clampWidth(width: number): number {
  return Math.min(100, Math.max(60, Number.isFinite(width) ? Math.floor(width) : 100));
}

/** The whole human report. */
export function formatReport(report: DiagnoseReport, opts: FormatOptions): string {
  const width = clampWidth(opts.width);
  const out = wrap(summaryLine(report), width);
  const incidents = groupIncidents(report.diagnoses);
  incidents.forEach((incident, k) => {
    out.push('');
    if (incident.diagnoses.length > 1) {
      const first = incident.diagnoses[0]!;
      const codes = incident.diagnoses.map(codeLabel).join(', then ');
      const heading =
        `Incident ${k + 1} of ${incidents.length} · ${first.deviceLabel} · ` +
        `${SEVERITY_LABEL[incident.severity].toLowerCase()} · ${codes}`;
      out.push(...wrap(paint(heading, '1', opts.color), width + (opts.color ? 8 : 0)));
      out.push('');
    }
    incident.diagnoses.forEach((d, i) => {
      if (i > 0) out.push('');
      out.push(...formatDiagnosis(d, { ...opts, width }));
    });
  });
  return `${out.join('\n')}\n`;
}

/** The Diagnosis with its keys in the type's order and absent ones left out. */
export function stableDiagnosis(d: Diagnosis): Diagnosis {
  const out: Record<string, unknown> = {};
  const put = (k: string, v: unknown): void => {
    if (v !== undefined) out[k] = v;
  };
  put('id', d.id);
  put('incident', d.incident);
  put('ts', d.ts);
  put('lastTs', d.lastTs);
  put('count', d.count);
  put('node', d.node);
  put('device', d.device);
  put('deviceLabel', d.deviceLabel);
  put('kind', d.kind);
  put('code', d.code);
  put('severity', d.severity);
  put('title', d.title);
  put('cause', d.cause);
  put('impact', d.impact);
  put('action', { bucket: d.action.bucket, summary: d.action.summary, steps: [...d.action.steps] });
  const ref: Record<string, unknown> = { catalog: d.ref.catalog, id: d.ref.id };
  if (d.ref.name !== undefined) ref.name = d.ref.name;
  if (d.ref.url !== undefined) ref.url = d.ref.url;
  put('ref', ref);
  put(
    'evidence',
    d.evidence.map((e) => ({ ts: e.ts, text: e.text, source: e.source })),
  );
  return out as unknown as Diagnosis;
}

/** --json: the diagnoses in time order, as a JSON array. */
export function diagnosesJson(diagnoses: readonly Diagnosis[]): string {
  return `${JSON.stringify(sortDiagnoses(diagnoses).map(stableDiagnosis), null, 2)}\n`;
}
