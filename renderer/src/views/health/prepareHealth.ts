/**
 * Everything the Health view shows, from the store and the connection's marks: devices by state
 * per cluster, and the incidents (open first, newest first) with their evidence, cause, impact,
 * advice, catalog reference and what they did to the engines on their node. Pure: times come in
 * as `now` (the store's clock); every text from the wire passes through displayName.
 */
import { SEVERITY_LABEL } from '../../../../collector/core/diagnosis/severity.js';
import type { Severity } from '../../../../collector/core/protocol/spec.js';
import { deviceLabel } from '../../lib/devices.js';
import { displayName } from '../../lib/displayName.js';
import { formatAge, formatDateTime } from '../../lib/format.js';
import type { HealthMarks } from '../../lib/health/healthMarks.js';
import { STATE_WORDS } from '../../lib/health/healthWords.js';
import {
  groupIncidents,
  needsAttention,
  type Incident,
  type IncidentState,
} from '../../lib/health/incidents.js';
import type { StoredDiagnosis } from '../../lib/health/storedDiagnoses.js';
import type { LiveStore } from '../../store/LiveStore.js';
import { clusterStates, type ClusterStates } from './deviceStates.js';
import { clockTime, diagnosisView, type DiagnosisView } from './diagnosisView.js';
import { engineImpact } from './engineImpact.js';
import { impactAsk, withHistory, type ImpactAsk, type ImpactHistory } from './impactHistory.js';
import { impactRow, impactSentence, type ImpactRow } from './impactText.js';

export type HealthReader = Pick<LiveStore, 'nodes' | 'node' | 'seriesOf' | 'find'>;

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
  /** `ask`: the engines whose minute before or after the store no longer holds (Prometheus's to fill). */
  impact: { sentence: string; engines: ImpactRow[]; ask?: ImpactAsk | undefined };
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
  history?: ImpactHistory,
): HealthModel {
  const incidents = groupIncidents(diagnoses, marks);
  const clusters = clusterStates(reader, incidents);
  const nodes = reader.nodes();
  const status =
    incidents.length > 0 ? 'incidents' : nodes.length === 0 ? 'no-data' : 'no-diagnoses';
  return {
    status,
    clusters,
    incidents: incidents.slice(0, MAX_INCIDENTS).map((i) => incidentView(reader, i, now, history)),
    attention: incidents.filter(needsAttention).length,
    total: incidents.length,
    open: incidents.filter((i) => i.state !== 'resolved').length,
  };
}

function incidentView(
  reader: HealthReader,
  incident: Incident,
  now: number,
  history: ImpactHistory | undefined,
): IncidentView {
  const p = incident.primary;
  const node = reader.node(p.nodeKey);
  const device = node && p.device ? findDevice(node, p.device) : undefined;
  const deviceText = device
    ? deviceLabel(device)
    : displayName(p.deviceLabel || p.device || p.nodeName);
  const nodeText = displayName(p.nodeName);
  const stored = engineImpact(reader, p.nodeKey, incident.ts, now);
  const engines = withHistory(stored, history?.get(incident.key));
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
      ask: impactAsk(incident.key, p.nodeName, incident.ts, stored),
    },
  };
}

function findDevice(node: NonNullable<ReturnType<HealthReader['node']>>, id: string) {
  return node.devices.find((d) => d.id === id) ?? node.lostDevices.find((d) => d.id === id);
}
