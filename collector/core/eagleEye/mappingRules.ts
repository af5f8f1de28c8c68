/**
 * What an Eagle Eye mapping's schema cannot say: every rule has exactly one of `path` and `ratio`,
 * names an engine metric of the catalog, and no metric is mapped twice. For a mapping that passed
 * its schema; no TypeBox here (a collector checks saved connections without it).
 */
import { metricDef } from '../catalog.js';
import type { FieldError } from '../connections/fieldErrors.js';
import type { EagleEyeMapping } from './mapping.js';

export function mappingRules(mapping: EagleEyeMapping, prefix: string): FieldError[] {
  const errors: FieldError[] = [];
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
  return errors;
}
