import type { PrometheusAnswer } from '../../../collector/core/snapshot/prometheusAnswer.js';
import { describe, expect, it } from 'vitest';
import type { ConnectionSummary } from '../../../collector/core/connections/schema.js';
import type { WireMessage } from '../../../collector/core/protocol/spec.js';
import type { RecordedMessage } from '../../../collector/core/recorded/RecordedSource.js';
import { bytesReadable } from '../../../collector/core/snapshot/RandomAccessReadable.js';
import { SnapshotReader } from '../../../collector/core/snapshot/SnapshotReader.js';
import { makeRecording, nodeName } from '../player/testing/recording.js';
import type { SourceBatch } from '../sources/Source.js';
import { FlightRecorder } from './FlightRecorder.js';
import { RecordingSession } from './RecordingSession.js';
import { recordNodeFilter } from './recordNodeFilter.js';
import {
  originOf,
  snapshotFileName,
  snapshotOfLast,
  type SnapshotOptions,
} from './recordSnapshot.js';

const START = Date.UTC(2026, 11, 2, 14, 0, 0);
const recording = makeRecording({
  nodes: 4,
  start: START,
  durationMs: 120_000,
  intervalMs: 1000,
  eventsEveryMs: 5000,
});
const END = recording[recording.length - 1]!.receiveTime;
const TOKEN = 'tok-3f9c1a7e5d2b';

/** A saved connection whose URL carries credentials and whose Prometheus sends a token header. */
const CONNECTION = {
  id: 'c1',
  name: 'Prod east',
  natsUrl: `nats://ops:${TOKEN}@10.1.2.3:4222`,
  cluster: 'gpu-a',
  auth: 'token',
  prometheus: { url: 'http://10.1.2.4:9090', auth: 'none', headers: { 'X-Token': TOKEN } },
  hasSecret: true,
  hasPrometheusSecret: false,
} as unknown as ConnectionSummary;

function options(over: Partial<SnapshotOptions> = {}): SnapshotOptions {
  return { origin: originOf(CONNECTION, '9.9.9'), redact: false, now: () => END, ...over };
}

/** The recording as the source hands it over: one batch per receipt time. */
function batches(): SourceBatch[] {
  const out: SourceBatch[] = [];
  for (const r of recording) {
    const last = out[out.length - 1];
    if (last && last.receivedAt === r.receiveTime) (last.messages as WireMessage[]).push(r.message);
    else out.push({ receivedAt: r.receiveTime, messages: [r.message] });
  }
  return out;
}

async function readAll(bytes: Uint8Array) {
  const reader = new SnapshotReader(bytesReadable(bytes));
  const info = await reader.initialize();
  const got: RecordedMessage[] = [];
  for await (const m of reader.messageIterator({ start: 0 })) got.push(m);
  return { info, got, answers: await reader.prometheusAnswers() };
}

describe('RecordingSession (Record … Stop)', () => {
  it('writes a snapshot that reads back as exactly the messages received, at their receipt times', async () => {
    const session = await RecordingSession.start(options());
    for (const b of batches()) session.ingest(b);
    expect(session.progress.messages).toBe(recording.length);
    const bytes = await session.stop();
    const { info, got } = await readAll(bytes);
    expect(got).toEqual(recording);
    expect(info.complete).toBe(true);
    expect(info.metadata).toMatchObject({
      recordedBy: 'console',
      version: '9.9.9',
      connection: 'Prod east',
      cluster: 'gpu-a',
      redacted: 'no',
    });
  });

  it('keeps only the nodes the filter accepts', async () => {
    const session = await RecordingSession.start(options({ nodes: recordNodeFilter('node-001') }));
    for (const b of batches()) session.ingest(b);
    const { got } = await readAll(await session.stop());
    expect(got).toEqual(recording.filter((r) => r.message.node === nodeName(1)));
    expect(got.length).toBeGreaterThan(0);
  });

  it('stops taking messages past its byte bound, says so, and still saves a readable file', async () => {
    const session = await RecordingSession.start(options(), 20_000);
    // Batches arrive in tasks of their own: the writer's chunks reach the sink in between.
    for (const b of batches()) {
      session.ingest(b);
      await session.settled();
    }
    const p = session.progress;
    expect(p.stoppedReason).toMatch(/^stopped at 0\.0 MB: save it and record again$/);
    expect(p.messages).toBeLessThan(recording.length);
    const { got } = await readAll(await session.stop());
    expect(got).toEqual(recording.slice(0, p.messages));
  });

  it('adds the Prometheus answers given at stop, raw as the server sent them', async () => {
    const session = await RecordingSession.start(options());
    session.ingest(batches()[0]!);
    const answer: PrometheusAnswer = {
      request: {
        endpoint: 'query_range',
        params: [
          ['query', 'up'],
          ['start', String(START / 1000)],
          ['end', String(END / 1000)],
          ['step', '15'],
        ],
      },
      status: 200,
      contentType: 'application/json',
      body: '{"status":"success","data":{"resultType":"matrix","result":[]}}',
      time: END,
    };
    const { answers } = await readAll(await session.stop([answer]));
    expect(answers.map((a) => a.value)).toEqual([answer]);
  });

  it('with redaction, a Prometheus answer keeps no node name, in its query or its body', async () => {
    const session = await RecordingSession.start(options({ redact: true }));
    for (const b of batches()) session.ingest(b);
    const node = recording[0]!.message.node;
    const body = `{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"node":"${node}"},"values":[[1,"2"]]}]}}`;
    const { answers } = await readAll(
      await session.stop([
        {
          request: { endpoint: 'query_range', params: [['query', `up{node="${node}"}`]] },
          status: 200,
          contentType: 'application/json',
          body,
          time: END,
        },
      ]),
    );
    const text = JSON.stringify(answers.map((a) => a.value));
    expect(text).not.toContain(node);
    expect(text).toMatch(/anon-node-\d+/);
  });

  it('with redaction, no node name or hostname of the fleet is left in the messages or metadata', async () => {
    const session = await RecordingSession.start(options({ redact: true }));
    for (const b of batches()) session.ingest(b);
    const { got, info } = await readAll(await session.stop());
    expect(got.length).toBe(recording.length);
    const text = (JSON.stringify(got) + JSON.stringify(info.metadata)).replace(
      /anon-(node|host|ip)-\d+/g,
      '',
    );
    const names = new Set(recording.map((r) => r.message.node));
    for (const r of recording)
      if (r.message.type === 'inventory') names.add(r.message.host.hostname);
    for (const n of names) expect(text).not.toContain(n);
    expect(new Set(got.map((m) => m.message.node))).toEqual(
      new Set(['anon-node-001', 'anon-node-002', 'anon-node-003', 'anon-node-004']),
    );
    expect(info.metadata['redacted']).toBe('yes');
  });

  it('never writes the connection secret: the token in its URL and headers is absent from the file bytes', async () => {
    const session = await RecordingSession.start(options());
    for (const b of batches()) session.ingest(b);
    const bytes = await session.stop();
    const latin1 = new TextDecoder('latin1').decode(bytes);
    expect(latin1).toContain('Prod east');
    expect(latin1).not.toContain(TOKEN);
    expect(latin1).not.toContain('10.1.2.3');
  });
});

describe('snapshotOfLast (save the last N minutes)', () => {
  it('writes exactly the messages received at or after now − N minutes', async () => {
    const fr = new FlightRecorder();
    for (const b of batches()) fr.ingest(b);
    const now = END + 5_000;
    const saved = await snapshotOfLast(fr, 1, options({ now: () => now }));
    const { got } = await readAll(saved.bytes);
    const want = recording.filter((r) => r.receiveTime >= now - 60_000);
    expect(want.length).toBeLessThan(recording.length);
    // Each node's latest inventory from before the window comes first, at the window's start.
    const latest = new Map<string, RecordedMessage>();
    for (const r of recording) {
      if (r.receiveTime < now - 60_000 && r.message.type === 'inventory') {
        latest.set(r.message.node, r);
      }
    }
    const carried = [...latest.values()]
      .sort((a, b) => a.receiveTime - b.receiveTime)
      .map((r) => ({ receiveTime: want[0]!.receiveTime, message: r.message }));
    expect(carried.length).toBe(4);
    expect(got.slice(carried.length)).toEqual(want);
    expect(new Set(got.slice(0, carried.length))).toEqual(new Set(carried));
    expect(saved.messages).toBe(want.length);
    expect(saved.carried).toBe(4);
    expect(saved.from).toBe(want[0]!.receiveTime);
  });

  it('applies the node filter and redaction when asked', async () => {
    const fr = new FlightRecorder();
    for (const b of batches()) fr.ingest(b);
    const saved = await snapshotOfLast(
      fr,
      5,
      options({ redact: true, nodes: recordNodeFilter('node-002') }),
    );
    const { got } = await readAll(saved.bytes);
    // Its inventory came at the start, more than 5 minutes before: carried into the window.
    expect(got.length).toBe(recording.filter((r) => r.message.node === nodeName(2)).length);
    expect(got[0]!.message.type).toBe('inventory');
    expect(JSON.stringify(got)).not.toContain(nodeName(2));
    expect(new Set(got.map((m) => m.message.node))).toEqual(new Set(['anon-node-001']));
  });
});

describe('snapshotFileName', () => {
  it('is osprey-<cluster>-<UTC time>.mcap with file-safe characters only', () => {
    expect(snapshotFileName('gpu a/b', START)).toBe('osprey-gpu_a_b-2026-12-02T14-00-00Z.mcap');
  });
});
