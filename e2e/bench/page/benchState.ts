/** What a benchmark page records, on window.bench, for the runner (ingest.mjs) to read. */
export interface BenchState {
  ready: boolean;
  /** Messages and metric samples received (bare) or ingested into the store (osprey). */
  messages: number;
  samples: number;
  /** [performance.now(), latency ms]: publish→receive (bare) or publish→pixel (osprey). */
  latencies: Array<[number, number]>;
  /** [startTime, duration] of every main-thread long task. */
  longTasks: Array<[number, number]>;
  /** Heatmap repaints: [performance.now(), paint ms, cells]. */
  paints: Array<[number, number, number]>;
  /** Animation frames seen: every frame is at least one main-thread task. */
  frames: number;
  echarts?: { cells: number; setOptionMs: number[] };
}

declare global {
  interface Window {
    bench: BenchState;
  }
}

export function benchState(): BenchState {
  window.bench = {
    ready: false,
    messages: 0,
    samples: 0,
    latencies: [],
    longTasks: [],
    paints: [],
    frames: 0,
  };
  const count = () => {
    window.bench.frames += 1;
    requestAnimationFrame(count);
  };
  requestAnimationFrame(count);
  return window.bench;
}
