#!/usr/bin/env node
// The console's store under issue 10's series bomb, in Node: 48 nodes × 65,536-series grids, one
// a node a second for --messages seconds, plus a good 8-GPU node at 2 Hz, through NatsSource's
// queue and slices into a fleet LiveStore. Prints heap and typed-array memory after a full GC, the
// longest task, and whether the good node stayed current. --unpaced creates every series a
// message asks for at once, to see the store with its budget full. Run with --expose-gc:
//
//   node --expose-gc e2e/bench/storeBomb.mjs [--nodes 48] [--messages 2] [--unpaced]
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

import { runnerImport } from 'vite';

const opts = { nodes: 48, messagesPerNode: 2, unpaced: false };
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i += 2) {
  if (args[i] === '--unpaced') {
    opts.unpaced = true;
    i -= 1;
    continue;
  }
  const key = { '--nodes': 'nodes', '--messages': 'messagesPerNode' }[args[i]];
  const n = Number(args[i + 1]);
  if (!key || !Number.isInteger(n) || n <= 0) {
    console.error(`bench store-bomb: bad option ${args[i]} ${args[i + 1] ?? ''}`);
    process.exit(1);
  }
  opts[key] = n;
}
if (typeof globalThis.gc !== 'function') {
  console.error(
    'bench store-bomb: run with node --expose-gc, so memory is measured after a full GC',
  );
  process.exit(1);
}
const entry = fileURLToPath(new URL('./storeBomb.ts', import.meta.url));
const { module } = await runnerImport(entry, { configFile: false, logLevel: 'error' });
const r = await module.runStoreBomb(opts);
const rows = [
  ['bomb messages (MB)', `${r.messages} (${r.megabytes})`],
  ['heap before the bomb (MB)', r.heapBeforeMB],
  ['heap after, full GC (MB)', r.heapUsedMB],
  ['typed arrays after (MB)', r.arrayBuffersMB],
  ['series held', r.seriesHeld.toLocaleString('en')],
  ['longest task (ms), of it garbage collection', `${r.longestTaskMs} (${r.longestTaskGcMs})`],
  ['tasks over 50 ms', r.tasksOver50ms],
  ['most CPU in one task (ms)', r.mostTaskCpuMs],
  ['tasks over 50 ms of CPU', r.tasksOver50msCpu],
  ['bomb sent and backlog worked off in (s)', r.secondsToDrain],
  ['good node age at the end (ms)', r.goodNodeAgeMs],
  ['load average (1 min) at the end', loadavg()[0].toFixed(1)],
];
console.log('| measure | value |\n|---|---:|');
for (const [k, v] of rows) console.log(`| ${k} | ${v} |`);
for (const text of r.refusedText) console.log(`problem: ${text}`);
console.log(JSON.stringify({ bench: 'store-bomb', ...opts, ...r }));
