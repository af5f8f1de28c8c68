#!/usr/bin/env node
// Entry point of `npx osprey …`: runs the compiled CLI, or says how to build it.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = new URL('../../dist/collector/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(main))) {
  console.error('osprey: not built yet — run `npm run build` (npm ci builds it too).');
  process.exit(1);
}
const { runCli } = await import(main.href);
process.exitCode = await runCli(process.argv);
