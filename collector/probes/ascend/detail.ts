/**
 * The slower per-NPU `npu-smi info -t usages -i N` answers, kept between their rounds. The table
 * is read every tick and is the fresher source, so a detail value only fills a metric the table
 * lacks (AI CPU, AI Vector, memory bandwidth) or left without a value. Kept values carry the time
 * they were taken (Sample.t), so a reader can see their age.
 */
import { absentSample, type Sample } from '../../core/model.js';
import type { ParseProblem } from './cells.js';
import type { InfoTResult } from './infoT.js';
import type { TableChip } from './infoTable.js';

/** Metrics only `-t usages` gives: missing (never 0) when that query fails. */
export const DETAIL_ONLY = [
  'device.aicpu.utilization',
  'device.aivector.utilization',
  'device.memory.bandwidth.utilization',
] as const;

export class DetailCache {
  private readonly byDevice = new Map<string, Sample[]>();

  /** Files one NPU's `-t usages` answer under its chips; returns what could not be placed. */
  store(chips: readonly TableChip[], result: InfoTResult, t: number): ParseProblem[] {
    const problems = [...result.problems];
    const placed = new Set<string>();
    result.chips.forEach((entry, i) => {
      const chip = resolveChip(chips, entry.chipId, i, result.chips.length);
      if (chip === undefined) {
        const which = entry.chipId === undefined ? 'without a Chip ID' : `Chip ID ${entry.chipId}`;
        problems.push({ line: entry.line, message: `values ${which} match no chip of this NPU` });
        return;
      }
      placed.add(chip.id);
      this.byDevice.set(
        chip.id,
        entry.samples.map((s) => ({ ...s, d: chip.id, t })),
      );
    });
    const unplaced = chips.filter((c) => !placed.has(c.id));
    if (unplaced.length > 0) {
      if (result.chips.length === 0)
        problems.push({ line: 0, message: 'no chip values in the output' });
      this.fail(unplaced, t);
    }
    return problems;
  }

  /** The query failed: the detail-only metrics of these chips are missing. */
  fail(chips: readonly TableChip[], t: number): void {
    for (const chip of chips) {
      this.byDevice.set(
        chip.id,
        DETAIL_ONLY.map((m) => absentSample(m, 'missing', undefined, { d: chip.id, t })),
      );
    }
  }

  /** Forgets devices that are gone. */
  retain(ids: ReadonlySet<string>): void {
    for (const id of [...this.byDevice.keys()]) if (!ids.has(id)) this.byDevice.delete(id);
  }

  /** The table's samples with the kept detail values added where the table has none. */
  merge(samples: readonly Sample[], now: number): Sample[] {
    const out = [...samples];
    const index = new Map<string, number>();
    out.forEach((s, i) => {
      if (s.l === undefined) index.set(`${s.d}\u0000${s.m}`, i);
    });
    for (const [d, kept] of this.byDevice) {
      for (const sample of kept) {
        const stamped = sample.t === now ? withoutTime(sample) : sample;
        const key = `${d}\u0000${sample.m}`;
        const i = index.get(key);
        if (i === undefined) {
          index.set(key, out.push(stamped) - 1);
        } else if (out[i]!.v === null && sample.v !== null) {
          out[i] = stamped;
        }
      }
    }
    return out;
  }
}

/** By Chip ID; without one, the only chip, or the n-th when the counts agree. */
function resolveChip(
  chips: readonly TableChip[],
  chipId: number | undefined,
  position: number,
  count: number,
): TableChip | undefined {
  if (chipId !== undefined) return chips.find((c) => c.chip === chipId);
  if (chips.length === 1 && count === 1) return chips[0];
  return count === chips.length ? chips[position] : undefined;
}

function withoutTime(sample: Sample): Sample {
  const copy = { ...sample };
  delete copy.t;
  return copy;
}
