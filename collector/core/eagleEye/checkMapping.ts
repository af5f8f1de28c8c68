/**
 * Checks an Eagle Eye mapping: its schema, then mappingRules.ts (exactly one of `path` and
 * `ratio`, an engine metric of the catalog, no metric mapped twice). Used by the
 * connection dialog (on every keystroke), the local server's API and the desktop main process.
 */
import type { FieldError } from '../connections/fieldErrors.js';
import { schemaFieldErrors } from '../connections/schemaFieldErrors.js';
import { EagleEyeMapping } from './mapping.js';
import { mappingRules } from './mappingRules.js';

export type MappingCheck =
  { ok: true; mapping: EagleEyeMapping } | { ok: false; errors: FieldError[] };

export function checkEagleEyeMapping(value: unknown, prefix = 'mapping'): MappingCheck {
  const errors = schemaFieldErrors(EagleEyeMapping, value, prefix);
  if (errors.length > 0) return { ok: false, errors };
  const mapping = value as EagleEyeMapping;
  const rules = mappingRules(mapping, prefix);
  return rules.length > 0 ? { ok: false, errors: rules } : { ok: true, mapping };
}

/** Parses the dialog's JSON text; a syntax error names the mapping field too. */
export function parseEagleEyeMapping(text: string, prefix = 'mapping'): MappingCheck {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      errors: [{ field: prefix, message: `not JSON: ${(error as Error).message}` }],
    };
  }
  return checkEagleEyeMapping(value, prefix);
}
