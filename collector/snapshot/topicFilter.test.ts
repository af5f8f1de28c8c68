/**
 * messageIterator's `topics`: the recorded-source contract's filter as the MCAP reader implements
 * it, on our writer's files (events share chunks with metrics there) and on @mcap/core's (whose
 * chunk index names each chunk's channels, so chunks without a wanted channel are not read).
 */
import { McapWriter } from '@mcap/core';
import { describe, expect, it } from 'vitest';

import { MESSAGE_SCHEMAS, type MessageType } from '../core/protocol/spec.js';
import { topicOf, type RecordedMessage } from '../core/recorded/RecordedSource.js';
import { bytesReadable, type RandomAccessReadable } from '../core/snapshot/RandomAccessReadable.js';
import { readLayout } from '../core/snapshot/layout.js';
import { MAX_RECORD_BYTES } from '../core/snapshot/format.js';
import { SnapshotReader } from '../core/snapshot/SnapshotReader.js';
import { simulatedTraffic } from './fixtures.js';
import { writeSnapshot } from './testWrite.js';

const EVENTS = topicOf('events');
const INVENTORY = topicOf('inventory');

// Faults make events: xids, an NPU fault, a thermal excursion and a reset, spread over the 60 s
// (with seed 1, nodes 0, 2 and 5 are NVIDIA's, 1, 3 and 4 Ascend's).
const traffic = [
  ...simulatedTraffic({
    nodes: 6,
    devicesPerNode: 2,
    ticks: 60,
    schedule: [
      { atMs: 5_000, kind: 'xid79', node: 'node-000', device: 0 },
      { atMs: 17_000, kind: 'thermal', node: 'node-004', durationMs: 10_000 },
      { atMs: 25_000, kind: 'npu-fault', node: 'node-001', device: 1 },
      { atMs: 33_000, kind: 'xid48', node: 'node-002', device: 1 },
      { atMs: 48_000, kind: 'reset', node: 'node-000', device: 0 },
    ],
  }),
].map(({ receiveTime, message }) => ({ receiveTime, message }));

async function collect(it: AsyncIterable<RecordedMessage>): Promise<RecordedMessage[]> {
  const out: RecordedMessage[] = [];
  for await (const m of it) out.push(m);
  return out;
}

const ofTypes = (list: readonly RecordedMessage[], ...types: MessageType[]) =>
  list.filter((m) => types.includes(m.message.type));

describe('messageIterator with topics, on an Osprey snapshot', () => {
  it('yields only the asked topics, equal to the unfiltered read filtered, in time order', async () => {
    const bytes = await writeSnapshot(withData(traffic), { chunkBytes: 8 * 1024 });
    const reader = new SnapshotReader(bytesReadable(bytes));
    await reader.initialize();
    const all = await collect(reader.messageIterator({ start: 0 }));
    expect(all).toEqual(traffic);
    expect(ofTypes(all, 'events').length).toBeGreaterThan(3);

    const events = await collect(reader.messageIterator({ start: 0, topics: [EVENTS] }));
    expect(events).toEqual(ofTypes(traffic, 'events'));
    const times = events.map((m) => m.receiveTime);
    expect(times).toEqual([...times].sort((a, b) => a - b));

    const two = await collect(reader.messageIterator({ start: 0, topics: [INVENTORY, EVENTS] }));
    expect(two).toEqual(ofTypes(traffic, 'inventory', 'events'));
  });

  it('bounds a filtered read by start and end, both inclusive', async () => {
    const reader = new SnapshotReader(bytesReadable(await writeSnapshot(withData(traffic))));
    await reader.initialize();
    const events = ofTypes(traffic, 'events');
    // From the second event's time to the second-to-last's: both ends are events themselves.
    const start = events[1]!.receiveTime;
    const end = events.at(-2)!.receiveTime;
    const got = await collect(reader.messageIterator({ start, end, topics: [EVENTS] }));
    expect(got).toEqual(events.filter((m) => m.receiveTime >= start && m.receiveTime <= end));
    expect(got[0]!.receiveTime).toBe(start);
    expect(got.at(-1)!.receiveTime).toBe(end);
  });

  it('yields nothing for an empty list or a topic the file does not hold', async () => {
    const reader = new SnapshotReader(bytesReadable(await writeSnapshot(withData(traffic))));
    await reader.initialize();
    expect(await collect(reader.messageIterator({ start: 0, topics: [] }))).toEqual([]);
    expect(
      await collect(reader.messageIterator({ start: 0, topics: ['osprey.v1.bogus'] })),
    ).toEqual([]);
  });
});

describe('messageIterator with topics, on a file written by @mcap/core', () => {
  it('parses no message of another topic: a broken metrics message is no problem to an events read', async () => {
    const bytes = await mcapFile(async (w, channel) => {
      await w.addMessage(message(channel.metrics, 0, 1_000, utf8.encode('{"v":1,"type":"met')));
      await w.addMessage(message(channel.events, 1, 2_000, eventData(2_000)));
    });
    const events = new SnapshotReader(bytesReadable(bytes));
    await events.initialize();
    const got = await collect(events.messageIterator({ start: 0, topics: [EVENTS] }));
    expect(got.map((m) => m.receiveTime)).toEqual([2_000]);
    expect(events.problems).toEqual([]);

    // The same file read whole does meet it.
    const whole = new SnapshotReader(bytesReadable(bytes));
    await whole.initialize();
    expect((await collect(whole.messageIterator({ start: 0 }))).length).toBe(1);
    expect(whole.problems.map((p) => p.key)).toEqual(['snapshot:message:not-json']);
  });

  it('reads only the chunks whose index lists a wanted channel', async () => {
    const metricsData = utf8.encode(JSON.stringify(ofTypes(traffic, 'metrics')[0]!.message));
    // 40 metrics-only stretches with an event every 8th: small chunks, so most hold no event.
    const bytes = await mcapFile(async (w, channel) => {
      let seq = 0;
      for (let t = 1_000; t < 41_000; t += 1_000) {
        await w.addMessage(message(channel.metrics, seq++, t, metricsData));
        if (t % 8_000 === 0) await w.addMessage(message(channel.events, seq++, t, eventData(t)));
      }
    }, 1024);
    const layout = await readLayout(bytesReadable(bytes), MAX_RECORD_BYTES);
    const eventsChannel = [...layout.channels.values()].find((c) => c.topic === EVENTS)!.id;
    const withEvents = layout.chunks.filter((c) => c.channels?.includes(eventsChannel));
    expect(layout.chunks.every((c) => c.channels !== undefined)).toBe(true);
    expect(withEvents.length).toBeGreaterThan(0);
    expect(withEvents.length).toBeLessThan(layout.chunks.length / 2);

    const file = countingReadable(bytes);
    const reader = new SnapshotReader(file);
    await reader.initialize();
    file.reads.length = 0;
    const got = await collect(reader.messageIterator({ start: 0, topics: [EVENTS] }));
    expect(got.map((m) => m.receiveTime)).toEqual([8_000, 16_000, 24_000, 32_000, 40_000]);
    const chunkOffsets = new Set(layout.chunks.map((c) => c.offset));
    const chunksRead = file.reads.filter((at) => chunkOffsets.has(at));
    expect(chunksRead.sort((a, b) => a - b)).toEqual(withEvents.map((c) => c.offset));
  });
});

const utf8 = new TextEncoder();

function withData(list: readonly RecordedMessage[]) {
  return list.map((m) => ({ ...m, data: utf8.encode(JSON.stringify(m.message)) }));
}

function eventData(t: number): Uint8Array {
  return utf8.encode(
    JSON.stringify({
      v: 1,
      type: 'events',
      cluster: 'c',
      node: 'n1',
      ts: t,
      seq: t,
      events: [{ ts: t, kind: 'xid', severity: 'error', message: `xid at ${t}` }],
    }),
  );
}

function message(channelId: number, sequence: number, ms: number, data: Uint8Array) {
  return {
    channelId,
    sequence,
    logTime: BigInt(ms) * 1_000_000n,
    publishTime: BigInt(ms) * 1_000_000n,
    data,
  };
}

/** An MCAP file by @mcap/core (message indexes on, as by default), with metrics and events channels. */
async function mcapFile(
  build: (w: McapWriter, channel: { metrics: number; events: number }) => Promise<void>,
  chunkSize?: number,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let pos = 0n;
  const w = new McapWriter({
    writable: {
      position: () => pos,
      write: (b) => {
        parts.push(b.slice());
        pos += BigInt(b.length);
        return Promise.resolve();
      },
    },
    ...(chunkSize === undefined ? {} : { chunkSize }),
  });
  await w.start({ profile: 'osprey', library: 'test' });
  const channel = async (type: MessageType) => {
    const schemaId = await w.registerSchema({
      name: topicOf(type),
      encoding: 'jsonschema',
      data: utf8.encode(JSON.stringify(MESSAGE_SCHEMAS[type])),
    });
    return w.registerChannel({
      schemaId,
      topic: topicOf(type),
      messageEncoding: 'json',
      metadata: new Map(),
    });
  };
  await build(w, { metrics: await channel('metrics'), events: await channel('events') });
  await w.end();
  const out = new Uint8Array(Number(pos));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The file, remembering the offset of every read. */
function countingReadable(bytes: Uint8Array): RandomAccessReadable & { reads: number[] } {
  const inner = bytesReadable(bytes);
  const reads: number[] = [];
  return {
    size: inner.size,
    reads,
    read: (offset, length) => {
      reads.push(offset);
      return inner.read(offset, length);
    },
  };
}
