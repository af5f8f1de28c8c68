import { describe, expect, it } from 'vitest';

import { SnapshotReader } from '../core/snapshot/SnapshotReader.js';
import { SnapshotWriter } from '../core/snapshot/SnapshotWriter.js';
import { bytesReadable } from '../core/snapshot/RandomAccessReadable.js';
import { parsePrometheusAnswer, type PrometheusAnswer } from '../core/snapshot/prometheusAnswer.js';
import type { RecordedMessage } from '../core/recorded/RecordedSource.js';
import { simulatedTraffic, type SimulatedMessage } from './fixtures.js';
import { MemorySink } from './memory.js';
import { META, writeSnapshot } from './testWrite.js';

async function readAll(reader: SnapshotReader, start = 0): Promise<RecordedMessage[]> {
  const out: RecordedMessage[] = [];
  for await (const m of reader.messageIterator({ start })) out.push(m);
  return out;
}

describe('snapshot writer and reader', () => {
  const traffic = [...simulatedTraffic({ nodes: 6, devicesPerNode: 4, ticks: 40 })];

  it('reads back every message equal, in order, with its receipt time', async () => {
    const bytes = await writeSnapshot(traffic);
    const reader = new SnapshotReader(bytesReadable(bytes));
    const info = await reader.initialize();
    expect(info.complete).toBe(true);
    expect(info.problems).toEqual([]);
    expect(info.metadata).toMatchObject({
      recordedBy: 'test',
      cluster: 'sim-0',
      redacted: 'no',
      version: '0.1.0',
    });
    expect(info.range).toEqual({
      start: traffic[0]!.receiveTime,
      end: traffic.at(-1)!.receiveTime,
    });
    const counts = Object.fromEntries(info.topics.map((t) => [t.name, t.messageCount]));
    expect(counts['osprey.v1.metrics']).toBe(
      traffic.filter((m) => m.message.type === 'metrics').length,
    );
    expect(counts['osprey.v1.inventory']).toBe(
      traffic.filter((m) => m.message.type === 'inventory').length,
    );
    const back = await readAll(reader);
    expect(back.map((m) => m.receiveTime)).toEqual(traffic.map((m) => m.receiveTime));
    expect(back.map((m) => m.message)).toEqual(traffic.map((m) => m.message));
    expect(reader.problems).toEqual([]);
  });

  it('iterates a time window only, ends inclusive', async () => {
    const reader = new SnapshotReader(bytesReadable(await writeSnapshot(traffic)));
    const from = traffic[100]!.receiveTime;
    const to = traffic[200]!.receiveTime;
    const got: RecordedMessage[] = [];
    for await (const m of reader.messageIterator({ start: from, end: to })) got.push(m);
    const want = traffic.filter((m) => m.receiveTime >= from && m.receiveTime <= to);
    expect(got.map((m) => m.message)).toEqual(want.map((m) => m.message));
  });

  it('keeps Prometheus answers raw, one per request, and annotations, as attachments', async () => {
    const sink = new MemorySink();
    const w = await SnapshotWriter.open({ sink, metadata: META });
    await w.add(traffic[0]!.receiveTime, traffic[0]!.message);
    const answer = (body: string, time: number): PrometheusAnswer => ({
      request: {
        endpoint: 'query_range',
        params: [
          ['query', 'histogram_quantile(0.99, x)'],
          ['start', '1'],
          ['end', '2'],
          ['step', '15'],
        ],
      },
      status: 200,
      contentType: 'application/json',
      body,
      time,
    });
    await w.addPrometheusAnswer(answer('{"status":"success"}', 5));
    await w.addAnnotation(traffic[0]!.receiveTime, 'fan died');
    await w.close();
    const reader = new SnapshotReader(bytesReadable(sink.bytes()));
    const answers = await reader.prometheusAnswers();
    expect(answers).toHaveLength(1);
    expect(answers[0]!.name).toMatch(/^prometheus\/[0-9a-f]{8}$/);
    expect(parsePrometheusAnswer(answers[0]!.value)).toEqual(answer('{"status":"success"}', 5));
    expect((await reader.annotations()).map((a) => a.value)).toEqual([
      { time: traffic[0]!.receiveTime, text: 'fan died' },
    ]);
  });
});

describe('backfill', () => {
  // Node 3 goes quiet after tick 5 (its messages are dropped), so its latest state is far back.
  const traffic = [...simulatedTraffic({ nodes: 8, devicesPerNode: 2, ticks: 60 })].filter(
    (m) => !(m.message.node === 'node-003' && m.receiveTime > Date.UTC(2026, 11, 2, 12, 0, 5)),
  );

  function bruteForce(time: number): RecordedMessage[] {
    const latest = new Map<string, SimulatedMessage>();
    for (const m of traffic) {
      if (m.receiveTime > time || m.message.type === 'events') continue;
      latest.set(`${m.message.type}/${m.message.cluster}/${m.message.node}`, m);
    }
    return [...latest.values()]
      .sort((a, b) => a.receiveTime - b.receiveTime)
      .map((m) => ({ receiveTime: m.receiveTime, message: m.message }));
  }

  it('equals a brute-force scan at every probed time, with and without keyframes', async () => {
    for (const keyframeEveryChunks of [1, 3, 1_000_000]) {
      const bytes = await writeSnapshot(traffic, { chunkBytes: 16 * 1024, keyframeEveryChunks });
      const reader = new SnapshotReader(bytesReadable(bytes));
      const { range } = await reader.initialize();
      const probes = [
        range.start - 1,
        range.start,
        range.start + 4_321,
        range.start + 30_000,
        range.end - 7,
        range.end,
        // …and every 1.37 s, so probes fall at every place within a chunk and between keyframes.
        ...Array.from({ length: 43 }, (_, k) => range.start + k * 1_370),
      ];
      for (const t of probes) {
        const got = await reader.getBackfill(t);
        const want = bruteForce(t);
        const key = (m: RecordedMessage) => `${m.receiveTime}/${m.message.type}/${m.message.node}`;
        expect(
          got.messages.map(key).sort(),
          `time ${t}, keyframe every ${keyframeEveryChunks}`,
        ).toEqual(want.map(key).sort());
      }
    }
  });
});
