/**
 * An engine's status in one word (serving, saturated, stalled, down), by rules kept as data so the
 * table can show each rule on hover with the numbers that decided it. Issue 14: an engine on a dead
 * GPU read "—" and "updated just now" (its samples kept arriving, empty), and one at KV cache 100 %
 * with 140 waiting looked like any other row.
 */

export type EngineStatus = 'down' | 'stalled' | 'saturated' | 'serving' | 'unknown';

/** The thresholds, named. */
export const ENGINE_RULES = {
  /**
   * KV cache at or above this share is full: vLLM preempts running requests once it cannot
   * allocate a block, and new ones wait.
   */
  saturatedKvCachePercent: 95,
  /**
   * A queue longer than this while the batch is at its largest (its maximum over the table's
   * history, vLLM's max_num_seqs being 256 by default) is demand the engine cannot take in.
   */
  saturatedWaiting: 16,
  /** Requests waiting and not one token generated for this long (ms): the engine is stuck. */
  stalledMs: 10_000,
  /** No value from the engine for more than this many of its node's sampling intervals. */
  downIntervals: 3,
} as const;

export type EngineRules = { readonly [K in keyof typeof ENGINE_RULES]: number };

/** Worst first: the order the table sorts by status in. */
export const STATUS_ORDER: readonly EngineStatus[] = [
  'down',
  'stalled',
  'saturated',
  'serving',
  'unknown',
];

export const STATUS_LABEL: Record<EngineStatus, string> = {
  down: 'Down',
  stalled: 'Stalled',
  saturated: 'Saturated',
  serving: 'Serving',
  unknown: 'Unknown',
};

/** Each status's rule in words, with the thresholds' values. */
export function statusRules(rules: EngineRules = ENGINE_RULES): Record<EngineStatus, string> {
  return {
    down:
      `Down: no value from the engine for more than ${rules.downIntervals} sampling intervals, ` +
      'or no value while a device of its node has a critical diagnosis.',
    stalled: `Stalled: requests waiting and no token generated for ${rules.stalledMs / 1000} s or more.`,
    saturated:
      `Saturated: KV cache ≥ ${rules.saturatedKvCachePercent} %, or more than ` +
      `${rules.saturatedWaiting} requests waiting with the running batch at its largest.`,
    serving: 'Serving: values arriving, none of the rules above holds.',
    unknown: 'Unknown: the source is not live, so nothing can be said of the engine now.',
  };
}

/** What the rules read of one engine (its latest values and what its history says). */
export interface EngineStatusInput {
  /** Latest numeric values; null when the latest sample had none. */
  running: number | null;
  waiting: number | null;
  kvCache: number | null;
  /** The largest running batch in the history held (null: never reported). */
  runningMax: number | null;
  /** Age (ms) of the engine's newest value; undefined when it never sent one. */
  lastValueAgeMs: number | undefined;
  /** How long (ms) generation has read 0 tok/s; undefined when it does not, or is not reported. */
  generationZeroMs: number | undefined;
  /** The node's sampling interval (ms). */
  intervalMs: number | undefined;
  /** Whether the source is live (a disconnected console knows nothing of now). */
  live: boolean;
  /** A critical diagnosis on a device of the engine's node, in words ("GPU 3: fell off the bus"). */
  fatal?: string | undefined;
}

export interface EngineStatusResult {
  status: EngineStatus;
  /** Why, with the numbers: "KV cache 100 % ≥ 95 %". */
  reason: string;
}

/** Interval assumed when a node has not said its own (the collector's default, 1 s). */
const DEFAULT_INTERVAL_MS = 1000;

export function engineStatus(
  input: EngineStatusInput,
  rules: EngineRules = ENGINE_RULES,
): EngineStatusResult {
  if (!input.live) return { status: 'unknown', reason: 'the source is not live' };
  const interval = input.intervalMs ?? DEFAULT_INTERVAL_MS;
  const downAfter = rules.downIntervals * interval;
  const silent = input.running === null && input.waiting === null && input.kvCache === null;
  if (input.lastValueAgeMs === undefined) {
    return { status: 'down', reason: 'no value received from the engine' };
  }
  if (input.lastValueAgeMs > downAfter) {
    return {
      status: 'down',
      reason: `no value for ${seconds(input.lastValueAgeMs)} (> ${rules.downIntervals} × ${seconds(interval)})`,
    };
  }
  if (input.fatal !== undefined && silent) {
    return { status: 'down', reason: `no value, and ${input.fatal}` };
  }
  const waiting = input.waiting ?? 0;
  if (
    waiting > 0 &&
    input.generationZeroMs !== undefined &&
    input.generationZeroMs >= rules.stalledMs
  ) {
    return {
      status: 'stalled',
      reason: `${waiting} waiting, 0 tok/s generated for ${seconds(input.generationZeroMs)}`,
    };
  }
  if (input.kvCache !== null && input.kvCache >= rules.saturatedKvCachePercent) {
    return {
      status: 'saturated',
      reason: `KV cache ${round(input.kvCache)} % ≥ ${rules.saturatedKvCachePercent} %`,
    };
  }
  const atMax =
    input.running !== null &&
    input.running > 0 &&
    input.runningMax !== null &&
    input.running >= input.runningMax;
  if (waiting > rules.saturatedWaiting && atMax) {
    return {
      status: 'saturated',
      reason: `${waiting} waiting (> ${rules.saturatedWaiting}), running ${input.running} = its largest batch`,
    };
  }
  return { status: 'serving', reason: 'values arriving' };
}

/** "1.5 s" under 10 s, whole seconds above ("24 s"): the tenths say nothing there. */
function seconds(ms: number): string {
  return ms < 10_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms / 1000)} s`;
}

function round(v: number): number {
  return Math.round(v * 10) / 10;
}
