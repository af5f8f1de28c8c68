/**
 * From the newest row per GPU to what `collect` returns, pure: devices and samples (stale rows as
 * "missing"), and the probe state with its message.
 */
import { absentSample } from '../../core/model.js';
import type { DeviceInfo, ProbeStatus, Sample } from '../../core/model.js';
import type { GpuRow } from './gpuRow.js';

export interface LatestRow {
  row: GpuRow;
  /** When the row arrived (ms). */
  t: number;
  /** The row's samples as gpuReadings gives them, fresh and stale: made once per row, not per tick. */
  stamped?: Sample[];
  missing?: Sample[];
}

/**
 * Devices in index order; samples stamped with their row's time, or missing once stale. The
 * samples are built once per row and kept on it (`stamped`, `missing`), so a tick allocates no
 * per-sample objects: at 1,024 GPUs that was ~25,000 objects a second living a tick each, which
 * is what grows V8's young generation (issue 10). Callers must not modify them.
 */
export function gpuReadings(
  rows: Iterable<LatestRow>,
  now: number,
  staleAfterMs: number,
): { devices: DeviceInfo[]; samples: Sample[] } {
  const sorted = [...rows].sort((a, b) => a.row.device.index - b.row.device.index);
  const samples: Sample[] = [];
  for (const r of sorted) {
    const { row, t } = r;
    const list =
      now - t > staleAfterMs
        ? (r.missing ??= row.samples.map((s) =>
            absentSample(s.m, 'missing', undefined, { d: s.d }),
          ))
        : (r.stamped ??= row.samples.map((s) => ({ ...s, t })));
    for (const s of list) samples.push(s);
  }
  return { devices: sorted.map((r) => r.row.device), samples };
}

export interface StateInput {
  /** Why the GPUs cannot be read at all, if so. */
  failure?: { state: 'absent' | 'error'; message: string };
  rows: readonly LatestRow[];
  /** Summary of recent output problems (ProblemLog). */
  problems?: string;
  now: number;
  staleAfterMs: number;
}

export type JudgedState = Pick<ProbeStatus, 'state' | 'message'>;

/**
 * Error while the GPUs cannot be read, including a stream gone silent (a hung nvidia-smi is how a
 * GPU falling off the bus often looks); degraded while recent output had problems or one GPU's
 * rows stopped; else ok. Messages hold no running counters, so the status does not churn.
 */
export function judgeState(input: StateInput): JudgedState {
  const { failure, rows, now, staleAfterMs } = input;
  if (failure) {
    // What went wrong with the output before it failed (a 70 MB line, 76,208 GPUs) is the cause
    // an operator needs, so it is told too.
    const also = failure.state === 'error' && input.problems ? `; ${input.problems}` : '';
    return { state: failure.state, message: `${failure.message}${also}` };
  }
  const stale = rows.filter((r) => now - r.t > staleAfterMs);
  const silence = `for over ${staleAfterMs / 1000} s`;
  if (rows.length > 0 && stale.length === rows.length) {
    return { state: 'error', message: `nvidia-smi has printed no rows ${silence}` };
  }
  // Named one by one up to three; past that a count, so the message stays short (a status is at
  // most 4,096 characters on the wire).
  const silent =
    stale.length <= 3
      ? stale.map((r) => `no rows from GPU ${r.row.device.index} (${r.row.device.id}) ${silence}`)
      : [
          `no rows from ${stale.length} GPUs (${stale
            .slice(0, 3)
            .map((r) => r.row.device.index)
            .join(', ')}, …) ${silence}`,
        ];
  const trouble = [...silent, ...(input.problems === undefined ? [] : [input.problems])];
  return trouble.length > 0 ? { state: 'degraded', message: trouble.join('; ') } : { state: 'ok' };
}
