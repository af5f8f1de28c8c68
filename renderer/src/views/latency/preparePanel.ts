/**
 * One panel's queries (their state and results) → what the panel shows: its state, the message
 * for error, empty and unavailable, and the chart model. "No data" (every series empty in the
 * range) is its own state, never a flat line at zero. Only points inside the asked range count: an
 * answer whose points all lie elsewhere is "No data", not stale headline values over an empty
 * chart. Series take their colour and legend place from the app's one table (seriesStyle).
 */
import { bucketGrid } from '../../../../collector/core/prometheus/bucketGrid.js';
import type { PanelQuery } from '../../../../collector/core/prometheus/latencyQueries.js';
import { inSeriesOrder, seriesStyle } from '../../charts/seriesStyle.js';
import { displayName } from '../../lib/displayName.js';
import type { MatrixSeries } from '../../sources/prometheus/PrometheusSource.js';
import { heatmapModel, type HeatmapModel } from './heatmapOption.js';
import {
  clipSeries,
  hasValues,
  lastValueTime,
  seriesPoints,
} from '../../sources/prometheus/matrixPoints.js';
import { formatLatencyValue } from './units.js';
import type { PanelSpec } from './panels.js';
import type { LinePanelModel, LineSeries, PanelState, Point } from './types.js';

export interface QueryOutcome {
  query: PanelQuery;
  /** pending: no answer for this window yet (placeholder data may be shown meanwhile). */
  status: 'pending' | 'success' | 'error';
  data?: readonly MatrixSeries[];
  error?: Error;
  warnings?: readonly string[];
}

export interface PanelInput {
  spec: PanelSpec;
  outcomes: readonly QueryOutcome[];
  /** Why the server cannot fill this panel (or part of it). */
  unavailable?: string;
  range: [number, number];
  stepMs: number;
  /** Seconds; for TTFT, inter-token and e2e. */
  slo?: { value: number; label: string };
  /** Live points by query key, appended after Prometheus's last point. */
  live?: Readonly<Record<string, readonly Point[]>>;
}

export interface PanelView {
  state: PanelState;
  /** Error, empty or unavailable text, or a partial note ("SGLang does not label …"). */
  message?: string;
  line?: LinePanelModel;
  heatmap?: HeatmapModel;
  /** Each line's newest value, with its unit: the numbers a reader (and a test) can quote. */
  latest: LatestValue[];
  warnings: string[];
}

export interface LatestValue {
  name: string;
  value: number;
  text: string;
  /** From the live (NATS) edge rather than Prometheus. */
  live: boolean;
}

export function preparePanel(input: PanelInput): PanelView {
  const { outcomes, spec } = input;
  const warnings = [...new Set(outcomes.flatMap((o) => o.warnings ?? []))];
  if (outcomes.length === 0) {
    return {
      state: 'unavailable',
      message: input.unavailable ?? 'Not available from this server',
      latest: [],
      warnings,
    };
  }
  const failed = outcomes.find((o) => o.status === 'error');
  if (failed) {
    const reason = failed.error?.message ?? 'query failed';
    // A failed refresh keeps what this panel already held (react-query keeps the last answer of
    // the same key): the chart stays, marked, rather than vanishing when Prometheus blips.
    if (outcomes.every((o) => o.data !== undefined)) {
      const held = spec.id === 'heatmap' ? heatmapView(input) : lineView(input);
      return {
        ...held,
        state: 'error',
        message: `Refresh failed, showing the last answer: ${reason}`,
        warnings,
      };
    }
    return { state: 'error', message: reason, latest: [], warnings };
  }
  const loading = outcomes.some((o) => o.status === 'pending');
  const note = input.unavailable;
  const view: PanelView = spec.id === 'heatmap' ? heatmapView(input) : lineView(input);
  view.warnings = warnings;
  if (loading) return { ...view, state: 'loading' };
  if (view.state === 'empty') {
    view.message = `No data in this range${selectionNote(outcomes)}`;
  } else if (note) view.message = note;
  return view;
}

function selectionNote(outcomes: readonly QueryOutcome[]): string {
  return outcomes.length > 0 ? ' for this model and instance' : '';
}

function lineView(input: PanelInput): PanelView {
  const arrived: LineSeries[] = [];
  let liveFrom: number | undefined;
  const taken = new Set<string>();
  for (const o of input.outcomes) {
    for (const s of o.data ?? []) {
      let name = seriesName(o.query, s);
      // Two series one name (a label template that does not tell them apart, e.g. TGI's one
      // finished-request counter per instance): their own labels tell them apart. ECharts
      // refuses duplicate series ids, and would take the whole page down with it.
      if (taken.has(`${o.query.key}:${name}`)) name = `${name} (${ownLabels(s) || taken.size})`;
      taken.add(`${o.query.key}:${name}`);
      const points = seriesPoints(s, input.stepMs, 1, input.range);
      const live = input.live?.[o.query.key];
      if (live && live.length > 0) {
        const last = lastValueTime(points) ?? Number.NEGATIVE_INFINITY;
        const fresh = live.filter(([t]) => t > last && t <= input.range[1]);
        if (fresh.length > 0) {
          points.push(...fresh);
          liveFrom = Math.min(liveFrom ?? Number.POSITIVE_INFINITY, fresh[0]![0]);
        }
      }
      arrived.push({
        id: `${o.query.key}:${name}`,
        name,
        points,
        color: seriesStyle(name).color,
        ...(input.spec.id === 'finishReasons' ? { stack: 'finished' } : {}),
      });
    }
  }
  const series = inSeriesOrder(arrived, (s) => s.name);
  const line: LinePanelModel = { unit: input.spec.unit, series, range: input.range };
  if (input.slo) line.slo = input.slo;
  if (liveFrom !== undefined) line.liveFrom = liveFrom;
  if (input.spec.unit === 'percent') line.yMax = 100;
  const state: PanelState = series.some((s) => hasValues(s.points)) ? 'ready' : 'empty';
  const latest: LatestValue[] = [];
  for (const s of series) {
    const t = lastValueTime(s.points);
    if (t === undefined) continue;
    let value = 0;
    for (const [at, v] of s.points) if (at === t && v !== null) value = v;
    const text = formatLatencyValue(value, input.spec.unit);
    latest.push({ name: s.name, value, text, live: liveFrom !== undefined && t >= liveFrom });
  }
  return { state, line, latest, warnings: [] };
}

/** A series' labels as text, "h1:8000, 0", for telling apart series one name would merge. */
function ownLabels(s: MatrixSeries): string {
  return Object.entries(s.metric)
    .filter(([k]) => k !== '__name__')
    .map(([, v]) => displayName(v))
    .join(', ');
}

/** The legend name: the query's label, with `{{label}}` templates filled from the series. */
function seriesName(q: PanelQuery, s: MatrixSeries): string {
  const name = q.label.replace(/\{\{(\w+)\}\}/g, (_, k: string) =>
    displayName(s.metric[k] ?? '(none)'),
  );
  return q.stage && q.panel === 'stages' ? q.stage : name;
}

function heatmapView(input: PanelInput): PanelView {
  const data = input.outcomes.flatMap((o) =>
    (o.data ?? []).map((s) => clipSeries(s, input.range, input.stepMs)),
  );
  const model = heatmapModel(bucketGrid(data), input.stepMs, input.range);
  return {
    state: model.rows.length > 0 ? 'ready' : 'empty',
    heatmap: model,
    latest: [],
    warnings: [],
  };
}
