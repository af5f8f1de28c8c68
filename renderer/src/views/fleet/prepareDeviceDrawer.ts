/**
 * One device in full, for the drawer: its open diagnoses (worst first, with the advice), every
 * metric it reported with its current value (or why it has none) and its history on the local
 * clock, plus the device's events, newest first. States are words with a strip of named states
 * and their changes, never a line of enum values; power and memory also say their share of the
 * device's own limit.
 */
import { METRICS, type MetricUnit } from '../../../../collector/core/catalog.js';
import { isStale } from '../../../../collector/core/time/stale.js';
import { openDiagnoses, type OpenDiagnosis } from '../../lib/diagnoses.js';
import { formatAge, formatNoData, formatValue } from '../../lib/format.js';
import type { PresenceState } from '../../sources/Source.js';
import type { StoredEvent } from '../../store/LiveStore.js';
import type { CellState } from './describeCell.js';
import { formatOld } from './describeCell.js';
import { cellValueText } from './describeCell.js';
import {
  isStateMetric,
  stateChanges,
  stateText,
  stateSpans,
  type StateChange,
  type StateSpan,
} from './deviceStates.js';
import { deviceHealth, metricLabel, metricUnit } from './fleetMetrics.js';
import { SEVERITY_LABEL } from '../../../../collector/core/diagnosis/severity.js';
import { fleetDevices } from './prepareFleetLayout.js';
import type { FleetDevice, FleetReader, Health } from './types.js';

export type Point = [number, number | null];

export interface DrawerMetric {
  metric: string;
  /** "Memory used", or per MIG instance "Memory used · MIG 1 (3g.40gb)". */
  label: string;
  /** The series' labels beyond the device (a MIG instance's `mig` and `profile`, a pid…). */
  labels?: Readonly<Record<string, string>>;
  unit: MetricUnit;
  state: CellState;
  /** "87 %", "Critical", "SW thermal slowdown + HW slowdown", or "no data: unsupported ([N/A])". */
  text: string;
  /** For a metric with a limit: "50 % of its 700 W power limit". */
  detail?: string;
  /** A state metric's history as named spans and its changes (newest first), instead of a line. */
  states?: { spans: StateSpan[]; changes: StateChange[] };
  /** "updated 1 s ago", "stale: 14 s old". */
  ageText: string;
  /** The current value's time on the sender's clock (ms), for checking against what was sent. */
  ts: number;
  points: Point[];
}

export interface DrawerEvent {
  key: string;
  /** Local clock (ms). */
  at: number;
  severity: StoredEvent['severity'];
  /** The severity in the console's words ("Critical"). */
  severityText: string;
  kind: string;
  code?: string;
  message: string;
}

export interface DeviceDrawerModel {
  /** The node's key in the store. */
  node: string;
  /** Its own name, as Prometheus labels carry it. */
  nodeName: string;
  /** Its cluster, as its messages name it (a profile request goes to cluster and node). */
  cluster: string;
  device: FleetDevice;
  metrics: DrawerMetric[];
  /** The device's state: the worse of its reported health and its open diagnoses. */
  state: Health;
  /** The device's open diagnoses, worst first. */
  diagnoses: OpenDiagnosis[];
  events: DrawerEvent[];
  /** The charts' shared time axis (local ms). */
  timeRange?: [number, number];
}

const CATALOG_ORDER = new Map(METRICS.map((m, i) => [m.name, i]));

/** "MIG 1 (3g.40gb)" for a MIG instance's series, else `key=value` pairs; "" for none. */
function labelText(labels: Readonly<Record<string, string>>): string {
  const { mig, profile, ...rest } = labels;
  const parts: string[] = [];
  if (mig !== undefined) parts.push(profile ? `MIG ${mig} (${profile})` : `MIG ${mig}`);
  for (const [k, v] of Object.entries(rest)) parts.push(`${k}=${v}`);
  return parts.join(', ');
}
const MAX_EVENTS = 50;

export function prepareDeviceDrawer(
  reader: FleetReader,
  node: string,
  deviceId: string,
  now: number,
  presence: PresenceState,
): DeviceDrawerModel | undefined {
  const state = reader.node(node);
  const device = state ? fleetDevices(reader, state).find((d) => d.id === deviceId) : undefined;
  if (!state || !device) return undefined;
  const offset = state.clockOffset;
  const series = [...reader.seriesOf(node, deviceId)].sort(
    (a, b) =>
      (CATALOG_ORDER.get(a.metric) ?? 1e9) - (CATALOG_ORDER.get(b.metric) ?? 1e9) ||
      a.metric.localeCompare(b.metric) ||
      // The device's own value first, then its parts (MIG instances) in their order.
      labelText(a.labels).localeCompare(labelText(b.labels), 'en', { numeric: true }),
  );
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  const metrics = series.map((s): DrawerMetric => {
    const unit = metricUnit(s.metric);
    const age = reader.ageOf(node, s.time, now);
    const absent = Number.isNaN(s.value);
    const fresh = presence === 'live' && !isStale(age, state.interval);
    const points = s.history.toPoints().map(([t, v]): Point => [t + offset, v]);
    if (points.length > 0) {
      first = Math.min(first, points[0]![0]);
      last = Math.max(last, points.at(-1)![0]);
    }
    const named = isStateMetric(s.metric);
    const out: DrawerMetric = {
      metric: s.metric,
      label: labelText(s.labels)
        ? `${metricLabel(s.metric)} · ${labelText(s.labels)}`
        : metricLabel(s.metric),
      labels: s.labels,
      unit,
      state: absent ? 'absent' : fresh ? 'fresh' : 'stale',
      text: absent
        ? `no data: ${formatNoData(s.status, s.raw)}`
        : named
          ? (stateText(s.metric, s.value) ?? formatValue(s.value, unit))
          : formatValue(s.value, unit),
      ageText:
        presence !== 'live'
          ? `source ${presence}: ${formatOld(age)}`
          : !isStale(age, state.interval)
            ? `updated ${formatAge(age)}`
            : `stale: ${formatOld(age)}`,
      ts: s.time,
      points,
    };
    if (named) {
      out.states = { spans: stateSpans(s.metric, points), changes: stateChanges(s.metric, points) };
    }
    if (!absent && !named && Object.keys(s.labels).length === 0) {
      // The device's own value: its share of its limit, where the heatmap colours by that.
      const full = cellValueText(reader, { node, device, col: 0, match: true }, s.metric, s.value);
      const plain = formatValue(s.value, unit);
      if (full.startsWith(`${plain} · `)) out.detail = full.slice(plain.length + 3);
    }
    return out;
  });
  const events: DrawerEvent[] = [];
  const all = reader.events();
  for (let i = all.length - 1; i >= 0 && events.length < MAX_EVENTS; i--) {
    const e = all[i]!;
    if (e.node !== node || e.d !== deviceId) continue;
    const row: DrawerEvent = {
      key: String(i),
      at: e.ts + offset,
      severity: e.severity,
      severityText: SEVERITY_LABEL[e.severity],
      kind: e.kind,
      message: e.message,
    };
    if (e.code !== undefined) row.code = e.code;
    events.push(row);
  }
  const model: DeviceDrawerModel = {
    node,
    nodeName: state.name,
    cluster: state.cluster,
    device,
    metrics,
    state: deviceHealth(reader, node, device),
    diagnoses: openDiagnoses(reader).filter((d) => d.node === node && d.device === deviceId),
    events,
  };
  if (Number.isFinite(first)) model.timeRange = [Math.min(first, last - 60_000), last];
  return model;
}
