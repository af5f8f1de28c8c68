/**
 * The one severity vocabulary (issue 14): events, diagnoses, the fleet heatmap's device states and
 * the drawer all speak it, so an Xid 48 that is "critical" in the event list is "Critical" on the
 * device's cell too (before, the event said critical while the heatmap called the device "Alarm").
 *
 * - Severity (the wire's `info | warning | error | critical`) orders diagnoses and events.
 * - A device's state is the worse of what its vendor tool reports (`device.health` 0–3: npu-smi
 *   OK / Warning / Alarm / Critical) and its open diagnoses; its words are the severity words, so
 *   npu-smi's "Alarm" (level 2) reads "Error" like every other level-2 fact. The tool's own word is
 *   kept only as a detail (`vendorHealthWord`).
 */
import type { Severity } from '../protocol/spec.js';

export type { Severity };

/** Least to most severe. */
export const SEVERITIES: readonly Severity[] = ['info', 'warning', 'error', 'critical'];

export const SEVERITY_RANK: Readonly<Record<Severity, number>> = {
  info: 0,
  warning: 1,
  error: 2,
  critical: 3,
};

export const SEVERITY_LABEL: Readonly<Record<Severity, string>> = {
  info: 'Info',
  warning: 'Warning',
  error: 'Error',
  critical: 'Critical',
};

/**
 * Colour names (theme tokens, not values) per severity; `ok` for a device with nothing open and
 * `none` for one without data.
 */
export const SEVERITY_COLOUR: Readonly<Record<Severity, string>> = {
  info: 'info',
  warning: 'warning',
  error: 'error',
  critical: 'critical',
};

/** Worst first: the order lists and groups take. */
export const SEVERITY_ORDER: readonly Severity[] = ['critical', 'error', 'warning', 'info'];

export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITY_RANK[a] - SEVERITY_RANK[b];
}

export function worstSeverity(list: Iterable<Severity>): Severity | undefined {
  let worst: Severity | undefined;
  for (const s of list)
    if (worst === undefined || SEVERITY_RANK[s] > SEVERITY_RANK[worst]) worst = s;
  return worst;
}

/** At least as severe as `floor`. */
export function atLeast(s: Severity, floor: Severity): boolean {
  return SEVERITY_RANK[s] >= SEVERITY_RANK[floor];
}

/** A device's state: `ok`, a severity above info, or `unknown` (no data). */
export type DeviceState = 'ok' | 'warning' | 'error' | 'critical' | 'unknown';

export const DEVICE_STATES: readonly DeviceState[] = [
  'ok',
  'warning',
  'error',
  'critical',
  'unknown',
];

/** Worst first; unknown last (no data is not better news than OK, but it is not a fault). */
export const DEVICE_STATE_ORDER: readonly DeviceState[] = [
  'critical',
  'error',
  'warning',
  'ok',
  'unknown',
];

export const DEVICE_STATE_LABEL: Readonly<Record<DeviceState, string>> = {
  ok: 'OK',
  warning: SEVERITY_LABEL.warning,
  error: SEVERITY_LABEL.error,
  critical: SEVERITY_LABEL.critical,
  unknown: 'No data',
};

/** The vendor tool's words for `device.health` 0–3 (npu-smi), shown only as the tool's own text. */
export const VENDOR_HEALTH_WORDS: readonly string[] = ['OK', 'Warning', 'Alarm', 'Critical'];

const STATE_BY_LEVEL: readonly DeviceState[] = ['ok', 'warning', 'error', 'critical'];

/** `device.health` 0–3 → state; anything else (absent, NaN, out of range) is unknown. */
export function healthState(level: number | null | undefined): DeviceState {
  if (level === null || level === undefined || !Number.isInteger(level)) return 'unknown';
  return STATE_BY_LEVEL[level] ?? 'unknown';
}

/** A health word as npu-smi prints it (`OK`, `Warning`, `Alarm`, `Critical`) → level 0–3. */
export function healthWordLevel(word: string): number | undefined {
  const i = VENDOR_HEALTH_WORDS.findIndex((w) => w.toLowerCase() === word.trim().toLowerCase());
  return i < 0 ? undefined : i;
}

export function vendorHealthWord(level: number): string | undefined {
  return VENDOR_HEALTH_WORDS[level];
}

/** The severity of an event about a device in this state; unknown is worth a warning. */
export function stateSeverity(state: DeviceState): Severity {
  return state === 'ok' ? 'info' : state === 'unknown' ? 'warning' : state;
}

/** The state a severity puts a device in (info leaves it OK). */
export function severityState(s: Severity): DeviceState {
  return s === 'info' ? 'ok' : s;
}

/**
 * A device's state from its reported health and the severities of its open diagnoses: the worse
 * of the two. A lost device (gone from the inventory) is critical whatever it said before.
 */
export function deviceState(
  health: number | null | undefined,
  open: Iterable<Severity> = [],
  lost = false,
): DeviceState {
  if (lost) return 'critical';
  const reported = healthState(health);
  const worst = worstSeverity(open);
  if (worst === undefined || worst === 'info') return reported;
  if (reported === 'unknown') return severityState(worst);
  return SEVERITY_RANK[stateSeverity(reported)] >= SEVERITY_RANK[worst]
    ? reported
    : severityState(worst);
}
