/**
 * Everything the Health view shows, from the store and the connection's marks: devices by state
 * per cluster, and the incidents (open first, newest first) with their evidence, cause, impact,
 * advice, catalog reference and what they did to the engines on their node. Pure: times come in
 * as `now` (the store's clock); every text from the wire passes through displayName.
 */
import {
  DEVICE_STATE_LABEL,
  DEVICE_STATES,
  deviceState,
  SEVERITY_LABEL,
  type DeviceState,
} from '../../../../collector/core/diagnosis/severity.js';
import type { SignalKind } from '../../../../collector/core/diagnosis/types.js';
import type { Severity } from '../../../../collector/core/protocol/spec.js';
import { deviceLabel } from '../../lib/devices.js';
import { displayName } from '../../lib/displayName.js';
import { formatAge, formatDateTime, formatValue } from '../../lib/format.js';
import type { HealthMarks } from '../../lib/health/healthMarks.js';
import { bucketWords, catalogName, KIND_WORDS, STATE_WORDS } from '../../lib/health/healthWords.js';
import {
  groupIncidents,
  needsAttention,
  type Incident,
  type IncidentState,
} from '../../lib/health/incidents.js';
import type { StoredDiagnosis } from '../../lib/health/storedDiagnoses.js';
import type { LiveStore } from '../../store/LiveStore.js';
import { engineImpact, type EngineImpact, type Window } from './engineImpact.js';

export type HealthReader = Pick<LiveStore, 'nodes' | 'node' | 'seriesOf' | 'find'>;

export interface StateCount {
  state: DeviceState;
  word: string;
  count: number;
}

export interface ClusterStates {
  cluster: string;
  /** The cluster's name as text; '' when the connection names none. */
  name: string;
  devices: number;
  counts: StateCount[];
}

export interface EvidenceLine {
  /** "14:02:11", or '' for a line without a time. */
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

export interface ImpactRow {
  engine: string;
  model: string;
  state: EngineImpact['state'];
  stateWord: string;
  running: string;
  waiting: string;
  ttftP50: string;
  ttftP99: string;
  /** Engines send no failure counter on the live stream (collector/core/catalog.ts). */
  errorRate: string;
}

export interface IncidentView {
  /** Unique on the page: node + incident id. */
  key: string;
  /** The diagnosis ids the buttons mark. */
  ids: string[];
  state: IncidentState;
  stateWord: string;
  severity: Severity;
  severityWord: string;
  title: string;
  device: string;
  /** The device's id ('' for a node-wide incident), for links and tests. */
  deviceId: string;
  node: string;
  cluster: string;
  /** "2026-12-03 14:02:11" (local), its ISO form, and "3 min ago" by the store's clock. */
  since: string;
  sinceIso: string;
  age: string;
  /** "latest 14:05:40" when it went on after it started, else ''. */
  latest: string;
  /** "cleared by its agent at 14:06:10" when every diagnosis's value came back, else ''. */
  cleared: string;
  count: number;
  countText: string;
  diagnoses: DiagnosisView[];
  impact: { sentence: string; engines: ImpactRow[] };
}

export interface HealthModel {
  /** no-data: nothing heard yet; no-diagnoses: devices heard, none diagnosed. */
  status: 'no-data' | 'no-diagnoses' | 'incidents';
  clusters: ClusterStates[];
  incidents: IncidentView[];
  /** Open incidents of warning or worse nobody acknowledged. */
  attention: number;
  /** Incidents in all; `incidents` holds the first MAX_INCIDENTS of them. */
  total: number;
  /** Of them, not resolved. */
  open: number;
}

/**
 * Cards drawn: each reads its engines' history every second, and a storm of incidents past this
 * is read by its first hundred (open ones come first) — the rest are counted, not drawn.
 */
export const MAX_INCIDENTS = 100;

export function prepareHealth(
  reader: HealthReader,
  diagnoses: readonly StoredDiagnosis[],
  marks: Pick<HealthMarks, 'get'>,
  now: number,
): HealthModel {
  const incidents = groupIncidents(diagnoses, marks);
  const clusters = clusterStates(reader, incidents);
  const nodes = reader.nodes();
  const status =
    incidents.length > 0 ? 'incidents' : nodes.length === 0 ? 'no-data' : 'no-diagnoses';
  return {
    status,
    clusters,
    incidents: incidents.slice(0, MAX_INCIDENTS).map((i) => incidentView(reader, i, now)),
    attention: incidents.filter(needsAttention).length,
    total: incidents.length,
    open: incidents.filter((i) => i.state !== 'resolved').length,
  };
}

/**
 * Each device's state (severity.ts deviceState): the worse of what its tool reports
 * (device.health; a device gone from the inventory is critical) and its incidents not resolved.
 */
function clusterStates(reader: HealthReader, incidents: readonly Incident[]): ClusterStates[] {
  const open = new Map<string, Severity[]>();
  for (const incident of incidents) {
    if (incident.state === 'resolved') continue;
    for (const d of incident.diagnoses) {
      if (d.device === undefined || d.resolved !== undefined) continue;
      const key = `${d.nodeKey}\u0000${d.device}`;
      open.set(key, [...(open.get(key) ?? []), d.severity]);
    }
  }
  const byCluster = new Map<string, Map<DeviceState, number>>();
  for (const node of reader.nodes()) {
    const counts = byCluster.get(node.cluster) ?? new Map<DeviceState, number>();
    byCluster.set(node.cluster, counts);
    const devices = [
      ...node.devices.map((d) => ({ id: d.id, lost: false })),
      ...node.lostDevices.map((d) => ({ id: d.id, lost: true })),
    ];
    for (const device of devices) {
      const health = reader.find(node.node, 'device.health', device.id)?.value;
      const state = deviceState(health, open.get(`${node.node}\u0000${device.id}`), device.lost);
      counts.set(state, (counts.get(state) ?? 0) + 1);
    }
  }
  return [...byCluster]
    .sort(([a], [b]) => a.localeCompare(b, 'en', { numeric: true }))
    .map(([cluster, counts]) => ({
      cluster,
      name: displayName(cluster),
      devices: [...counts.values()].reduce((a, b) => a + b, 0),
      counts: DEVICE_STATES.map((state) => ({
        state,
        word: DEVICE_STATE_LABEL[state],
        count: counts.get(state) ?? 0,
      })),
    }));
}

function incidentView(reader: HealthReader, incident: Incident, now: number): IncidentView {
  const p = incident.primary;
  const node = reader.node(p.nodeKey);
  const device = node && p.device ? findDevice(node, p.device) : undefined;
  const deviceText = device
    ? deviceLabel(device)
    : displayName(p.deviceLabel || p.device || p.nodeName);
  const nodeText = displayName(p.nodeName);
  const engines = engineImpact(reader, p.nodeKey, incident.ts, now);
  const count = incident.count;
  return {
    key: incident.key,
    ids: incident.diagnoses.map((d) => d.id),
    state: incident.state,
    stateWord: STATE_WORDS[incident.state],
    severity: incident.severity,
    severityWord: SEVERITY_LABEL[incident.severity],
    title: displayName(p.title),
    device: deviceText,
    deviceId: p.device ?? '',
    node: nodeText,
    cluster: displayName(p.cluster),
    since: formatDateTime(incident.ts),
    sinceIso: new Date(incident.ts).toISOString(),
    age: formatAge(now - incident.ts),
    latest: incident.lastTs > incident.ts ? `latest ${clockTime(incident.lastTs)}` : '',
    cleared:
      incident.cleared === undefined
        ? ''
        : `cleared by its agent at ${clockTime(incident.cleared)}`,
    count,
    countText: count === 1 ? 'seen once' : `seen ${count.toLocaleString('en')} times`,
    diagnoses: [p, ...incident.diagnoses.filter((d) => d !== p)].map(diagnosisView),
    impact: {
      sentence: impactSentence(p, nodeText, incident.ts, engines),
      engines: engines.map(impactRow),
    },
  };
}

function findDevice(node: NonNullable<ReturnType<HealthReader['node']>>, id: string) {
  return node.devices.find((d) => d.id === id) ?? node.lostDevices.find((d) => d.id === id);
}

/** "14:02:11", local. */
function clockTime(t: number): string {
  return formatDateTime(t).slice(11);
}

function diagnosisView(d: StoredDiagnosis): DiagnosisView {
  return {
    id: d.id,
    severity: d.severity,
    severityWord: SEVERITY_LABEL[d.severity],
    title: displayName(d.title),
    code: d.code === undefined ? '' : codeText(d.kind, d.code),
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

/** "Xid 79", "fault code 0x80E24E00", "temperature: slowdown". */
function codeText(kind: string, code: string): string {
  const words = Object.hasOwn(KIND_WORDS, kind) ? KIND_WORDS[kind as SignalKind] : undefined;
  if (kind === 'xid' || kind === 'sxid' || kind === 'npu-fault') {
    return `${words} ${displayName(code)}`;
  }
  return words === undefined ? displayName(code) : `${words}: ${displayName(code)}`;
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

const IMPACT_WORDS: Record<EngineImpact['state'], string> = {
  stopped: 'stopped serving',
  stalled: 'stopped serving',
  slowed: 'slowed down',
  serving: 'kept serving',
  unknown: 'no values after it yet',
};

const count = (v: number | null): string =>
  v === null ? '—' : formatValue(Math.round(v), 'count');
const seconds = (v: number | null): string => (v === null ? '—' : formatValue(v, 'seconds'));
const pair = (b: string, a: string): string => (b === a ? a : `${b} → ${a}`);

function impactRow(e: EngineImpact): ImpactRow {
  const b: Window = e.before;
  const a: Window = e.after;
  return {
    engine: displayName(e.engine),
    model: displayName(e.model),
    state: e.state,
    stateWord: IMPACT_WORDS[e.state],
    running: pair(count(b.running), count(a.running)),
    waiting: pair(count(b.waiting), count(a.waiting)),
    ttftP50: pair(seconds(b.ttftP50), seconds(a.ttftP50)),
    ttftP99: pair(seconds(b.ttftP99), seconds(a.ttftP99)),
    errorRate: 'not reported',
  };
}

/** Engines named in the sentence; the table lists them all. */
const SENTENCE_ENGINES = 3;

/**
 * "GPU 3 fell off the PCIe bus on node-017 at 14:02:11; engine llama-70b-tp8 on that node stopped
 * serving (running 0, waiting 120); drain and reboot the node."
 */
export function impactSentence(
  d: StoredDiagnosis,
  nodeText: string,
  ts: number,
  engines: readonly EngineImpact[],
): string {
  const what = `${displayName(d.title)} on ${nodeText} at ${clockTime(ts)}`;
  let serving: string;
  if (engines.length === 0) {
    serving = 'no engine on that node reports to this console';
  } else if (engines.length === 1) {
    serving = engineClause(engines[0]!, ' on that node');
  } else {
    // The hurt ones one by one, with their numbers; the rest by name.
    const hurt = engines.filter((e) => e.state !== 'serving' && e.state !== 'unknown');
    const fine = engines.filter((e) => e.state === 'serving');
    const silent = engines.filter((e) => e.state === 'unknown');
    const clauses = hurt.slice(0, SENTENCE_ENGINES).map((e) => engineClause(e, ''));
    if (hurt.length > SENTENCE_ENGINES) {
      clauses.push(`${hurt.length - SENTENCE_ENGINES} more engines were hit`);
    }
    if (fine.length === 1) clauses.push(engineClause(fine[0]!, ''));
    else if (fine.length > 1) clauses.push(`engines ${names(fine)} kept serving`);
    if (silent.length === 1) clauses.push(engineClause(silent[0]!, ''));
    else if (silent.length > 1)
      clauses.push(`engines ${names(silent)} sent no values after it yet`);
    serving = clauses.join(', ');
  }
  const bucket = bucketWords(d.action.bucket);
  const todo = d.action.summary ? displayName(d.action.summary) : bucket;
  const advice =
    todo && d.action.bucket !== 'none' ? `; ${todo.charAt(0).toLowerCase()}${todo.slice(1)}` : '';
  return `${what}; ${serving}${advice.replace(/\.$/, '')}.`;
}

/** "a, b and c", "a, b, c and 4 more". */
function names(list: readonly EngineImpact[]): string {
  const shown = list.slice(0, SENTENCE_ENGINES).map((e) => displayName(e.engine));
  const more = list.length - shown.length;
  if (more > 0) return `${shown.join(', ')} and ${more} more`;
  return shown.length === 1 ? shown[0]! : `${shown.slice(0, -1).join(', ')} and ${shown.at(-1)}`;
}

function engineClause(e: EngineImpact, where: string): string {
  const name = `engine ${displayName(e.engine)}${where}`;
  const a = e.after;
  switch (e.state) {
    case 'stopped':
      return e.lastReportedAt === undefined
        ? `${name} stopped serving (no values after it)`
        : `${name} stopped serving (no values since ${clockTime(e.lastReportedAt)})`;
    case 'stalled':
      return `${name} stopped serving (running ${count(a.running)}, waiting ${count(a.waiting)})`;
    case 'slowed':
      return `${name} slowed down (TTFT p99 ${seconds(e.before.ttftP99)} → ${seconds(a.ttftP99)})`;
    case 'serving':
      return `${name} kept serving (running ${count(a.running)}, waiting ${count(a.waiting)})`;
    case 'unknown':
      return `${name} sent no values after it yet`;
  }
}
