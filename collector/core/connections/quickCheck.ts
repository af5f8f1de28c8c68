/**
 * A saved connection checked without TypeBox: the schema by its compiled check (written at build
 * time, compiled/connectionInput.ts; ~3 MiB of `typebox/guard` instead of ~27 MiB), then the
 * same rules as a save. Undefined when the schema fails: only TypeBox's Value names the fields at
 * fault, so the caller loads validateConnection.ts for that (a file edited by hand, rarely).
 */
import { Check } from './compiled/connectionInput.js';
import { connectionRules, type InputCheck } from './connectionRules.js';
import type { ConnectionInput } from './schema.js';

const check = Check as (value: unknown) => value is ConnectionInput;

export function quickConnectionCheck(value: unknown): InputCheck | undefined {
  return check(value) ? connectionRules(value) : undefined;
}
