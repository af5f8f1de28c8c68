/**
 * One fleet cell in words, for its tooltip and for screen readers: which device, the value with
 * its unit (or why there is none), and how old it is, saying "stale" once it is.
 */
import type { SampleStatus, Severity } from '../../../../collector/core/protocol/spec.js';
import type { OpenDiagnosis } from '../../lib/diagnoses.js';
import { displayName } from '../../lib/displayName.js';
import { formatAge, formatNoData, formatValue } from '../../lib/format.js';
import type { PresenceState } from '../../sources/Source.js';
import { isStale } from '../../../../collector/core/time/stale.js';
import { stateText } from './deviceStates.js';
import { cellValue } from './fleetCells.js';
import { deviceHealth, HEALTH_LABEL, metricLabel, metricUnit } from './fleetMetrics.js';
import { cellScale, limitOf } from './fleetScale.js';
import { SEVERITY_LABEL, vendorHealthWord } from '../../../../collector/core/diagnosis/severity.js';
import type { FleetCell, FleetReader } from './types.js';

export type CellState = 'fresh' | 'stale' | 'absent' | 'missing';

export interface CellDescription {
  /** "node-017 · GPU 3" */
  title: string;
  state: CellState;
  /** "87 %", or "no data: unsupported ([N/A])". */
  valueText: string;
  /** Every line of the tooltip, the title first. */
  lines: string[];
  /** The device's open diagnoses, worst first: "Critical: GPU has fallen off the bus". */
  diagnoses: Array<{ severity: Severity; text: string }>;
}

/**
 * A value in words: a state by name, a magnitude with its unit, and for a metric coloured by the
 * device's own limit, the share too ("350 W · 50 % of its 700 W power limit").
 */
export function cellValueText(
  reader: FleetReader,
  cell: FleetCell,
  metric: string,
  value: number,
): string {
  const state = stateText(metric, value);
  if (state !== undefined) return state;
  const unit = metricUnit(metric);
  const text = formatValue(value, unit);
  const scale = cellScale(metric, reader);
  if (scale.kind !== 'relative') return text;
  const limit = limitOf(reader, cell, scale.relative);
  if (limit === undefined) return `${text} · no ${scale.relative.word} reported`;
  const share = formatValue((100 * value) / limit, 'percent');
  const fallback = scale.relative.fallback;
  const own = reader.find(cell.node, scale.relative.limit, cell.device.id)?.value;
  if (fallback !== undefined && limit === fallback.value && !(own !== undefined && own > 0)) {
    return `${text} · ${share} of ${fallback.word} (${formatValue(limit, unit)}; no ${scale.relative.word} reported)`;
  }
  return `${text} · ${share} of its ${formatValue(limit, unit)} ${scale.relative.word}`;
}

/** "14 s old", "3 min old". */
export function formatOld(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s} s old`;
  const min = Math.floor(s / 60);
  return min < 120 ? `${min} min old` : `${Math.floor(min / 60)} h old`;
}

/**
 * The device's state (the worse of its health and its open diagnoses), with the tool's own word
 * where it says otherwise: "Critical (tool reports Alarm)" for an Xid 48 on a health-2 device.
 */
function healthText(reader: FleetReader, cell: FleetCell, reported: number): string {
  const state = HEALTH_LABEL[deviceHealth(reader, cell.node, cell.device)];
  const tool = Number.isInteger(reported) ? vendorHealthWord(reported) : undefined;
  return tool === undefined || tool === state ? state : `${state} (tool reports ${tool})`;
}

export function describeCell(
  reader: FleetReader,
  cell: FleetCell,
  metric: string,
  now: number,
  presence: PresenceState,
  diagnoses?: readonly OpenDiagnosis[],
): CellDescription {
  const title = `${displayName(cell.node)} · ${displayName(cell.device.label)}`;
  const lines = [title, displayName(cell.device.model)];
  if (cell.device.uuid) lines.push(displayName(cell.device.uuid));
  const label = metricLabel(metric);
  const v = cellValue(reader, cell, metric);
  let state: CellState;
  let valueText: string;
  if (v === undefined) {
    state = 'missing';
    valueText = `no data: ${formatNoData('missing', undefined)}`;
  } else if (Number.isNaN(v.value)) {
    state = 'absent';
    valueText = `no data: ${formatNoData(v.status as SampleStatus | undefined, v.raw)}`;
  } else {
    valueText =
      metric === 'device.health'
        ? healthText(reader, cell, v.value)
        : cellValueText(reader, cell, metric, v.value);
    const age = reader.ageOf(cell.node, v.time, now);
    const fresh = !isStale(age, reader.node(cell.node)?.interval);
    state = fresh && presence === 'live' ? 'fresh' : 'stale';
    lines.push(`${label}: ${valueText}`);
    lines.push(
      presence !== 'live'
        ? `source ${presence}: value ${formatOld(age)}`
        : fresh
          ? `updated ${formatAge(age)}`
          : `stale: ${formatOld(age)}`,
    );
  }
  if (state === 'missing' || state === 'absent') lines.push(`${label}: ${valueText}`);
  if (metric !== 'device.health') {
    const health = deviceHealth(reader, cell.node, cell.device);
    if (health !== 'unknown') lines.push(`Health: ${HEALTH_LABEL[health]}`);
  }
  if (cell.device.inferred) lines.push('inventory not received yet');
  if (cell.device.lost) lines.push('missing from the node’s latest inventory');
  const listed = (diagnoses ?? []).map((d) => ({
    severity: d.severity,
    text: `${SEVERITY_LABEL[d.severity]}${d.count > 1 ? ` ×${d.count}` : ''}: ${d.title}`,
  }));
  return { title, state, valueText, lines, diagnoses: listed };
}
