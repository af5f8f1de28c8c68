/**
 * The connections file: `{ version: 1, connections: [...] }`, each entry a connection plus its
 * stored secrets (`secret` for NATS, `prometheusSecret` for Prometheus). Parsing checks every
 * entry, and a file that does not pass is reported with its path and the entry at fault, never
 * repaired or overwritten (the user may have edited it).
 *
 * Entries written before the Prometheus part existed hold `prometheusUrl: "http://…"`; they are
 * read as `prometheus: { url, auth: "none" }` and written in the new shape on the next save.
 */
import { describeFieldErrors, schemaFieldErrors, type FieldError } from './fieldErrors.js';
import {
  ConnectionFields,
  type AuthKind,
  type ConnectionConfig,
  type PrometheusAuthKind,
} from './schema.js';

/** A refusal with the HTTP status it maps to and, for bad input, the fields at fault. */
export class ConnectionStoreError extends Error {
  constructor(
    readonly status: 400 | 404 | 500,
    message: string,
    readonly errors: readonly FieldError[] = [],
  ) {
    super(message);
    this.name = 'ConnectionStoreError';
  }
}

export interface StoredSecret<A extends string = AuthKind> {
  /** The authentication it belongs to: switching kinds needs a new secret. */
  auth: A;
  encrypted: boolean;
  value: string;
}

export type StoredConnection = ConnectionConfig & {
  secret?: StoredSecret;
  prometheusSecret?: StoredSecret<PrometheusAuthKind>;
};

export interface StoreDocument {
  version: 1;
  connections: StoredConnection[];
}

export function brokenFile(path: string, what: string): ConnectionStoreError {
  return new ConnectionStoreError(
    500,
    `the connections file ${path} ${what}; fix or remove it (it was left as it is)`,
  );
}

/** The document in `text` (undefined or blank: no connections yet). */
export function parseStoreDocument(text: string | undefined, path: string): StoreDocument {
  if (text === undefined || text.trim() === '') return { version: 1, connections: [] };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw brokenFile(path, `is not JSON (${(error as Error).message})`);
  }
  const record = doc as Partial<StoreDocument> | null;
  if (record?.version !== 1 || !Array.isArray(record.connections)) {
    throw brokenFile(path, 'is not an Osprey connections file (version 1)');
  }
  record.connections = record.connections.map(migrateEntry);
  record.connections.forEach((entry, i) => {
    const errors = checkEntry(entry);
    if (errors.length > 0) throw brokenFile(path, `entry ${i}: ${describeFieldErrors(errors)}`);
  });
  return record as StoreDocument;
}

/** `prometheusUrl` (files before the Prometheus part) becomes `prometheus` without auth. */
function migrateEntry(entry: StoredConnection): StoredConnection {
  if (typeof entry !== 'object' || entry === null || !('prometheusUrl' in entry)) return entry;
  const { prometheusUrl, ...rest } = entry as StoredConnection & { prometheusUrl: unknown };
  if (typeof prometheusUrl !== 'string' || 'prometheus' in rest) return entry;
  return { ...rest, prometheus: { url: prometheusUrl, auth: 'none' } };
}

function checkEntry(entry: unknown): FieldError[] {
  if (typeof entry !== 'object' || entry === null) {
    return [{ field: '(entry)', message: 'is not an object' }];
  }
  const { id, secret, prometheusSecret, ...fields } = entry as Record<string, unknown>;
  const errors = schemaFieldErrors(ConnectionFields, fields);
  if (typeof id !== 'string' || id === '') errors.push({ field: 'id', message: 'is missing' });
  for (const [field, value] of [
    ['secret', secret],
    ['prometheusSecret', prometheusSecret],
  ] as const) {
    const s = value as Partial<StoredSecret> | undefined;
    if (s !== undefined && (typeof s?.value !== 'string' || typeof s.encrypted !== 'boolean')) {
      errors.push({ field, message: 'is not a stored secret' });
    }
  }
  return errors;
}
