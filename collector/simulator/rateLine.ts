/** The simulator's periodic status line, from counts over one window. Pure. */
export interface RateWindow {
  nodes: number;
  ms: number;
  messages: number;
  samples: number;
  bytes: number;
  /** Worst lateness of a tick against its schedule (ms). */
  maxLagMs: number;
  /** Mean time to build and publish one tick (ms). */
  meanTickMs: number;
  /** Messages not sent because the NATS link was down. */
  dropped: number;
  /** Ticks skipped because the simulator fell more than an interval behind. */
  skipped: number;
}

function compact(n: number): string {
  if (n >= 10_000_000) return `${Math.round(n / 1_000_000)}M`;
  if (n >= 1_000_000) return `${(n / 1_000_000).toFixed(1)}M`;
  if (n >= 10_000) return `${Math.round(n / 1000)}k`;
  if (n >= 1000) return `${(n / 1000).toFixed(1)}k`;
  return String(Math.round(n));
}

export function rateLine(w: RateWindow): string {
  const per = (n: number): number => (w.ms > 0 ? (n * 1000) / w.ms : 0);
  const mbps = per(w.bytes) / (1024 * 1024);
  let line =
    `sim: ${w.nodes} nodes, ${compact(per(w.messages))} msgs/s, ${compact(per(w.samples))} samples/s, ` +
    `lag ${Math.round(w.maxLagMs)} ms (tick ${w.meanTickMs.toFixed(1)} ms, ${mbps.toFixed(1)} MB/s)`;
  if (w.dropped > 0) line += `, ${w.dropped} messages dropped while NATS was unreachable`;
  if (w.skipped > 0) line += `, ${w.skipped} ticks skipped to catch up`;
  return line;
}
