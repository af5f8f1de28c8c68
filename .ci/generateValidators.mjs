#!/usr/bin/env node
// Writes the standalone validators of the wire protocol's messages (TypeBox Code(), see
// collector/core/protocol/compiled/emit.ts) to collector/core/protocol/compiled/<type>.ts.
// Run after changing spec.ts; compiled.test.ts fails while the written modules are stale.
// Loads the TypeScript sources through Vite's module runner, so nothing needs building.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { runnerImport } from 'vite';

const dir = new URL('../collector/core/protocol/compiled/', import.meta.url);
const { module } = await runnerImport(fileURLToPath(new URL('emit.ts', dir)), {
  configFile: false,
  logLevel: 'error',
});
for (const type of ['inventory', 'metrics', 'events']) {
  const path = fileURLToPath(new URL(`${type}.ts`, dir));
  writeFileSync(path, module.emitValidator(type));
  console.log(`wrote ${path}`);
}
