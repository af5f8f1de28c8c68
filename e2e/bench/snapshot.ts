/**
 * The Node half of bench:snapshot (snapshot.mjs runs it): records simulated fleet traffic,
 * time-compressed, to an MCAP snapshot and to gzipped NDJSON side by side, then measures opening,
 * seeking and reading the snapshot the way the console's player does (SnapshotReader over a file),
 * and the bare-loop floor on the NDJSON.
 */
import { createReadStream, createWriteStream, statSync } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { createGunzip, createGzip } from 'node:zlib';

import { SnapshotReader } from '../../collector/core/snapshot/SnapshotReader.js';
import { SnapshotWriter } from '../../collector/core/snapshot/SnapshotWriter.js';
import { FileSink, openReadable } from '../../collector/snapshot/files.js';
import { Simulator } from '../../collector/simulator/Simulator.js';

export interface SnapshotBenchOptions {
  nodes: number;
  devicesPerNode: number;
  minutes: number;
  rateHz: number;
  seeks: number;
  /** Recording seconds read by the play measurement. */
  playSeconds: number;
  mcapPath: string;
  ndjsonPath: string;
}

const utf8 = new TextDecoder();

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** mulberry32: the seeks' times, the same every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function runSnapshotBench(o: SnapshotBenchOptions): Promise<Record<string, number>> {
  const intervalMs = 1000 / o.rateHz;
  const ticks = Math.round(o.minutes * 60 * o.rateHz);
  const sim = new Simulator({
    clusters: 1,
    nodes: o.nodes,
    devicesPerNode: o.devicesPerNode,
    seed: 1,
    intervalMs,
  });
  const sink = await FileSink.create(o.mcapPath);
  const writer = await SnapshotWriter.open({
    sink,
    metadata: {
      version: 'bench',
      recordedBy: 'bench:snapshot',
      createdAt: new Date().toISOString(),
      redacted: false,
      cluster: 'sim-0',
    },
  });
  // Level 1: the floor's file is written as fast as gzip goes; reading it costs about the same.
  const gzip = createGzip({ level: 1, chunkSize: 1 << 20 });
  const ndjson = createWriteStream(o.ndjsonPath);
  gzip.pipe(ndjson);
  const start = Date.UTC(2026, 11, 2, 12, 0, 0);
  let simMs = 0;
  let writeMs = 0;
  let gzipMs = 0;
  let messages = 0;
  let jsonBytes = 0;
  for (let tick = 0; tick < ticks; tick++) {
    const ts = start + tick * intervalMs;
    let t0 = performance.now();
    const out = sim.tick(ts);
    simMs += performance.now() - t0;
    t0 = performance.now();
    for (let i = 0; i < out.length; i++) {
      const m = out[i]!;
      const receiveTime = ts + 1 + Math.floor((i * 200) / out.length);
      // The simulator knows each message's envelope; a recorder has it from the decoder.
      await writer.addEncoded(
        receiveTime,
        { type: m.type, cluster: m.node.cluster, node: m.node.name, ts },
        m.data,
      );
      jsonBytes += m.data.length;
    }
    messages += out.length;
    const t1 = performance.now();
    writeMs += t1 - t0;
    let lines = '';
    for (const m of out) lines += `{"receiveTime":${ts},"message":${utf8.decode(m.data)}}\n`;
    if (!gzip.write(lines)) await once(gzip, 'drain');
    gzipMs += performance.now() - t1;
    if (tick % 600 === 0) process.stderr.write(`bench snapshot: ${tick}/${ticks} ticks\n`);
  }
  let t0 = performance.now();
  await writer.close();
  await sink.close();
  writeMs += performance.now() - t0;
  t0 = performance.now();
  gzip.end();
  await once(ndjson, 'close');
  gzipMs += performance.now() - t0;
  const mcapBytes = statSync(o.mcapPath).size;
  const ndjsonGzBytes = statSync(o.ndjsonPath).size;

  // Open to first frame: a fresh reader, initialize + the backfill at the start.
  t0 = performance.now();
  const file = await openReadable(o.mcapPath);
  const reader = new SnapshotReader(file);
  const info = await reader.initialize();
  const first = await reader.getBackfill(info.range.start);
  const openMs = performance.now() - t0;

  // Seeks: backfills at random times over the whole recording.
  const rand = random(42);
  const seekMs: number[] = [];
  let backfilled = 0;
  for (let i = 0; i < o.seeks; i++) {
    const t = info.range.start + rand() * (info.range.end - info.range.start);
    const s = performance.now();
    const b = await reader.getBackfill(t);
    seekMs.push(performance.now() - s);
    backfilled += b.messages.length;
  }
  seekMs.sort((a, b) => a - b);

  // Play: messages of `playSeconds` of recording from the middle, as the player iterates them.
  const from = info.range.start + (info.range.end - info.range.start) / 2;
  t0 = performance.now();
  let played = 0;
  for await (const m of reader.messageIterator({ start: from, end: from + o.playSeconds * 1000 })) {
    if (m.receiveTime >= from) played++;
  }
  const playMs = performance.now() - t0;
  await file.close();
  const neededAt16 = (16 * messages) / ((ticks * intervalMs) / 1000);

  // The floor: the same messages from gzipped NDJSON, a bare loop (gunzip, split, JSON.parse).
  t0 = performance.now();
  let floorRead = 0;
  const lines = createInterface({
    input: createReadStream(o.ndjsonPath).pipe(createGunzip({ chunkSize: 1 << 20 })),
    crlfDelay: Infinity,
  });
  for await (const line of lines) {
    JSON.parse(line);
    if (++floorRead >= played) break;
  }
  lines.close();
  const floorMs = performance.now() - t0;

  return {
    ticks,
    messages,
    jsonMB: jsonBytes / 1e6,
    simulatorS: simMs / 1000,
    writeS: writeMs / 1000,
    writeMessagesPerS: messages / (writeMs / 1000),
    writeJsonMBPerS: jsonBytes / 1e6 / (writeMs / 1000),
    gzipWriteS: gzipMs / 1000,
    mcapMB: mcapBytes / 1e6,
    ndjsonGzMB: ndjsonGzBytes / 1e6,
    openToFirstFrameMs: openMs,
    firstFrameMessages: first.messages.length,
    seekP50Ms: percentile(seekMs, 50),
    seekP99Ms: percentile(seekMs, 99),
    seekMaxMs: seekMs.at(-1)!,
    meanBackfillMessages: backfilled / o.seeks,
    playMessages: played,
    playMessagesPerS: played / (playMs / 1000),
    neededAt16xPerS: neededAt16,
    floorMessagesPerS: floorRead / (floorMs / 1000),
  };
}
