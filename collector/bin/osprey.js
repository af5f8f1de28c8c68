#!/usr/bin/env node
// Entry point of `npx osprey …`: runs the compiled CLI, or says how to build it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';

// The collector is a long-lived daemon with a stated bound of RSS ≤ 150 MB under any tool output
// (issue 10). V8's default heap sizing let garbage from a 20 MB nvidia-smi/npu-smi answer or a
// 2,200-chip npu-smi table grow the heap to ~62 MB total for ~30 MB live, RSS 121–151 MB; with
// --optimize-for-size the same runs peaked at 87–112 MB, and an idle serve at 78 instead of 88 MB.
// Set before anything else is loaded so the heap is sized by it from the start.
setFlagsFromString('--optimize-for-size');

const main = new URL('../../dist/collector/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  console.error('osprey: not built yet — run `npm run build` (npm ci builds it too).');
  process.exit(1);
}
const { runCli } = await import(main.href);
process.exitCode = await runCli(process.argv);
