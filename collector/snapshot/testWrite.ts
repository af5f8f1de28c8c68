/** Writes simulated traffic to an in-memory snapshot (tests). */
import { SnapshotWriter } from '../core/snapshot/SnapshotWriter.js';
import type { SimulatedMessage } from './fixtures.js';
import { MemorySink } from './memory.js';

export const META = {
  version: '0.1.0',
  recordedBy: 'test',
  createdAt: '2026-12-02T12:00:00Z',
  redacted: false,
  cluster: 'sim-0',
};

export async function writeSnapshot(
  messages: Iterable<SimulatedMessage>,
  options: { chunkBytes?: number; keyframeEveryChunks?: number; close?: boolean } = {},
): Promise<Uint8Array> {
  const sink = new MemorySink();
  const w = await SnapshotWriter.open({
    sink,
    metadata: META,
    chunkBytes: options.chunkBytes ?? 64 * 1024,
    keyframeEveryChunks: options.keyframeEveryChunks ?? 4,
  });
  for (const m of messages) await w.add(m.receiveTime, m.message, m.data);
  if (options.close !== false) await w.close();
  else await w.flush();
  return sink.bytes();
}

/** Bytes of a snapshot's head alone (magic, header, schemas, channels, metadata). */
export async function headLength(): Promise<number> {
  const sink = new MemorySink();
  await SnapshotWriter.open({ sink, metadata: META });
  return sink.bytes().length;
}
