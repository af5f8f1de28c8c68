/**
 * /proc/loadavg: "0.00 0.18 0.20 2/98 18327" — the 1, 5 and 15 minute load averages, then
 * runnable/total tasks and the last PID (not used).
 */
import type { Sample } from '../../core/model.js';
import { absentSample, okSample } from '../../core/model.js';
import { lineProblem, type LineProblem } from './problems.js';

export interface Loadavg {
  /** [1 min, 5 min, 15 min], or undefined when the line did not parse. */
  load?: readonly [number, number, number];
  problems: LineProblem[];
}

const WINDOWS = ['1', '5', '15'] as const;

export function parseLoadavg(text: string): Loadavg {
  const line = text.split('\n', 1)[0]!;
  const words = line.trim().split(/\s+/);
  const nums = words.slice(0, 3).map((w) => (/^\d+(\.\d+)?$/.test(w) ? Number(w) : NaN));
  if (nums.length < 3 || nums.some(Number.isNaN)) {
    return { problems: [lineProblem(1, 'expected three load averages', line)] };
  }
  return { load: nums as unknown as [number, number, number], problems: [] };
}

export function loadSamples(info: Loadavg): Sample[] {
  return WINDOWS.map((w, i) =>
    info.load ? okSample(`host.load.${w}`, info.load[i]!) : absentSample(`host.load.${w}`, 'error'),
  );
}
