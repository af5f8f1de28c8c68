import { McapWriter } from '@mcap/core';
import { describe, expect, it } from 'vitest';

import { MESSAGE_SCHEMAS } from '../core/protocol/spec.js';
import type { RecordedMessage } from '../core/recorded/RecordedSource.js';
import { bytesReadable } from '../core/snapshot/RandomAccessReadable.js';
import { SnapshotReader } from '../core/snapshot/SnapshotReader.js';
import { simulatedTraffic } from './fixtures.js';
import { writeSnapshot } from './testWrite.js';

const traffic = [...simulatedTraffic({ nodes: 3, devicesPerNode: 2, ticks: 10 })];
const utf8 = new TextEncoder();

/** An MCAP file written by @mcap/core itself, to craft what our writer never would. */
async function mcap(
  build: (w: McapWriter) => Promise<void>,
  compressChunk?: (d: Uint8Array) => { compression: string; compressedData: Uint8Array },
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
    ...(compressChunk ? { compressChunk } : {}),
  });
  await w.start({ profile: 'osprey', library: 'test' });
  await build(w);
  await w.end();
  const out = new Uint8Array(Number(pos));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

async function metricsChannel(
  w: McapWriter,
  schemaName = 'osprey.v1.metrics',
  encoding = 'jsonschema',
  topic = 'osprey.v1.metrics',
): Promise<number> {
  const schemaId = await w.registerSchema({
    name: schemaName,
    encoding,
    data: utf8.encode(JSON.stringify(MESSAGE_SCHEMAS.metrics)),
  });
  return w.registerChannel({ schemaId, topic, messageEncoding: 'json', metadata: new Map() });
}

const firstMetrics = traffic.find((m) => m.message.type === 'metrics')!;

async function openError(bytes: Uint8Array): Promise<string> {
  try {
    await new SnapshotReader(bytesReadable(bytes)).initialize();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the file opened');
}

async function readAll(reader: SnapshotReader): Promise<RecordedMessage[]> {
  const out: RecordedMessage[] = [];
  for await (const m of reader.messageIterator({ start: 0 })) out.push(m);
  return out;
}

function u64At(bytes: Uint8Array, at: number, value: bigint): Uint8Array {
  const copy = bytes.slice();
  new DataView(copy.buffer).setBigUint64(at, value, true);
  return copy;
}

/** Offset of the first chunk record in a file our writer wrote without a summary. */
function firstChunkOffset(bytes: Uint8Array): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  let at = 8;
  while (bytes[at] !== 0x06) at += 9 + Number(view.getBigUint64(at + 1, true));
  return at;
}

describe('crafted snapshot files', () => {
  it('refuses wrong magic, naming the bytes found', async () => {
    const html = utf8.encode('<html><script>alert(1)</script></html>');
    expect(await openError(html)).toMatch(
      /wrong magic at byte 0: expected 89 4d 43 41 50 30 0d 0a, found 3c 68 74 6d 6c 3e 3c 73/,
    );
    expect(await openError(new Uint8Array(3))).toMatch(/3 bytes, fewer than MCAP's 8-byte magic/);
  });

  it('refuses a record whose length lied, naming its byte', async () => {
    const bytes = await writeSnapshot(traffic, { close: false });
    const at = firstChunkOffset(bytes);
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const shorter = u64At(bytes, at + 1, view.getBigUint64(at + 1, true) - 5n);
    expect(await openError(shorter)).toMatch(
      /unknown record opcode 0x[0-9a-f]{2} at byte \d+: the file is damaged or a previous record's length lied/,
    );
  });

  it('refuses a huge record length without allocating it', async () => {
    const bytes = await writeSnapshot(traffic, { close: false });
    const at = firstChunkOffset(bytes);
    expect(await openError(u64At(bytes, at + 1, 1n << 40n))).toMatch(
      new RegExp(`chunk record at byte ${at} claims 1099511627776 bytes, over the 64.0 MiB limit`),
    );
    // A chunk that declares 1 TiB uncompressed (its uncompressed-size field follows two times).
    expect(await openError(u64At(bytes, at + 9 + 16, 1n << 40n))).toMatch(
      new RegExp(`chunk at byte ${at} declares 1024.00 GiB uncompressed, over the 64.0 MiB limit`),
    );
  });

  it('refuses a summary whose chunk index points outside the file', async () => {
    const bytes = await writeSnapshot(traffic);
    // Find a chunk index record in the summary and move its chunk past the end.
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const summaryStart = Number(view.getBigUint64(bytes.length - 37 + 9, true));
    let at = summaryStart;
    while (bytes[at] !== 0x08) at += 9 + Number(view.getBigUint64(at + 1, true));
    const lying = u64At(bytes, at + 9 + 16, BigInt(bytes.length + 100));
    expect(await openError(lying)).toMatch(
      new RegExp(
        `chunk index at byte ${at} points at bytes ${bytes.length + 100}–\\d+, outside the file`,
      ),
    );
  });

  it('refuses wrong schemas and shows names from the file as quoted text', async () => {
    const wrong = await mcap(async (w) => {
      await metricsChannel(w, '<b onmouseover=alert(1)>x</b>', 'protobuf');
    });
    expect(await openError(wrong)).toBe(
      'channel "osprey.v1.metrics" has schema "<b onmouseover=alert(1)>x</b>" ("protobuf"); expected "osprey.v1.metrics" (jsonschema)',
    );
    const foreign = await mcap(async (w) => {
      await metricsChannel(w, 'x', 'jsonschema', '<img src=x onerror="alert(1)">');
    });
    expect(await openError(foreign)).toBe(
      'not an Osprey snapshot: its channels are "<img src=x onerror=\\"alert(1)\\">" (expected osprey.v1.inventory, metrics, events)',
    );
  });

  it('turns a bad message into a problem and keeps reading the rest', async () => {
    const bytes = await mcap(async (w) => {
      const ch = await metricsChannel(w);
      await w.addMessage({
        channelId: ch,
        sequence: 0,
        logTime: 1_000_000_000n,
        publishTime: 0n,
        data: utf8.encode('{"v":1,"type":"metrics"'),
      });
      await w.addMessage({
        channelId: ch,
        sequence: 1,
        logTime: 2_000_000_000n,
        publishTime: 0n,
        data: firstMetrics.data,
      });
    });
    const reader = new SnapshotReader(bytesReadable(bytes));
    await reader.initialize();
    const got = await readAll(reader);
    expect(got.map((m) => m.message)).toEqual([firstMetrics.message]);
    expect(reader.problems).toHaveLength(1);
    expect(reader.problems[0]!.key).toBe('snapshot:message:not-json');
    expect(reader.problems[0]!.message).toMatch(
      /^osprey\.v1\.metrics message at 1970-01-01T00:00:01\.000Z \(chunk at byte \d+\): not JSON/,
    );
  });

  it('stops a decompression bomb at once and reads the other chunks', async () => {
    let n = 0;
    // The first chunk's lz4 frame is one block of 0xff match-length bytes (lz4js itself would loop
    // 255 × its size); the second chunk is stored plainly.
    const bomb = (d: Uint8Array) => {
      if (n++ > 0) return { compression: '', compressedData: d };
      const frame = new Uint8Array(7 + 4 + 1024 * 1024 + 4);
      frame.set([0x04, 0x22, 0x4d, 0x18, 0x60, 0x70, 0x73]);
      new DataView(frame.buffer).setUint32(7, 1024 * 1024, true);
      frame.fill(0xff, 11, 11 + 1024 * 1024);
      return { compression: 'lz4', compressedData: frame };
    };
    const bytes = await mcap(async (w) => {
      const ch = await metricsChannel(w);
      await w.addMessage({
        channelId: ch,
        sequence: 0,
        logTime: 1_000_000_000n,
        publishTime: 0n,
        data: firstMetrics.data,
      });
      // Over @mcap/core's 1 MiB chunk size, so the next message starts a new chunk.
      await w.addMessage({
        channelId: ch,
        sequence: 1,
        logTime: 1_500_000_000n,
        publishTime: 0n,
        data: new Uint8Array(1024 * 1024),
      });
      await w.addMessage({
        channelId: ch,
        sequence: 2,
        logTime: 2_000_000_000n,
        publishTime: 0n,
        data: firstMetrics.data,
      });
    }, bomb);
    const reader = new SnapshotReader(bytesReadable(bytes));
    await reader.initialize();
    const got = await readAll(reader);
    expect(got.map((m) => m.receiveTime)).toEqual([2000]);
    expect(reader.problems.map((p) => p.key)).toContain('snapshot:chunk');
    expect(reader.problems.find((p) => p.key === 'snapshot:chunk')!.message).toMatch(
      /^chunk at byte \d+: lz4 .*; its messages are skipped$/,
    );
  });

  it('drops an unknown field of a remembered name from an inventory, however often it comes, and refuses a wrong-typed known field', async () => {
    const inv = traffic.find((m) => m.message.type === 'inventory')!;
    const text = new TextDecoder().decode(inv.data);
    const later = text.replace(/"ts":\d+/, '"ts":42');
    // The same inventory with an unknown `"ts":7` inside host (spec.ts evolution rule: accepted,
    // dropped): masked, it would look like a remembered text, so it must not be parsed as is.
    const sneaky = later.replace('"host":{', '"host":{"ts":7,');
    const sneakyAgain = sneaky.replace('"ts":42', '"ts":43');
    const wrongType = text
      .replace(/"ts":\d+/, '"ts":44')
      .replace(/"cpuCores":\d+/, '"cpuCores":"64"');
    expect(sneaky).not.toBe(later);
    expect(wrongType).toContain('"cpuCores":"64"');
    const bytes = await mcap(async (w) => {
      const schemaId = await w.registerSchema({
        name: 'osprey.v1.inventory',
        encoding: 'jsonschema',
        data: new Uint8Array(),
      });
      const ch = await w.registerChannel({
        schemaId,
        topic: 'osprey.v1.inventory',
        messageEncoding: 'json',
        metadata: new Map(),
      });
      for (const [i, t] of [text, later, sneaky, sneakyAgain, wrongType].entries()) {
        await w.addMessage({
          channelId: ch,
          sequence: i,
          logTime: BigInt(i + 1) * 1_000_000_000n,
          publishTime: 0n,
          data: utf8.encode(t),
        });
      }
    });
    const reader = new SnapshotReader(bytesReadable(bytes));
    await reader.initialize();
    const got = await readAll(reader);
    expect(got.map((m) => m.message.ts)).toEqual([inv.message.ts, 42, 42, 43]);
    for (const m of got) {
      expect(m.message.type === 'inventory' && Object.hasOwn(m.message.host, 'ts')).toBe(false);
    }
    expect(reader.problems.map((p) => p.key)).toEqual(['snapshot:message:schema']);
    expect(reader.problems[0]!.message).toMatch(/\/host\/cpuCores: must be integer$/);
  });
});
