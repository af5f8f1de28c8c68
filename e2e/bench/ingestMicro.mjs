#!/usr/bin/env node
// Node micro-benchmark of the console's ingest path at fleet shape: JSON.parse (the floor),
// decodeMessage (parse + validate) and LiveStore.ingest, per message, and the validation step
// alone by the hand-written fastValidate.ts and TypeBox's compiled check (compiled/), in turn on
// the same parsed messages, for 512 nodes × 8 devices × 12 metrics + 2 engines at 2 Hz by
// default. Loads the TypeScript sources through Vite's module runner, so nothing needs building.
// Measures both encodings of the same values (protocol spec.ts): grids, as agents and the
// simulator send, and one JSON object per sample. Prints a table and one JSON line per encoding.
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
const results = ['grids', 'samples'].map((encoding) => ({
  encoding,
  ...module.runIngestMicro({ ...opts, encoding }),
}));
const offered = opts.nodes * opts.rateHz * results[0].samplesPerMessage;
const rows = (r) => [
  ['messages per tick', opts.nodes],
  ['samples per message', r.samplesPerMessage],
  ['bytes per message', r.bytesPerMessage],
  ['offered load (samples/s)', offered],
  ['JSON.parse (µs/message)', r.parseUs.toFixed(1)],
  ['decodeMessage (µs/message)', r.decodeUs.toFixed(1)],
  ['validate: fastValidate.ts (µs/message)', r.fastValidateUs.toFixed(1)],
  ['validate: TypeBox compiled Check (µs/message)', r.compiledCheckUs.toFixed(1)],
  ['drop unknown fields, none present (µs/message)', r.dropUs.toFixed(1)],
  ['LiveStore.ingest (µs/message)', r.ingestUs.toFixed(1)],
  ['decode + ingest capacity (samples/s, one core)', r.capacitySamplesPerSecond],
  [
    'share of one core at offered load',
    `${((100 * offered) / r.capacitySamplesPerSecond).toFixed(1)} %`,
  ],
  ['ingest allocation per sample, steady state (B)', r.ingestAllocBytesPerSample],
];
const table = results.map(rows);
console.log('| measure | grids | samples |\n|---|---:|---:|');
for (let i = 0; i < table[0].length; i++) {
  console.log(`| ${table[0][i][0]} | ${table.map((t) => t[i][1]).join(' | ')} |`);
}
for (const r of results) {
  console.log(
    JSON.stringify({ bench: 'ingest-micro', ...opts, ...r, offeredSamplesPerSecond: offered }),
  );
}
