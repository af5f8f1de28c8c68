/**
 * A recorded fleet for the player's tests, and the brute-force answers the tests check the player
 * against (what is due between two times, what a seek's backfill must hold).
 */
import type { WireMessage } from '../../../../collector/core/protocol/spec.js';
import type { RecordedMessage } from '../../../../collector/core/recorded/RecordedSource.js';
import { H100, events, inventory, metrics } from '../../testing/messages.js';

export interface RecordingSpec {
  nodes: number;
  start: number;
  durationMs: number;
  /** Each node's metrics interval (ms). */
  intervalMs: number;
  /** One event (from a node in turn) this often; none when undefined. */
  eventsEveryMs?: number;
}

export const nodeName = (i: number): string => `node-${String(i).padStart(3, '0')}`;

/**
 * Every node's inventory at the start; node i's metrics every interval from `start + i × 137 ms`
 * (so node 0 has metrics at the very start and nodes interleave); node 1 re-sends its inventory
 * halfway (the backfill must pick the latest); events at `start + 333 + k × eventsEveryMs`, plus
 * one at exactly a metrics time of node 0 (a tie, in file order after the metrics).
 */
export function makeRecording(spec: RecordingSpec): RecordedMessage[] {
  const out: RecordedMessage[] = [];
  const end = spec.start + spec.durationMs;
  let seq = 0;
  const at = (receiveTime: number, message: WireMessage) => out.push({ receiveTime, message });
  for (let i = 0; i < spec.nodes; i++) {
    at(
      spec.start,
      inventory([H100], undefined, { node: nodeName(i), ts: spec.start - 5, seq: seq++ }),
    );
  }
  for (let i = 0; i < spec.nodes; i++) {
    const offset = (i * 137) % spec.intervalMs;
    for (let t = spec.start + offset, k = 0; t <= end; t += spec.intervalMs, k++) {
      const samples = [{ m: 'device.utilization', v: (k * 7 + i) % 101, d: H100.id }];
      at(t, metrics(t - 5, samples, { node: nodeName(i), seq: seq++, interval: spec.intervalMs }));
    }
  }
  if (spec.nodes > 1) {
    const half = spec.start + Math.floor(spec.durationMs / 2) + 11;
    at(
      half,
      inventory([H100, { ...H100, id: 'GPU-1', uuid: 'GPU-1', index: 1 }], undefined, {
        node: nodeName(1),
        ts: half - 5,
        seq: seq++,
      }),
    );
  }
  if (spec.eventsEveryMs !== undefined) {
    for (let t = spec.start + 333, k = 0; t <= end; t += spec.eventsEveryMs, k++) {
      const node = nodeName(k % spec.nodes);
      at(
        t,
        events(t - 5, [{ ts: t - 5, kind: 'xid', severity: 'error', message: `xid ${k}` }], node),
      );
    }
    const tie = spec.start + 3 * spec.intervalMs;
    if (tie <= end) {
      at(
        tie,
        events(tie, [{ ts: tie, kind: 'probe', severity: 'info', message: 'tie' }], nodeName(0)),
      );
    }
  }
  // Stable: equal times keep the order they were made in (inventory, metrics, then events).
  return out.sort((a, b) => a.receiveTime - b.receiveTime);
}

/** Messages with `after < receiveTime ≤ upTo`, in order. */
export function dueBetween(
  recording: readonly RecordedMessage[],
  after: number,
  upTo: number,
): WireMessage[] {
  return recording
    .filter((r) => r.receiveTime > after && r.receiveTime <= upTo)
    .map((r) => r.message);
}

/**
 * What playback after a seek to `t` must deliver up to `upTo`: the events at exactly `t` (not in a
 * backfill) and everything after `t`.
 */
export function dueAfterSeek(
  recording: readonly RecordedMessage[],
  t: number,
  upTo: number,
): WireMessage[] {
  return recording
    .filter(
      (r) =>
        (r.receiveTime === t && r.message.type === 'events') ||
        (r.receiveTime > t && r.receiveTime <= upTo),
    )
    .map((r) => r.message);
}

/** The latest inventory and metrics of every node at or before `t`, by scanning everything. */
export function bruteBackfill(recording: readonly RecordedMessage[], t: number): RecordedMessage[] {
  const latest = new Map<string, RecordedMessage>();
  for (const r of recording) {
    if (r.receiveTime > t || r.message.type === 'events') continue;
    latest.set(`${r.message.cluster}/${r.message.node}/${r.message.type}`, r);
  }
  return [...latest.values()];
}

/** A comparable key for a set of messages regardless of order. */
export const keysOf = (list: readonly RecordedMessage[] | readonly WireMessage[]): string[] =>
  list
    .map((x) => ('message' in x ? x.message : x))
    .map((m) => `${m.node}/${m.type}/${m.seq}`)
    .sort();
