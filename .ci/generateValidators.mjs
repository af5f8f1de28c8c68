#!/usr/bin/env node
// Writes standalone validators (TypeBox Code(), see collector/core/protocol/compiled/emit.ts): the
// wire protocol's messages to collector/core/protocol/compiled/<type>.ts, and a saved connection's
// fields to collector/core/connections/compiled/connectionInput.ts. Run after changing spec.ts or
// connections/schema.ts; .ci/generateValidators.test.ts fails while a written module is stale.
// Loads the TypeScript sources through Vite's module runner, so nothing needs building.
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { runnerImport } from 'vite';

const load = async (url) =>
  (await runnerImport(fileURLToPath(url), { configFile: false, logLevel: 'error' })).module;

const protocol = new URL('../collector/core/protocol/compiled/', import.meta.url);
const emit = await load(new URL('emit.ts', protocol));
const write = (url, text) => {
  mkdirSync(fileURLToPath(new URL('.', url)), { recursive: true });
  writeFileSync(fileURLToPath(url), text);
  console.log(`wrote ${fileURLToPath(url)}`);
};
for (const type of ['inventory', 'metrics', 'events']) {
  write(new URL(`${type}.ts`, protocol), emit.emitValidator(type));
}
const connections = new URL('../collector/core/connections/', import.meta.url);
const schema = await load(new URL('schema.ts', connections));
write(
  new URL('compiled/connectionInput.ts', connections),
  emit.emitSchemaValidator(schema.ConnectionInput, 'connectionInput'),
);
