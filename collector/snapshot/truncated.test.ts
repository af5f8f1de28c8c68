import { describe, expect, it } from 'vitest';

import type { RecordedMessage } from '../core/recorded/RecordedSource.js';
import { bytesReadable } from '../core/snapshot/RandomAccessReadable.js';
import { readLayout } from '../core/snapshot/layout.js';
import { SnapshotError } from '../core/snapshot/SnapshotError.js';
import { SnapshotReader } from '../core/snapshot/SnapshotReader.js';
import { simulatedTraffic } from './fixtures.js';
import { headLength, writeSnapshot } from './testWrite.js';

const traffic = [...simulatedTraffic({ nodes: 4, devicesPerNode: 2, ticks: 20 })];

async function readAll(reader: SnapshotReader): Promise<RecordedMessage[]> {
  const out: RecordedMessage[] = [];
  for await (const m of reader.messageIterator({ start: 0 })) out.push(m);
  return out;
}

/** Whether `part` is `all` with some messages left out (same order), compared by value. */
function isSubsequence(part: RecordedMessage[], all: RecordedMessage[]): boolean {
  let j = 0;
  for (const m of part) {
    const want = JSON.stringify(m);
    while (j < all.length && JSON.stringify(all[j]) !== want) j++;
    if (j === all.length) return false;
    j++;
  }
  return true;
}

describe('a truncated snapshot (a recording killed mid-write)', () => {
  it('opens at every cut after its head with the messages before the cut and says what was lost', async () => {
    for (const close of [false, true]) {
      const bytes = await writeSnapshot(traffic, { chunkBytes: 8 * 1024, close });
      const full = new SnapshotReader(bytesReadable(bytes));
      await full.initialize();
      const all = await readAll(full);
      expect(all).toHaveLength(traffic.length);
      let opened = 0;
      const head = await headLength();
      for (let cut = 8; cut < bytes.length; cut += 331) {
        const reader = new SnapshotReader(bytesReadable(bytes.subarray(0, cut)));
        let info;
        try {
          info = await reader.initialize();
        } catch (error) {
          // Only a cut inside the head (before the channels) may refuse, and it says why.
          expect(error).toBeInstanceOf(SnapshotError);
          expect((error as Error).message).toMatch(/not an Osprey snapshot|ends|claims/);
          expect(cut).toBeLessThan(head);
          continue;
        }
        opened++;
        expect(info.complete).toBe(false);
        expect(info.problems.map((p) => p.key)).toEqual(
          expect.arrayContaining([
            expect.stringMatching(/^snapshot:(truncated|incomplete|summary)$/),
          ]),
        );
        const got = await readAll(reader);
        // What was written, in order, nothing invented: the whole chunks before the cut, which
        // (inventories having their own chunks) may leave out inventories of the last seconds.
        expect(isSubsequence(got, all), `cut at ${cut}`).toBe(true);
        // …and only from the last seconds: chunks close at 2 s of recording time at the latest.
        const kept = new Set(got.map((m) => JSON.stringify(m)));
        const lastKept = Math.max(0, ...got.map((m) => m.receiveTime));
        const lost = all.filter((m) => !kept.has(JSON.stringify(m)));
        expect(lost.every((m) => m.receiveTime >= lastKept - 2000)).toBe(true);
        const counted = info.topics.reduce((n, t) => n + t.messageCount, 0);
        expect(counted).toBe(got.length);
      }
      expect(opened).toBeGreaterThan(10);
    }
  });

  it('names the bytes and the time span lost when the cut falls inside a chunk', async () => {
    const bytes = await writeSnapshot(traffic, { chunkBytes: 8 * 1024, close: false });
    // Cut 100 bytes into the last chunk (message indexes and keyframes follow chunks).
    const last = (await readLayout(bytesReadable(bytes))).chunks.at(-1)!;
    const reader = new SnapshotReader(bytesReadable(bytes.subarray(0, last.offset + 100)));
    const info = await reader.initialize();
    const problem = info.problems.find((p) => p.key === 'snapshot:truncated');
    expect(problem?.message).toMatch(
      /ends mid-record .*: \d+(\.\d)? (B|KiB) after byte \d+ lost, \d+ complete chunks kept; the cut chunk held [\d.]+ (ms|s) of messages from 2026-12-02T12:/,
    );
    let read = 0;
    for await (const m of reader.messageIterator({ start: 0 })) read += m.receiveTime > 0 ? 1 : 0;
    expect(read).toBeLessThan(traffic.length);
    expect(info.topics.reduce((n, t) => n + t.messageCount, 0)).toBe(read);
  });

  it('says nothing is partial when the file stops between two chunks', async () => {
    const bytes = await writeSnapshot(traffic, { chunkBytes: 8 * 1024, close: false });
    const info = await new SnapshotReader(bytesReadable(bytes)).initialize();
    expect(info.problems.map((p) => p.key)).toEqual(['snapshot:incomplete']);
    expect(info.topics.reduce((n, t) => n + t.messageCount, 0)).toBe(traffic.length);
  });
});
