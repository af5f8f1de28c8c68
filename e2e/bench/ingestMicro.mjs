#!/usr/bin/env node
// Node micro-benchmark of the console's ingest path at fleet shape: JSON.parse (the floor),
// decodeMessage (parse + validate) and LiveStore.ingest, per message, for 512 nodes × 8 devices
// × 12 metrics + 2 engines at 2 Hz by default. Loads the TypeScript sources through Vite's module
// runner, so nothing needs building. Prints a table and one JSON line.
//
// Options: --nodes N (512)  --devices N (8)  --rate HZ (2)  --seconds S (20)
import { fileURLToPath } from 'node:url';

import { runnerImport } from 'vite';

const opts = { nodes: 512, devicesPerNode: 8, rateHz: 2, seconds: 20 };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 2) {
  const key = {
    '--nodes': 'nodes',
    '--devices': 'devicesPerNode',
    '--rate': 'rateHz',
    '--seconds': 'seconds',
  }[args[i]];
  const n = Number(args[i + 1]);
  if (!key || !Number.isFinite(n) || n <= 0) {
    console.error(`bench ingest-micro: bad option ${args[i]} ${args[i + 1] ?? ''}`);
    process.exit(1);
  }
  opts[key] = n;
}
const entry = fileURLToPath(new URL('./ingestMicro.ts', import.meta.url));
const { module } = await runnerImport(entry, { configFile: false, logLevel: 'error' });
const r = module.runIngestMicro(opts);
const offered = opts.nodes * opts.rateHz * r.samplesPerMessage;
const rows = [
  ['messages per tick', opts.nodes],
  ['samples per message', r.samplesPerMessage],
  ['bytes per message', r.bytesPerMessage],
  ['offered load (samples/s)', offered],
  ['JSON.parse (µs/message)', r.parseUs.toFixed(1)],
  ['decodeMessage (µs/message)', r.decodeUs.toFixed(1)],
  ['LiveStore.ingest (µs/message)', r.ingestUs.toFixed(1)],
  ['decode + ingest capacity (samples/s, one core)', r.capacitySamplesPerSecond],
  [
    'share of one core at offered load',
    `${((100 * offered) / r.capacitySamplesPerSecond).toFixed(1)} %`,
  ],
  ['ingest allocation per sample, steady state (B)', r.ingestAllocBytesPerSample],
];
console.log('| measure | value |\n|---|---|');
for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
console.log(
  JSON.stringify({ bench: 'ingest-micro', ...opts, ...r, offeredSamplesPerSecond: offered }),
);
