/**
 * The dialog's unsaved Prometheus Test: its schema (TypeBox), then the rules of
 * prometheusRules.ts.
 */
import type { FieldError } from './fieldErrors.js';
import { checkPrometheusSecret, checkPrometheusSettings } from './prometheusRules.js';
import { PrometheusTestInput } from './schema.js';
import { schemaFieldErrors } from './schemaFieldErrors.js';

export type TestInputCheck =
  { ok: true; input: PrometheusTestInput } | { ok: false; errors: FieldError[] };

/** The body of an unsaved Test: its schema, the settings, and the secret when one is typed. */
export function validatePrometheusTestInput(value: unknown): TestInputCheck {
  const errors = schemaFieldErrors(PrometheusTestInput, value);
  if (errors.length > 0) return { ok: false, errors };
  const raw = value as PrometheusTestInput;
  const checked = checkPrometheusSettings(raw.settings, 'settings');
  errors.push(...checked.errors);
  const input: PrometheusTestInput = { ...raw, settings: checked.settings };
  if (raw.secret !== undefined) {
    input.secret = raw.secret.trim();
    errors.push(...checkPrometheusSecret(checked.settings, raw.secret, 'secret'));
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, input };
}
