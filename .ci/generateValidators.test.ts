import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { ConnectionInput } from '../collector/core/connections/schema.js';
import { emitSchemaValidator, emitValidator } from '../collector/core/protocol/compiled/emit.js';
import type { MessageType } from '../collector/core/protocol/spec.js';

const TYPES: MessageType[] = ['inventory', 'metrics', 'events'];
const written = (type: MessageType) =>
  readFileSync(new URL(`../collector/core/protocol/compiled/${type}.ts`, import.meta.url), 'utf8');

describe('generateValidators.mjs output', () => {
  it.each(TYPES)('the written %s validator is what spec.ts generates now', (type) => {
    expect(written(type), 'stale: run node .ci/generateValidators.mjs').toBe(emitValidator(type));
  });

  it.each(TYPES)('the %s validator builds no function at run time (the CSP forbids it)', (type) => {
    expect(written(type)).not.toMatch(/new Function|\beval\(|SetExternal/);
  });

  it('the written saved-connection validator is what connections/schema.ts generates now', () => {
    const text = readFileSync(
      new URL('../collector/core/connections/compiled/connectionInput.ts', import.meta.url),
      'utf8',
    );
    expect(text, 'stale: run node .ci/generateValidators.mjs').toBe(
      emitSchemaValidator(ConnectionInput, 'connectionInput'),
    );
    expect(text).not.toMatch(/new Function|\beval\(|SetExternal/);
  });
});
