/**
 * A TypeBox schema's complaints as FieldErrors (fieldErrors.ts), one per field. Apart from the
 * FieldError type so that what only describes errors does not load TypeBox's Value (~28 MiB).
 */
import type { TSchema } from 'typebox';
import Value from 'typebox/value';

import type { FieldError } from './fieldErrors.js';

/** The schema's complaints about `value`, one per field, with `prefix` before every path. */
export function schemaFieldErrors(schema: TSchema, value: unknown, prefix = ''): FieldError[] {
  const byField = new Map<string, string>();
  const allowed = new Map<string, unknown[]>();
  const add = (field: string, message: string): void => {
    if (!byField.has(field)) byField.set(field, message);
  };
  for (const error of Value.Errors(schema, value)) {
    const at = dotted(prefix, error.instancePath);
    const params = error.params as Record<string, unknown>;
    switch (error.keyword) {
      // TypeBox reports each unexpected field twice: as a failed `false` schema and as an
      // additionalProperties error; the latter names the field.
      case 'boolean':
        break;
      case 'required':
        for (const name of (params.requiredProperties as string[] | undefined) ?? []) {
          add(join(at, name), 'is required');
        }
        break;
      case 'additionalProperties':
        for (const name of (params.additionalProperties as string[] | undefined) ?? []) {
          add(join(at, name), 'is not a known field');
        }
        break;
      case 'const':
        allowed.set(at, [...(allowed.get(at) ?? []), params.allowedValue]);
        break;
      case 'anyOf': {
        const values = allowed.get(at);
        add(
          at,
          values
            ? `must be one of ${values.map((v) => JSON.stringify(v)).join(', ')}`
            : error.message,
        );
        break;
      }
      default:
        add(at, error.message);
    }
  }
  return [...byField].map(([field, message]) => ({ field, message }));
}

function dotted(prefix: string, instancePath: string): string {
  const tail = instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
  return join(prefix, tail) || '(body)';
}

function join(a: string, b: string): string {
  if (a === '' || a === '(body)') return b;
  return b === '' ? a : `${a}.${b}`;
}
