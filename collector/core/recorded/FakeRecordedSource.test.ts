import { describe, expect, it } from 'vitest';
import type { WireMessage } from '../protocol/spec.js';
import { FakeRecordedSource } from './FakeRecordedSource.js';
import type { RecordedMessage } from './RecordedSource.js';

const env = (node: string, seq: number) => ({ v: 1 as const, cluster: 'c', node, ts: 0, seq });
const inv = (node: string, seq: number): WireMessage => ({
  ...env(node, seq),
  type: 'inventory',
  host: { hostname: node, os: 'linux', arch: 'x64', cpuCores: 8, memoryTotalBytes: 2 ** 34 },
  devices: [],
  probes: [],
});
const met = (node: string, seq: number): WireMessage => ({
  ...env(node, seq),
  type: 'metrics',
  interval: 1000,
  samples: [],
});
const evt = (node: string, seq: number): WireMessage => ({
  ...env(node, seq),
  type: 'events',
  events: [],
});

/** A pseudo-random recording (fixed seed): 6 nodes, ties, nodes that start late. */
function recording(): RecordedMessage[] {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const out: RecordedMessage[] = [];
  for (let seq = 0; seq < 600; seq++) {
    const node = `n${Math.floor(rand() * 6)}`;
    const r = rand();
    const message = r < 0.1 ? inv(node, seq) : r < 0.85 ? met(node, seq) : evt(node, seq);
    out.push({ receiveTime: 1000 + Math.floor(rand() * 200) * 50, message });
  }
  return out;
}

function bruteBackfill(list: readonly RecordedMessage[], t: number): number[] {
  const sorted = [...list].sort((a, b) => a.receiveTime - b.receiveTime);
  const latest = new Map<string, RecordedMessage>();
  for (const r of sorted) {
    if (r.receiveTime <= t && r.message.type !== 'events') {
      latest.set(`${r.message.node}/${r.message.type}`, r);
    }
  }
  return [...latest.values()].map((r) => r.message.seq).sort((a, b) => a - b);
}

async function collect(it: AsyncIterable<RecordedMessage>): Promise<RecordedMessage[]> {
  const out: RecordedMessage[] = [];
  for await (const r of it) out.push(r);
  return out;
}

describe('FakeRecordedSource', () => {
  const list = recording();

  it('reports the range, the topics with counts, and what it was given', async () => {
    const source = new FakeRecordedSource(list, {
      problems: [{ key: 'snapshot:truncated', message: 'lost 2 chunks' }],
      metadata: { cluster: 'c' },
      complete: false,
    });
    const info = await source.initialize();
    const times = list.map((r) => r.receiveTime);
    expect(info.range).toEqual({ start: Math.min(...times), end: Math.max(...times) });
    const count = (type: string) => list.filter((r) => r.message.type === type).length;
    expect(Object.fromEntries(info.topics.map((t) => [t.name, t.messageCount]))).toEqual({
      'osprey.v1.inventory': count('inventory'),
      'osprey.v1.metrics': count('metrics'),
      'osprey.v1.events': count('events'),
    });
    expect(info.problems).toEqual([{ key: 'snapshot:truncated', message: 'lost 2 chunks' }]);
    expect(info.complete).toBe(false);
  });

  it('iterates a range inclusively in time order, ties in the order given', async () => {
    const source = new FakeRecordedSource(list);
    await source.initialize();
    const times = list.map((r) => r.receiveTime).sort((a, b) => a - b);
    const [start, end] = [times[100]!, times[300]!];
    const got = await collect(source.messageIterator({ start, end }));
    const expected = list
      .filter((r) => r.receiveTime >= start && r.receiveTime <= end)
      .sort((a, b) => a.receiveTime - b.receiveTime);
    expect(got).toEqual(expected);
    expect(got[0]!.receiveTime).toBe(start);
    expect(got[got.length - 1]!.receiveTime).toBe(end);
    // Ties keep the order given: seqs were handed out in that order.
    for (let i = 1; i < got.length; i++) {
      if (got[i]!.receiveTime === got[i - 1]!.receiveTime) {
        expect(got[i]!.message.seq).toBeGreaterThan(got[i - 1]!.message.seq);
      }
    }
  });

  it('iterates only the topics asked for, in time order, bounded by start and end', async () => {
    const source = new FakeRecordedSource(list);
    await source.initialize();
    const times = list.map((r) => r.receiveTime).sort((a, b) => a - b);
    const [start, end] = [times[50]!, times[450]!];
    const byTime = [...list].sort((a, b) => a.receiveTime - b.receiveTime);
    const within = (r: RecordedMessage) => r.receiveTime >= start && r.receiveTime <= end;
    const events = await collect(
      source.messageIterator({ start, end, topics: ['osprey.v1.events'] }),
    );
    expect(events.length).toBeGreaterThan(0);
    expect(events).toEqual(byTime.filter((r) => within(r) && r.message.type === 'events'));
    const two = await collect(
      source.messageIterator({ start, end, topics: ['osprey.v1.inventory', 'osprey.v1.events'] }),
    );
    expect(two).toEqual(byTime.filter((r) => within(r) && r.message.type !== 'metrics'));
  });

  it('yields nothing for no topics or a topic it does not hold, and reads none of it', async () => {
    const source = new FakeRecordedSource(list);
    await source.initialize();
    expect(await collect(source.messageIterator({ start: 0, topics: [] }))).toEqual([]);
    expect(await collect(source.messageIterator({ start: 0, topics: ['osprey.v1.x'] }))).toEqual(
      [],
    );
    expect(source.messagesRead).toBe(0);
    expect(source.iteratorArgs).toEqual([
      { start: 0, topics: [] },
      { start: 0, topics: ['osprey.v1.x'] },
    ]);
  });

  it('backfills the latest inventory and metrics per node at or before a time (checked by brute force)', async () => {
    const source = new FakeRecordedSource(list);
    await source.initialize();
    for (const t of [0, 1000, 1049, 2500, 5000, 7777, 10_950, 20_000]) {
      const backfill = await source.getBackfill(t);
      expect(backfill.time).toBe(t);
      expect(backfill.messages.map((r) => r.message.seq).sort((a, b) => a - b)).toEqual(
        bruteBackfill(list, t),
      );
      const times = backfill.messages.map((r) => r.receiveTime);
      expect(times).toEqual([...times].sort((a, b) => a - b));
    }
  });

  it('fails a read at the given message with the given error, and counts open iterators', async () => {
    const source = new FakeRecordedSource(list, {
      failAtIndex: 3,
      readError: new Error('bad CRC'),
    });
    await source.initialize();
    const it = source.messageIterator({ start: 0 })[Symbol.asyncIterator]();
    await it.next();
    expect(source.openIterators).toBe(1);
    await it.next();
    await it.next();
    await expect(it.next()).rejects.toThrow('bad CRC');
    expect(source.openIterators).toBe(0);
    expect(source.messagesRead).toBe(3);
  });

  it('refuses to iterate before initialize, and an empty recording at initialize', async () => {
    expect(() => new FakeRecordedSource(list).messageIterator({ start: 0 })).toThrow(
      'the recording is not initialized: call initialize()',
    );
    await expect(new FakeRecordedSource([]).initialize()).rejects.toThrow(
      'the recording holds no messages',
    );
  });
});
