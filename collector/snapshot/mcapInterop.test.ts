/**
 * Our snapshots read by the reference MCAP reader (@mcap/core, what Foxglove/Lichtblick and the
 * `mcap` CLI use): its indexed reader must find every message through the summary, as a viewer
 * that seeks would.
 */
import { McapIndexedReader } from '@mcap/core';
import { describe, expect, it } from 'vitest';

import { decompressChunk } from '../core/snapshot/compression.js';
import { simulatedTraffic } from './fixtures.js';
import { writeSnapshot } from './testWrite.js';

function readable(bytes: Uint8Array) {
  return {
    size: async () => BigInt(bytes.length),
    read: async (offset: bigint, length: bigint) =>
      bytes.subarray(Number(offset), Number(offset + length)),
  };
}

describe('MCAP interoperability', () => {
  it('the reference indexed reader finds every message, in time order, with our channels', async () => {
    const traffic = [...simulatedTraffic({ nodes: 4, devicesPerNode: 2, ticks: 30 })];
    const bytes = await writeSnapshot(traffic, { chunkBytes: 8 * 1024 });
    const reader = await McapIndexedReader.Initialize({
      readable: readable(bytes),
      decompressHandlers: {
        lz4: (data, size) => decompressChunk(data, 'lz4', Number(size)),
      },
    });
    expect(reader.chunkIndexes.length).toBeGreaterThan(1);
    const topics = [...reader.channelsById.values()].map((c) => c.topic).sort();
    expect(topics).toEqual(['osprey.v1.events', 'osprey.v1.inventory', 'osprey.v1.metrics']);
    const times: bigint[] = [];
    for await (const m of reader.readMessages()) times.push(m.logTime);
    expect(times).toHaveLength(traffic.length);
    expect([...times].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(times);
  });
});
