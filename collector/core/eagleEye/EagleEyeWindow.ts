/**
 * Eagle Eye publishes after every decode batch: tens of messages per second per engine. Drawing
 * each would cost a store update per step for nothing a person can see, so readings are gathered
 * per engine over a display tick and drained as ordinary metrics messages, one per node, in the
 * shared engine convention (samples `engine.*`, labels engine / model / framework). Gauges keep
 * their latest value; ratio rules sum numerator and denominator over the window first, so a
 * hit rate is Σ hits / Σ queries, not a mean of per-step rates.
 */
import { PROTOCOL_VERSION, type MetricsMessage, type Sample } from '../protocol/spec.js';
import type { EagleEyeReading, ReadingValue } from './mapEagleEye.js';

interface EngineWindow {
  cluster: string;
  node: string;
  engine: string;
  model?: string;
  ts: number;
  values: Map<string, ReadingValue>;
  ratios: Map<string, { numerator: number; denominator: number; scale: number }>;
}

/** More engines than this in one window are refused (a hostile sender could invent names). */
export const MAX_ENGINES = 10_000;

export class EagleEyeWindow {
  private engines = new Map<string, EngineWindow>();
  private seq = 0;

  constructor(
    private readonly framework: string,
    private readonly maxEngines = MAX_ENGINES,
  ) {}

  get size(): number {
    return this.engines.size;
  }

  /**
   * Adds one reading; `cluster` applies when the reading names none, `receivedAt` when it has no
   * time. Returns false when the window is full and the reading was dropped.
   */
  add(reading: EagleEyeReading, cluster: string, receivedAt: number): boolean {
    const clusterName = reading.cluster ?? cluster;
    const key = `${clusterName}\u0000${reading.node}\u0000${reading.engine}`;
    let entry = this.engines.get(key);
    if (!entry) {
      if (this.engines.size >= this.maxEngines) return false;
      entry = {
        cluster: clusterName,
        node: reading.node,
        engine: reading.engine,
        ts: 0,
        values: new Map(),
        ratios: new Map(),
      };
      this.engines.set(key, entry);
    }
    if (reading.model !== undefined) entry.model = reading.model;
    entry.ts = Math.max(entry.ts, reading.ts ?? receivedAt);
    for (const value of reading.values) entry.values.set(value.metric, value);
    for (const r of reading.ratios) {
      const sum = entry.ratios.get(r.metric) ?? { numerator: 0, denominator: 0, scale: r.scale };
      sum.numerator += r.numerator;
      sum.denominator += r.denominator;
      sum.scale = r.scale;
      entry.ratios.set(r.metric, sum);
    }
    return true;
  }

  /** One metrics message per node holding every engine seen since the last drain; then empty. */
  drain(intervalMs: number): MetricsMessage[] {
    const byNode = new Map<string, MetricsMessage>();
    for (const entry of this.engines.values()) {
      const nodeKey = `${entry.cluster}\u0000${entry.node}`;
      let message = byNode.get(nodeKey);
      if (!message) {
        message = {
          v: PROTOCOL_VERSION,
          type: 'metrics',
          cluster: entry.cluster,
          node: entry.node,
          ts: entry.ts,
          seq: this.seq++,
          interval: intervalMs,
          samples: [],
        };
        byNode.set(nodeKey, message);
      }
      message.ts = Math.max(message.ts, entry.ts);
      message.samples.push(...samplesOf(entry, this.framework));
    }
    this.engines = new Map();
    // Each engine's own step time, where it differs from the node message's newest.
    for (const message of byNode.values()) {
      for (const sample of message.samples) if (sample.t === message.ts) delete sample.t;
    }
    return [...byNode.values()];
  }
}

function samplesOf(entry: EngineWindow, framework: string): Sample[] {
  const l: Record<string, string> = { engine: entry.engine, framework };
  if (entry.model !== undefined) l.model = entry.model;
  const samples: Sample[] = [];
  for (const value of entry.values.values()) {
    const sample: Sample = { m: value.metric, v: value.v, l, t: entry.ts };
    if (value.s !== undefined) sample.s = value.s;
    if (value.raw !== undefined) sample.raw = value.raw;
    samples.push(sample);
  }
  for (const [metric, sum] of entry.ratios) {
    // No queries in the window: the hit rate is unknown, and 0 would be a lie.
    if (sum.denominator > 0) {
      samples.push({ m: metric, v: (sum.numerator / sum.denominator) * sum.scale, l, t: entry.ts });
    }
  }
  return samples;
}
