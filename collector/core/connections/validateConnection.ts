/**
 * Checks a connection save request: its schema (TypeBox, with every error named by its field),
 * then connectionRules.ts. Every error names its field, so the API's 400 and the dialog read the
 * same.
 */
import { connectionRules, type InputCheck } from './connectionRules.js';
import { ConnectionInput } from './schema.js';
import { schemaFieldErrors } from './schemaFieldErrors.js';

export type { InputCheck };

export function validateConnectionInput(value: unknown): InputCheck {
  const errors = schemaFieldErrors(ConnectionInput, value);
  if (errors.length > 0) return { ok: false, errors };
  return connectionRules(value as ConnectionInput);
}
