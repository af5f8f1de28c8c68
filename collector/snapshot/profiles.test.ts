/**
 * Profiles in snapshots (core/snapshot/profileChannel.ts): a profile added while recording is read
 * back whole, with its origin and time; the recording's messages are unchanged by it; the
 * reference MCAP reader sees it as one message on its own channel; a file without profiles has
 * no profile channel; a hostile profile message is a problem, not a crash.
 */
import { readFileSync } from 'node:fs';

import { McapIndexedReader } from '@mcap/core';
import { describe, expect, it } from 'vitest';

import type { Frame, ProfileSet } from '../core/profile/model.js';
import { totalWeight } from '../core/profile/model.js';
import type { RecordedMessage } from '../core/recorded/RecordedSource.js';
import { decompressChunk } from '../core/snapshot/compression.js';
import { readLayout } from '../core/snapshot/layout.js';
import {
  decodeProfileMessage,
  MAX_PROFILE_MESSAGE_BYTES,
  PROFILE_TOPIC,
  summedByStack,
  type RecordedProfileOrigin,
} from '../core/snapshot/profileChannel.js';
import { bytesReadable } from '../core/snapshot/RandomAccessReadable.js';
import { SnapshotReader } from '../core/snapshot/SnapshotReader.js';
import { SnapshotWriter } from '../core/snapshot/SnapshotWriter.js';
import { simulatedTraffic } from './fixtures.js';
import { MemorySink } from './memory.js';
import { META, writeSnapshot } from './testWrite.js';

const FIXTURE = new URL('../core/profile/fixtures/folded/py-spy.txt', import.meta.url);

/**
 * py-spy's raw output read line by line here (the test's own reading, independent of the
 * importers): frames `name (file:line)` root → leaf, the count after the last space.
 */
function pySpyProfile(): { set: ProfileSet; fileTotal: number } {
  const frames: Frame[] = [];
  const frameIndex = new Map<string, number>();
  const stacks: number[][] = [];
  const weights: number[] = [];
  let fileTotal = 0;
  for (const line of readFileSync(FIXTURE, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const space = line.lastIndexOf(' ');
    const count = Number(line.slice(space + 1));
    fileTotal += count;
    const stack = line
      .slice(0, space)
      .split(';')
      .map((text) => {
        let i = frameIndex.get(text);
        if (i === undefined) {
          const m = /^(.*) \((.*):(\d+)\)$/.exec(text);
          i = frames.length;
          frameIndex.set(text, i);
          frames.push(
            m
              ? { name: m[1]!, file: m[2]!, line: Number(m[3]), kind: 'python' }
              : { name: text, kind: 'python' },
          );
        }
        return i;
      });
    stacks.push(stack);
    weights.push(count);
  }
  const set: ProfileSet = {
    format: 'folded',
    name: 'py-spy.txt',
    profiles: [
      {
        name: 'py-spy.txt',
        unit: 'samples',
        measure: 'cpu',
        frames,
        stacks,
        sampleStacks: stacks.map((_, i) => i),
        weights,
        counts: weights,
      },
    ],
    meta: { source: 'py-spy', rateHz: 100 },
    warnings: [],
  };
  return { set, fileTotal };
}

const ORIGIN: RecordedProfileOrigin = {
  kind: 'capture',
  node: 'gpu-node-3',
  cluster: 'sim-0',
  pid: 4121,
  tool: 'py-spy',
  connection: 'local',
  timeMs: 0,
};

const traffic = [...simulatedTraffic({ nodes: 3, devicesPerNode: 2, ticks: 20 })];

async function readAll(reader: SnapshotReader): Promise<RecordedMessage[]> {
  const out: RecordedMessage[] = [];
  for await (const m of reader.messageIterator({ start: 0 })) out.push(m);
  return out;
}

/** The traffic with `set` added after message `at`, at that message's receipt time. */
async function withProfile(
  set: ProfileSet,
  options: { at?: number; close?: boolean } = {},
): Promise<{ bytes: Uint8Array; timeMs: number }> {
  const at = options.at ?? 25;
  const sink = new MemorySink();
  const w = await SnapshotWriter.open({
    sink,
    metadata: META,
    chunkBytes: 8 * 1024,
    keyframeEveryChunks: 2,
  });
  let timeMs = 0;
  for (let i = 0; i < traffic.length; i++) {
    const m = traffic[i]!;
    await w.add(m.receiveTime, m.message, m.data);
    if (i === at) {
      timeMs = m.receiveTime;
      await w.addProfile(timeMs, set, { ...ORIGIN, timeMs });
    }
  }
  if (options.close === false) await w.flush();
  else await w.close();
  return { bytes: sink.bytes(), timeMs };
}

describe('profiles in snapshots', () => {
  it('reads back a profile added while recording: its total equals the py-spy file’s own', async () => {
    const { set, fileTotal } = pySpyProfile();
    const { bytes, timeMs } = await withProfile(set);
    const reader = new SnapshotReader(bytesReadable(bytes));
    const info = await reader.initialize();
    expect(info.problems).toEqual([]);
    const { profiles, problems } = await reader.profiles();
    expect(problems).toEqual([]);
    expect(profiles).toHaveLength(1);
    const got = profiles[0]!;
    expect(got.timeMs).toBe(timeMs);
    expect(got.origin).toEqual({ ...ORIGIN, timeMs });
    expect(totalWeight(got.set.profiles[0]!)).toBe(fileTotal);
    expect(got.set).toEqual(JSON.parse(JSON.stringify(set)));
  });

  it('leaves the recording’s messages as they were without the profile', async () => {
    const { set } = pySpyProfile();
    const plain = new SnapshotReader(
      bytesReadable(await writeSnapshot(traffic, { chunkBytes: 8 * 1024, keyframeEveryChunks: 2 })),
    );
    const withIt = new SnapshotReader(bytesReadable((await withProfile(set)).bytes));
    expect(await readAll(withIt)).toEqual(await readAll(plain));
    const mid = traffic[40]!.receiveTime;
    expect((await withIt.getBackfill(mid)).messages).toEqual(
      (await plain.getBackfill(mid)).messages,
    );
    expect((await withIt.initialize()).topics).toEqual((await plain.initialize()).topics);
  });

  it('writes no profile channel into a file without profiles', async () => {
    const bytes = await writeSnapshot(traffic);
    const layout = await readLayout(bytesReadable(bytes));
    expect([...layout.channels.values()].map((c) => c.topic)).not.toContain(PROFILE_TOPIC);
    expect((await new SnapshotReader(bytesReadable(bytes)).profiles()).profiles).toEqual([]);
  });

  it('is one message on osprey.profile for the reference MCAP reader (@mcap/core)', async () => {
    const { set } = pySpyProfile();
    const { bytes } = await withProfile(set);
    const reader = await McapIndexedReader.Initialize({
      readable: {
        size: async () => BigInt(bytes.length),
        read: async (offset: bigint, length: bigint) =>
          bytes.subarray(Number(offset), Number(offset + length)),
      },
      decompressHandlers: { lz4: (data, size) => decompressChunk(data, 'lz4', Number(size)) },
    });
    const channel = [...reader.channelsById.values()].find((c) => c.topic === PROFILE_TOPIC)!;
    expect(channel.messageEncoding).toBe('json');
    expect(reader.schemasById.get(channel.schemaId)?.name).toBe(PROFILE_TOPIC);
    const onIt: unknown[] = [];
    let all = 0;
    for await (const m of reader.readMessages()) {
      all += 1;
      if (m.channelId === channel.id) onIt.push(JSON.parse(new TextDecoder().decode(m.data)));
    }
    expect(all).toBe(traffic.length + 1);
    expect(onIt).toHaveLength(1);
    expect((onIt[0] as { set: ProfileSet }).set.name).toBe('py-spy.txt');
  });

  it('finds the profile in a recording killed before its summary (read by scanning)', async () => {
    const { set, fileTotal } = pySpyProfile();
    const { bytes } = await withProfile(set, { close: false });
    const reader = new SnapshotReader(bytesReadable(bytes));
    expect((await reader.initialize()).complete).toBe(false);
    const { profiles } = await reader.profiles();
    expect(profiles.map((p) => totalWeight(p.set.profiles[0]!))).toEqual([fileTotal]);
  });

  it('sums samples per stack when a profile is too big, keeping the total exact', () => {
    const { set, fileTotal } = pySpyProfile();
    const p = set.profiles[0]!;
    // The fixture's 9 stacks, sampled 300k times one sample each (~ the bench's scale).
    const n = 300_000;
    const big: ProfileSet = {
      ...set,
      profiles: [
        {
          ...p,
          sampleStacks: Array.from({ length: n }, (_, i) => i % p.stacks.length),
          weights: new Array<number>(n).fill(1),
          counts: undefined,
        },
      ],
    };
    const summed = summedByStack(big);
    expect(summed.profiles[0]!.sampleStacks).toHaveLength(p.stacks.length);
    expect(totalWeight(summed.profiles[0]!)).toBe(n);
    expect(summedByStack(set).profiles[0]!.weights.reduce((a, b) => a + b, 0)).toBe(fileTotal);
    expect(MAX_PROFILE_MESSAGE_BYTES).toBeLessThan(64 * 1024 * 1024);
  });

  it('refuses hostile profile messages with where they are wrong', () => {
    const { set } = pySpyProfile();
    const enc = (m: unknown) => new TextEncoder().encode(JSON.stringify(m));
    const good = { v: 1, origin: ORIGIN, set };
    const p = set.profiles[0]!;
    const cases: [unknown, string][] = [
      [{ ...good, v: 2 }, 'message version 2 is not 1'],
      [{ ...good, origin: { ...ORIGIN, kind: 'x' } }, 'origin.kind'],
      [
        { ...good, set: { ...set, profiles: [{ ...p, stacks: [[0, 999]] }] } },
        'set.profiles[0].stacks[0][1]: not an index below',
      ],
      [
        { ...good, set: { ...set, profiles: [{ ...p, sampleStacks: [1e9] }] } },
        'set.profiles[0].sampleStacks[0]: not an index below 9',
      ],
      [
        { ...good, set: { ...set, profiles: [{ ...p, weights: [1] }] } },
        'set.profiles[0].weights: 1 values for 9 samples',
      ],
      [
        { ...good, set: { ...set, profiles: [{ ...p, unit: 'furlongs' }] } },
        'set.profiles[0].unit',
      ],
    ];
    for (const [message, problem] of cases) {
      expect(decodeProfileMessage(enc(message))).toContain(problem);
    }
    expect(decodeProfileMessage(new Uint8Array([0x7b, 0xff]))).toContain('not JSON');
  });
});
