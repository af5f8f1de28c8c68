/**
 * Validation errors that name the field they are about, in the dotted form a form or an API
 * client can show next to the input: `natsUrl: must start with ws:// or wss://`,
 * `eagleEye.mapping.metrics.2.scale: must be greater than 0`.
 */
export interface FieldError {
  /** Dotted path of the field, e.g. `eagleEye.mapping.identity.node`; `(body)` for the whole. */
  field: string;
  message: string;
}

/** `[natsUrl: must …; name: is required]` as one line. */
export function describeFieldErrors(errors: readonly FieldError[]): string {
  return errors.map((e) => `${e.field}: ${e.message}`).join('; ');
}
