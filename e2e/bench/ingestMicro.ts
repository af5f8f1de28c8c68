/**
 * The Node half of the ingest benchmark: what decode and store cost per message at fleet shape,
 * without a browser, so a change to either can be judged in seconds. Run by ingestMicro.mjs.
 */
import { GCProfiler } from 'node:v8';

import { COMPILED_CHECKS } from '../../collector/core/protocol/compiled/check.js';
import { decodeMessage } from '../../collector/core/protocol/decode.js';
import { isMetricsMessage } from '../../collector/core/protocol/fastValidate.js';
import { MetricsMessage as MetricsSchema } from '../../collector/core/protocol/spec.js';
import { dropUnknownFields } from '../../collector/core/protocol/unknownFields.js';
import { sampleCount } from '../../collector/core/protocol/grids.js';
import type { MetricsMessage, WireMessage } from '../../collector/core/protocol/spec.js';
import { FLEET_STORE_OPTIONS, LiveStore } from '../../renderer/src/store/LiveStore.js';
import { syntheticInventory, syntheticMetrics } from '../../renderer/src/testing/syntheticFleet.js';

export interface MicroOptions {
  nodes: number;
  devicesPerNode: number;
  rateHz: number;
  seconds: number;
  /** How the messages pack their values (protocol spec.ts): grids, or one object per sample. */
  encoding: 'grids' | 'samples';
}

export interface MicroResult {
  samplesPerMessage: number;
  bytesPerMessage: number;
  /** µs per message. */
  parseUs: number;
  decodeUs: number;
  /** The validation step alone, on parsed messages: hand-written vs TypeBox's compiled check. */
  fastValidateUs: number;
  compiledCheckUs: number;
  /** The evolution rule's step after validation: unknown fields looked for (none here). */
  dropUs: number;
  ingestUs: number;
  /** decode + ingest, in samples per second of one core. */
  capacitySamplesPerSecond: number;
  /** Bytes the store allocates per ingested sample once every series exists. */
  ingestAllocBytesPerSample: number;
}

export function runIngestMicro(opts: MicroOptions): MicroResult {
  const interval = 1000 / opts.rateHz;
  const fleet = { devicesPerNode: opts.devicesPerNode, interval, encoding: opts.encoding };
  const ticks = Math.max(4, Math.round(opts.seconds * opts.rateHz));
  const store = new LiveStore(FLEET_STORE_OPTIONS);
  const inventories: WireMessage[] = [];
  for (let n = 0; n < opts.nodes; n++) inventories.push(syntheticInventory(n, 0, fleet));
  store.ingest({ messages: inventories, receivedAt: 0 });

  // A frame's worth of messages per ingest call: 1,024 messages/s at 60 frames/s is ~17.
  const perFrame = Math.max(1, Math.round((opts.nodes * opts.rateHz) / 60));
  let parse = 0;
  let decode = 0;
  let fast = 0;
  let compiled = 0;
  let dropped = 0;
  let ingest = 0;
  let bytes = 0;
  let samples = 0;
  for (let t = 0; t < ticks; t++) {
    // Encoded per tick, outside the timed sections, so only the reader's work is timed.
    const texts: string[] = [];
    for (let n = 0; n < opts.nodes; n++) {
      texts.push(JSON.stringify(syntheticMetrics(n, t, t * interval, fleet)));
    }
    bytes = texts[0]!.length;
    for (let i = 0; i < texts.length; i += perFrame) {
      const slice = texts.slice(i, i + perFrame);
      let t0 = performance.now();
      const parsed: unknown[] = [];
      for (const text of slice) parsed.push(JSON.parse(text));
      parse += performance.now() - t0;
      // The two validators in turn, first one then the other by tick, on the same values.
      for (const which of t % 2 === 0 ? [0, 1] : [1, 0]) {
        const check = which === 0 ? isMetricsMessage : COMPILED_CHECKS.metrics;
        t0 = performance.now();
        for (const value of parsed) if (!check(value)) throw new Error('invalid metrics');
        if (which === 0) fast += performance.now() - t0;
        else compiled += performance.now() - t0;
      }
      t0 = performance.now();
      for (const value of parsed) if (dropUnknownFields(MetricsSchema, value) !== 0) throw Error();
      dropped += performance.now() - t0;
      t0 = performance.now();
      const messages: WireMessage[] = [];
      for (const text of slice) {
        const r = decodeMessage(text);
        if (!r.ok) throw new Error(r.problem.message);
        messages.push(r.message);
      }
      decode += performance.now() - t0;
      samples = sampleCount(messages[0] as MetricsMessage);
      t0 = performance.now();
      store.ingest({ messages, receivedAt: t * interval });
      ingest += performance.now() - t0;
    }
  }
  const total = ticks * opts.nodes;
  const perMessage = (decode + ingest) / total;
  return {
    samplesPerMessage: samples,
    bytesPerMessage: bytes,
    parseUs: (1000 * parse) / total,
    decodeUs: (1000 * decode) / total,
    fastValidateUs: (1000 * fast) / total,
    compiledCheckUs: (1000 * compiled) / total,
    dropUs: (1000 * dropped) / total,
    ingestUs: (1000 * ingest) / total,
    capacitySamplesPerSecond: Math.round((samples * 1000) / perMessage),
    ingestAllocBytesPerSample: ingestAllocation(store, opts.nodes, ticks, fleet),
  };
}

/**
 * Allocation of ingest alone: one tick's messages decoded once, then re-stamped and ingested again
 * and again, with every byte the heap grew by counted across garbage collections.
 */
function ingestAllocation(
  store: LiveStore,
  nodes: number,
  fromTick: number,
  fleet: { devicesPerNode: number; interval: number; encoding: MicroOptions['encoding'] },
): number {
  const messages: MetricsMessage[] = [];
  for (let n = 0; n < nodes; n++) messages.push(syntheticMetrics(n, 0, 0, fleet));
  const rounds = 40;
  const profiler = new GCProfiler();
  profiler.start();
  const before = process.memoryUsage().heapUsed;
  for (let r = 0; r < rounds; r++) {
    const ts = (fromTick + r) * fleet.interval;
    for (const m of messages) m.ts = ts;
    store.ingest({ messages, receivedAt: ts });
  }
  const after = process.memoryUsage().heapUsed;
  const profile = profiler.stop();
  let collected = 0;
  for (const gc of profile.statistics) {
    collected += gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize;
  }
  const samples = rounds * nodes * sampleCount(messages[0]!);
  return Math.max(0, Math.round((after - before + collected) / samples));
}
