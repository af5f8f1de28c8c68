import { describe, expect, it } from 'vitest';
import type { WireMessage } from '../../../collector/core/protocol/spec.js';
import { makeRecording } from '../player/testing/recording.js';
import { ENTRY_OVERHEAD_BYTES, FlightRecorder } from './FlightRecorder.js';

const START = Date.UTC(2026, 11, 2, 14, 0, 0);
const recording = makeRecording({ nodes: 3, start: START, durationMs: 60_000, intervalMs: 1000 });

function cost(m: WireMessage): number {
  return ENTRY_OVERHEAD_BYTES + 2 * JSON.stringify(m).length;
}

describe('FlightRecorder', () => {
  it('keeps only messages received within maxAgeMs of the latest batch, counting the rest as dropped by age', () => {
    const fr = new FlightRecorder({ maxAgeMs: 10_000, maxBytes: 1e9 });
    for (const r of recording) fr.ingest({ messages: [r.message], receivedAt: r.receiveTime });
    const last = recording[recording.length - 1]!.receiveTime;
    const expected = recording.filter((r) => r.receiveTime >= last - 10_000);
    expect(fr.since(0).map((e) => JSON.parse(e.json) as unknown)).toEqual(
      expected.map((r) => r.message),
    );
    expect(fr.dropped).toEqual({ byAge: recording.length - expected.length, byBytes: 0 });
    expect(fr.oldestAt).toBe(expected[0]!.receiveTime);
  });

  it('stays within maxBytes by dropping the oldest first, counted apart from age drops', () => {
    const sizes = recording.map((r) => cost(r.message));
    const maxBytes = sizes.slice(-20).reduce((a, b) => a + b, 0);
    const fr = new FlightRecorder({ maxAgeMs: 3_600_000, maxBytes });
    for (const r of recording) {
      fr.ingest({ messages: [r.message], receivedAt: r.receiveTime });
      expect(fr.bytes).toBeLessThanOrEqual(maxBytes);
    }
    expect(fr.length).toBe(20);
    expect(fr.bytes).toBe(maxBytes);
    expect(fr.dropped).toEqual({ byAge: 0, byBytes: recording.length - 20 });
    expect(fr.since(0).map((e) => e.receivedAt)).toEqual(
      recording.slice(-20).map((r) => r.receiveTime),
    );
  });

  it('trim(now) drops by age without a new batch, and since(t) returns receipt times ≥ t in order', () => {
    const fr = new FlightRecorder({ maxAgeMs: 30_000, maxBytes: 1e9 });
    for (const r of recording) fr.add(r.receiveTime, r.message);
    const last = recording[recording.length - 1]!.receiveTime;
    fr.trim(last + 25_000);
    expect(fr.oldestAt).toBeGreaterThanOrEqual(last - 5_000);
    const t = last - 2_000;
    const got = fr.since(t);
    expect(got.length).toBe(recording.filter((r) => r.receiveTime >= t).length);
    expect(
      got.every((e, i) => e.receivedAt >= t && (i === 0 || e.receivedAt >= got[i - 1]!.receivedAt)),
    ).toBe(true);
    expect(fr.bytes).toBe(fr.since(0).reduce((n, e) => n + e.bytes, 0));
  });

  it('keeps counting correctly across the ring compaction (many drops)', () => {
    const fr = new FlightRecorder({ maxAgeMs: 1_000, maxBytes: 1e9 });
    const m = recording[0]!.message;
    for (let i = 0; i < 5000; i++) fr.ingest({ messages: [m], receivedAt: i * 10 });
    // Window [49_990 - 1000, 49_990]: 101 messages of 10 ms.
    expect(fr.length).toBe(101);
    expect(fr.dropped.byAge).toBe(5000 - 101);
    expect(fr.bytes).toBe(101 * cost(m));
  });

  it('keeps each node’s latest inventory after the ring dropped it by age', () => {
    const fr = new FlightRecorder({ maxAgeMs: 5_000, maxBytes: 1e9 });
    for (const r of recording) fr.ingest({ messages: [r.message], receivedAt: r.receiveTime });
    expect(fr.since(0).some((e) => e.type === 'inventory')).toBe(false);
    const latest = new Map<string, number>();
    for (const r of recording)
      if (r.message.type === 'inventory') latest.set(r.message.node, r.receiveTime);
    const kept = fr.inventoriesBefore(Number.POSITIVE_INFINITY);
    expect(new Map(kept.map((e) => [e.node, e.receivedAt]))).toEqual(latest);
    expect(fr.inventoriesBefore(START)).toEqual([]);
  });
});
