/**
 * Per-second rates from two readings of byte counters (network interfaces, disks). A value with
 * no earlier reading (first collect, a device that just appeared) or whose counter went back (a
 * re-created interface, a wrapped counter) is missing for that round, never 0 and never negative.
 */
import type { Sample } from '../../core/model.js';
import { absentSample, okSample } from '../../core/model.js';

/** Two byte counters per device: [in, out] for interfaces, [read, written] for disks. */
export type CounterPair = readonly [number, number];

export interface CounterReading {
  /** When the file was read (ms). */
  at: number;
  counters: ReadonlyMap<string, CounterPair>;
  /** Devices whose line was there but did not parse this time. */
  broken: readonly string[];
}

export interface RateSpec {
  metrics: readonly [string, string];
  /** The label naming the device: `interface`, `disk`. */
  label: string;
}

export function rateSamples(
  spec: RateSpec,
  prev: CounterReading | undefined,
  cur: CounterReading,
): Sample[] {
  const samples: Sample[] = [];
  const seconds = prev === undefined ? 0 : (cur.at - prev.at) / 1000;
  for (const [name, pair] of cur.counters) {
    const before = seconds > 0 ? prev?.counters.get(name) : undefined;
    const l = { [spec.label]: name };
    for (const k of [0, 1] as const) {
      const delta = before === undefined ? -1 : pair[k] - before[k];
      samples.push(
        delta >= 0
          ? okSample(spec.metrics[k], delta / seconds, { l })
          : absentSample(spec.metrics[k], 'missing', undefined, { l }),
      );
    }
  }
  for (const name of cur.broken) {
    for (const m of spec.metrics)
      samples.push(absentSample(m, 'error', undefined, { l: { [spec.label]: name } }));
  }
  return samples;
}
