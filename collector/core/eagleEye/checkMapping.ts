/**
 * Checks an Eagle Eye mapping beyond its schema: every rule has exactly one of `path` and
 * `ratio`, names an engine metric of the catalog, and no metric is mapped twice. Used by the
 * connection dialog (on every keystroke), the local server's API and the desktop main process.
 */
import { metricDef } from '../catalog.js';
import type { FieldError } from '../connections/fieldErrors.js';
import { schemaFieldErrors } from '../connections/schemaFieldErrors.js';
import { EagleEyeMapping } from './mapping.js';

export type MappingCheck =
  { ok: true; mapping: EagleEyeMapping } | { ok: false; errors: FieldError[] };

export function checkEagleEyeMapping(value: unknown, prefix = 'mapping'): MappingCheck {
  const errors = schemaFieldErrors(EagleEyeMapping, value, prefix);
  if (errors.length > 0) return { ok: false, errors };
  const mapping = value as EagleEyeMapping;
  const seen = new Set<string>();
  mapping.metrics.forEach((rule, i) => {
    const at = `${prefix}.metrics.${i}`;
    if ((rule.path === undefined) === (rule.ratio === undefined)) {
      errors.push({ field: at, message: 'needs exactly one of "path" and "ratio"' });
    }
    const def = metricDef(rule.metric);
    if (def?.scope !== 'engine') {
      errors.push({
        field: `${at}.metric`,
        message: `"${rule.metric}" is not an engine metric of the catalog (e.g. engine.requests.running)`,
      });
    } else if (def.kind === 'histogram') {
      errors.push({
        field: `${at}.metric`,
        message: `"${rule.metric}" is a latency distribution; per-step stats cannot fill it`,
      });
    }
    if (seen.has(rule.metric)) {
      errors.push({ field: `${at}.metric`, message: `"${rule.metric}" is mapped twice` });
    }
    seen.add(rule.metric);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, mapping };
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
