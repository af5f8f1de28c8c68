/**
 * Device metrics that are states, not magnitudes (catalog kinds `state` and `bitmask`), as words:
 * health 0–3 in the core's one vocabulary (OK, Warning, Error, Critical: severity.ts), the throttle bitmask decoded into its reasons ("SW thermal slowdown
 * + HW slowdown", never "96"), the performance state as P0 … P15. A state is never charted as a
 * number: the drawer draws a strip of named states and lists its changes, the heatmap colours it
 * by category with a legend of words.
 */
import { metricDef } from '../../../../collector/core/catalog.js';
import { vendorHealthWord } from '../../../../collector/core/diagnosis/severity.js';
import { decodeThrottleReasons } from '../../../../collector/core/throttle.js';
import { COLORS } from '../../charts/theme.js';
import { HEALTH_COLORS } from './colorScale.js';
import { HEALTH_LABEL, healthOf } from './fleetMetrics.js';
import type { Health } from './types.js';

/** Whether the catalog calls the metric a state or a bitmask. */
export function isStateMetric(metric: string): boolean {
  const kind = metricDef(metric)?.kind;
  return kind === 'state' || kind === 'bitmask';
}

/** nvidia-smi's reasons in the short words its own `-q` output uses ("SW Thermal Slowdown"). */
const THROTTLE_WORDS: Record<string, string> = {
  gpu_idle: 'Idle',
  applications_clocks_setting: 'Application clocks',
  sw_power_cap: 'SW power cap',
  hw_slowdown: 'HW slowdown',
  sync_boost: 'Sync boost',
  sw_thermal_slowdown: 'SW thermal slowdown',
  hw_thermal_slowdown: 'HW thermal slowdown',
  hw_power_brake_slowdown: 'HW power brake',
  display_clock_setting: 'Display clock',
};

/** The reasons of a throttle bitmask in words, in bit order; "None" for 0. */
export function throttleText(mask: number): string {
  const reasons = decodeThrottleReasons(mask);
  if (reasons.length === 0) return 'None';
  return reasons.map((r) => THROTTLE_WORDS[r.id] ?? r.label).join(' + ');
}

/** A state metric's value as a word; undefined for metrics that are magnitudes. */
export function stateText(metric: string, value: number): string | undefined {
  switch (metric) {
    case 'device.health': {
      const h = healthOf(value);
      if (h === 'unknown') return `unknown state ${value}`;
      // The core's word; the tool's own where it differs (npu-smi says "Alarm" for level 2).
      const tool = vendorHealthWord(value);
      return tool !== undefined && tool !== HEALTH_LABEL[h]
        ? `${HEALTH_LABEL[h]} (reported as ${tool})`
        : HEALTH_LABEL[h];
    }
    case 'device.throttle.reasons':
      return Number.isInteger(value) && value >= 0 ? throttleText(value) : `invalid mask ${value}`;
    case 'device.pstate':
      return Number.isInteger(value) ? `P${value}` : `invalid state ${value}`;
    default:
      return isStateMetric(metric) ? String(value) : undefined;
  }
}

/** One colour category of a state metric on the heatmap. */
export interface StateCategory {
  label: string;
  color: string;
}

export interface CategoricalScale {
  /** Mildest first; a cell takes the colour of `classify(value)`. */
  categories: readonly StateCategory[];
  classify: (value: number) => number;
}

const HEALTH_STATES: readonly Health[] = ['ok', 'warning', 'error', 'critical'];

/**
 * Throttle reasons by what they do to work asked for (throttle.ts `harmful`), worst present wins:
 * idle and clock settings slow nothing asked for; a power cap is routine under full load; thermal
 * slowdown means cooling cannot keep up; HW slowdown (or an unknown bit) is the board protecting
 * itself (power brake, over-temperature, bad power supply).
 */
const THROTTLE_CLASS: Record<string, number> = {
  sw_power_cap: 1,
  hw_power_brake_slowdown: 1,
  sw_thermal_slowdown: 2,
  hw_thermal_slowdown: 2,
  hw_slowdown: 3,
};

function throttleClass(mask: number): number {
  let worst = 0;
  for (const r of decodeThrottleReasons(mask)) {
    const c = r.id.startsWith('unknown_') ? 3 : r.harmful ? (THROTTLE_CLASS[r.id] ?? 3) : 0;
    worst = Math.max(worst, c);
  }
  return worst;
}

/**
 * How the heatmap colours a state metric, or undefined when it has no categories and must not be
 * offered as a colour (the performance state: 16 levels that are not a magnitude either).
 */
export function categoricalScale(metric: string): CategoricalScale | undefined {
  if (metric === 'device.health') {
    return {
      categories: HEALTH_STATES.map((h) => ({ label: HEALTH_LABEL[h], color: HEALTH_COLORS[h] })),
      classify: (v) => Math.min(3, Math.max(0, Math.round(v))),
    };
  }
  if (metric === 'device.throttle.reasons') {
    return {
      categories: [
        { label: 'No slowdown', color: COLORS.textMuted },
        { label: 'Power cap', color: HEALTH_COLORS.warning },
        { label: 'Thermal slowdown', color: HEALTH_COLORS.error },
        { label: 'HW slowdown', color: HEALTH_COLORS.critical },
      ],
      classify: (v) => (Number.isInteger(v) && v >= 0 ? throttleClass(v) : 3),
    };
  }
  return undefined;
}

/** A stretch of time in one state, for the drawer's strip. */
export interface StateSpan {
  /** Local ms. */
  from: number;
  to: number;
  /** The state in words; "no data" for a gap. */
  text: string;
  color: string;
}

/** A change of state: when, from what, to what. */
export interface StateChange {
  at: number;
  from: string;
  to: string;
}

/** The colour a state takes in the strip: its heatmap category's, else the device colour. */
function spanColor(metric: string, value: number | null): string {
  if (value === null) return COLORS.noData;
  const scale = categoricalScale(metric);
  return scale ? scale.categories[scale.classify(value)]!.color : '#5794f2';
}

/**
 * Points (oldest first, local ms) → consecutive spans of one state each. A span lasts until the
 * next point that differs; the last one ends at its last point.
 */
export function stateSpans(
  metric: string,
  points: ReadonlyArray<[number, number | null]>,
): StateSpan[] {
  const spans: StateSpan[] = [];
  let prev: number | null | undefined;
  for (const [t, v] of points) {
    const last = spans[spans.length - 1];
    if (last && v === prev) {
      last.to = t;
      continue;
    }
    if (last) last.to = t;
    spans.push({
      from: t,
      to: t,
      text: v === null ? 'no data' : stateText(metric, v)!,
      color: spanColor(metric, v),
    });
    prev = v;
  }
  return spans;
}

/** The changes of state, newest first, at most `max`. Gaps (no data) are not changes. */
export function stateChanges(
  metric: string,
  points: ReadonlyArray<[number, number | null]>,
  max = 8,
): StateChange[] {
  const out: StateChange[] = [];
  let prev: number | undefined;
  for (const [t, v] of points) {
    if (v === null) continue;
    if (prev !== undefined && v !== prev) {
      out.push({ at: t, from: stateText(metric, prev)!, to: stateText(metric, v)! });
    }
    prev = v;
  }
  return out.reverse().slice(0, max);
}

/** Whether the heatmap may colour by the metric: a magnitude, or a state with categories. */
export function colourable(metric: string): boolean {
  return !isStateMetric(metric) || categoricalScale(metric) !== undefined;
}
