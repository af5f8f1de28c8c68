import { describe, expect, it } from 'vitest';

import type { EventsMessage } from '../../../collector/core/protocol/spec.js';
import { LiveStore } from './LiveStore.js';

const HOUR = 3_600_000;

function events(seq: number, ts: number, message: string): EventsMessage {
  return {
    v: 1,
    type: 'events',
    cluster: 'c',
    node: 'box',
    ts,
    seq,
    events: [{ ts, kind: 'xid', severity: 'critical', message }],
  };
}

describe('LiveStore: events read back from storage (event history)', () => {
  it('keeps their own times, hours old, without calling them clock skew', () => {
    const store = new LiveStore();
    const now = 100 * HOUR;
    store.ingest({ messages: [events(1, now - 5 * HOUR, 'old')], receivedAt: now, stored: true });
    expect(store.events()).toMatchObject([{ ts: now - 5 * HOUR, message: 'old', node: 'box' }]);
    expect(store.problems()).toEqual([]);
  });

  it('puts history that arrives after live events back in time order', () => {
    const store = new LiveStore();
    const now = 100 * HOUR;
    store.ingest({ messages: [events(9, now - 1000, 'live')], receivedAt: now });
    store.ingest({
      messages: [events(1, now - 3 * HOUR, 'older'), events(2, now - 2 * HOUR, 'old')],
      receivedAt: now + 50,
      stored: true,
    });
    expect(store.events().map((e) => e.message)).toEqual(['older', 'old', 'live']);
  });

  it('does not count a history read as data received', () => {
    const store = new LiveStore();
    store.ingest({ messages: [events(1, 1000, 'old')], receivedAt: 100 * HOUR, stored: true });
    expect(store.lastReceivedAt).toBeUndefined();
  });

  it('still places a stored stamp from the future at its reading, as a live one', () => {
    const store = new LiveStore();
    const now = 100 * HOUR;
    store.ingest({ messages: [events(1, now + 2 * HOUR, 'ahead')], receivedAt: now, stored: true });
    expect(store.events()[0]!.ts).toBe(now);
  });
});
