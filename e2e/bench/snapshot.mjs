#!/usr/bin/env node
// bench:snapshot — 1 h of 512 nodes × 8 devices at 1 Hz from the simulator, time-compressed,
// recorded to an MCAP snapshot and to gzipped NDJSON (the floor); then open to first frame, seek
// (p99 over random backfills), and read at 16× play rate against a bare NDJSON loop. Loads the
// TypeScript sources through Vite's module runner, so nothing needs building. Files go to a temp
// folder that is removed at the end.
//
// Options: --nodes N (512)  --devices N (8)  --minutes M (60)  --rate HZ (1)  --seeks N (100)
//          --play-seconds S (120)  --keep DIR (keep the files there)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { runnerImport } from 'vite';

const opts = {
  nodes: 512,
  devicesPerNode: 8,
  minutes: 60,
  rateHz: 1,
  seeks: 100,
  playSeconds: 120,
};
let keep;
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 2) {
  if (args[i] === '--keep') {
    keep = args[i + 1];
    continue;
  }
  const key = {
    '--nodes': 'nodes',
    '--devices': 'devicesPerNode',
    '--minutes': 'minutes',
    '--rate': 'rateHz',
    '--seeks': 'seeks',
    '--play-seconds': 'playSeconds',
  }[args[i]];
  const n = Number(args[i + 1]);
  if (!key || !Number.isFinite(n) || n <= 0) {
    console.error(`bench snapshot: bad option ${args[i]} ${args[i + 1] ?? ''}`);
    process.exit(1);
  }
  opts[key] = n;
}
const dir = keep ?? mkdtempSync(join(tmpdir(), 'osprey-bench-snapshot-'));
const entry = fileURLToPath(new URL('./snapshot.ts', import.meta.url));
const { module } = await runnerImport(entry, { configFile: false, logLevel: 'error' });
try {
  const r = await module.runSnapshotBench({
    ...opts,
    mcapPath: join(dir, 'bench.mcap'),
    ndjsonPath: join(dir, 'bench.ndjson.gz'),
  });
  const f = (n, d = 1) => n.toLocaleString('en-US', { maximumFractionDigits: d });
  const rows = [
    [
      'recording',
      `${opts.nodes} nodes × ${opts.devicesPerNode} devices, ${opts.minutes} min at ${opts.rateHz} Hz: ${f(r.messages, 0)} messages, ${f(r.jsonMB, 0)} MB of JSON`,
    ],
    ['MCAP file (lz4)', `${f(r.mcapMB, 0)} MB`],
    ['gzipped NDJSON (level 1)', `${f(r.ndjsonGzMB, 0)} MB`],
    [
      'snapshot write (writer + lz4 + disk)',
      `${f(r.writeS)} s: ${f(r.writeMessagesPerS, 0)} messages/s, ${f(r.writeJsonMBPerS, 0)} MB/s of JSON (${f(r.messages / (opts.minutes * 60), 0)} messages/s live)`,
    ],
    ['simulator generation (not in the write time)', `${f(r.simulatorS)} s`],
    ['gzip NDJSON write', `${f(r.gzipWriteS)} s`],
    [
      'open to first frame (initialize + backfill at start)',
      `${f(r.openToFirstFrameMs, 0)} ms (${r.firstFrameMessages} messages)`,
    ],
    [
      `seek (backfill) over ${opts.seeks} random times`,
      `p50 ${f(r.seekP50Ms, 0)} ms, p99 ${f(r.seekP99Ms, 0)} ms, max ${f(r.seekMaxMs, 0)} ms (${f(r.meanBackfillMessages, 0)} messages each)`,
    ],
    [
      `play: ${opts.playSeconds} s of recording through messageIterator (decoded)`,
      `${f(r.playMessagesPerS, 0)} messages/s = ${f(r.playMessagesPerS / r.neededAt16xPerS)}× what 16× play needs (${f(r.neededAt16xPerS, 0)}/s)`,
    ],
    [
      'floor: gzipped NDJSON, bare loop (gunzip + JSON.parse)',
      `${f(r.floorMessagesPerS, 0)} messages/s`,
    ],
  ];
  console.log('| measure | result |\n|---|---|');
  for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
  console.log(JSON.stringify({ bench: 'snapshot', ...opts, ...r }));
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
