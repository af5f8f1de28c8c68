/**
 * npu-smi health words onto the catalog's device.health scale (0 OK, 1 Warning, 2 Alarm,
 * 3 Critical) and event severities, through the core's one severity vocabulary
 * (core/diagnosis/severity.ts: Alarm is level 2, an error). `UNKNOWN` (the driver could not tell)
 * has no level: it is an absent sample, never 0, and still worth a warning.
 */
import { healthState, healthWordLevel, stateSeverity } from '../../core/diagnosis/severity.js';
import { absentSample, okSample, type Sample } from '../../core/model.js';
import type { Severity } from '../../core/protocol/spec.js';

/** The level of a health word, or undefined for `UNKNOWN`, `NA` and words npu-smi never printed. */
export function healthLevel(raw: string): number | undefined {
  return healthWordLevel(raw);
}

/** device.health from a health word; `d` is left out when the caller adds it later. */
export function healthSample(raw: string, d?: string): Sample {
  const extra = d === undefined ? undefined : { d };
  const level = healthLevel(raw);
  if (level !== undefined) return okSample('device.health', level, extra);
  const word = raw.trim();
  const status = word === '' ? 'missing' : /^(na|n\/a|-)$/i.test(word) ? 'unsupported' : 'error';
  return absentSample('device.health', status, word === '' ? undefined : word.slice(0, 64), extra);
}

/** Severity of an event about a chip in this state; an unknown state is a warning. */
export function healthSeverity(raw: string): Severity {
  return stateSeverity(healthState(healthLevel(raw)));
}
