/**
 * The profile model every importer produces and every view, diff and command reads: frames in a
 * table, stacks as frame indices root → leaf, samples as (stack, weight, count). Plain arrays of
 * numbers rather than objects per sample: a 1M-sample profile is 1M small integers, not 1M objects
 * (the bench in e2e/bench/flame.mjs holds 1M samples over ~200k unique stacks).
 */

/** What a frame is, for colouring and for the "module" grouping. */
export type FrameKind = 'python' | 'native' | 'kernel' | 'cuda-kernel' | 'jit' | 'gpu-op' | 'other';

export interface Frame {
  /** Function, op or kernel name, as the tool wrote it (shown as text, never as HTML). */
  readonly name: string;
  readonly file?: string | undefined;
  readonly line?: number | undefined;
  /** Python package, shared library (DSO) or "CUDA" — what "colour by module" groups by. */
  readonly module?: string | undefined;
  readonly kind: FrameKind;
}

/**
 * What a weight measures. Two profiles can be diffed only with the same unit and measure:
 * samples of CPU are not nanoseconds of wall time.
 */
export type WeightUnit = 'samples' | 'nanoseconds' | 'bytes' | 'count';
export type Measure = 'cpu' | 'wall' | 'gpu' | 'alloc' | 'other';

export interface Profile {
  /** Thread, process or device this profile is of ("MainThread (pid 4121)", "GPU 0 stream 7"). */
  readonly name: string;
  readonly unit: WeightUnit;
  readonly measure: Measure;
  readonly frames: readonly Frame[];
  /** Unique stacks, each root → leaf as indices into `frames`. */
  readonly stacks: readonly (readonly number[])[];
  /** Per sample: its index into `stacks`. */
  readonly sampleStacks: readonly number[];
  /** Per sample: its weight in `unit` (a folded line's count, a pprof value, a span's duration). */
  readonly weights: readonly number[];
  /**
   * Per sample: how many samples or calls it stands for (a folded line of count 7 is 7; a span
   * is 1). Absent: each entry is one. The top-functions table's "calls" column sums it.
   */
  readonly counts?: readonly number[] | undefined;
  /** Where the profile came from, when the file says: pid, thread id, device, stream. */
  readonly labels?: Readonly<Record<string, string>> | undefined;
}

/** What the file says about how it was taken; every field optional (folded text says nothing). */
export interface ProfileMeta {
  /** The tool that wrote it: "py-spy", "perf", "pprof (go)", "pytorch profiler", "pyroscope". */
  readonly source?: string | undefined;
  readonly durationNs?: number | undefined;
  readonly rateHz?: number | undefined;
  /** Wall-clock start, ms since the epoch. */
  readonly startMs?: number | undefined;
  /** pprof: the other sample types the file holds, to choose from. */
  readonly sampleTypes?: readonly string[] | undefined;
}

/** Identifies each importer; `detectFormat` returns one of these from the bytes alone. */
export type ProfileFormat =
  | 'folded'
  | 'perf-script'
  | 'speedscope'
  | 'pprof'
  | 'pyroscope'
  | 'austin'
  | 'chrome-trace'
  | 'dtrace'
  | 'bpftrace';

/** One opened file: one or more profiles (threads, processes, devices) and what the file says. */
export interface ProfileSet {
  readonly format: ProfileFormat;
  /** File name or capture description ("py-spy · pid 4121 · node-017"). */
  readonly name: string;
  readonly profiles: readonly Profile[];
  readonly meta: ProfileMeta;
  /** Lines or records skipped with a reason ("line 14: no count after the stack"), capped. */
  readonly warnings: readonly string[];
}

/** Files above this are refused before a byte is read: 2 GB would not fit in a JS string anyway. */
export const MAX_PROFILE_BYTES = 1024 * 1024 * 1024;

/** A frame's identity for grouping across a profile or across two (diff): name and file. */
export function functionKey(frame: Frame): string {
  return frame.file === undefined ? frame.name : `${frame.name}\u0000${frame.file}`;
}

/** Sum of the weights: what every tree built from the profile must total. */
export function totalWeight(profile: Profile): number {
  let sum = 0;
  for (const w of profile.weights) sum += w;
  return sum;
}
