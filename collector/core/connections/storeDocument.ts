/**
 * The connections file: `{ version: 1, connections: [...] }`, each entry a connection plus its
 * stored secrets (`secret` for NATS, `prometheusSecret` for Prometheus). Parsing checks every
 * entry with the validator saves use; an entry that does not pass is skipped with a message
 * naming its path, index and field, and kept in the file as it is (the user may have edited it).
 * A file that is not a connections file at all is refused whole, never repaired or overwritten.
 *
 * Entries written before the Prometheus part existed hold `prometheusUrl: "http://…"`; they are
 * read as `prometheus: { url, auth: "none" }` and written in the new shape on the next save.
 */
import { jsonDepthExceeds, MAX_JSON_DEPTH } from '../boundedJson.js';
import { describeFieldErrors, type FieldError } from './fieldErrors.js';
import type { AuthKind, ConnectionConfig, PrometheusAuthKind } from './schema.js';
import type { InputCheck } from './connectionRules.js';

/**
 * The save checks, handed in (ConnectionStore.ts: the compiled check first, TypeBox only to name
 * errors). Undefined: this check cannot tell; parseStoreDocument throws Undecided.
 */
export type ValidateInput = (value: unknown) => InputCheck | undefined;

/** A validator could not tell about an entry: parse again with one that names every error. */
export class Undecided extends Error {}

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

/** An entry of the file that did not pass: left out of the store, kept in the file. */
export interface SkippedEntry {
  /** The entry exactly as the file holds it; saves write it back unchanged. */
  raw: unknown;
  /** `entry 2 ("prod", id "c3"): natsUrl: must be a ws:// or wss:// URL …` */
  message: string;
}

export interface LoadedDocument {
  doc: StoreDocument;
  skipped: SkippedEntry[];
}

/**
 * The document in `text` (undefined or blank: no connections yet). A file that is not JSON or not
 * version 1 is refused as a whole. Each entry is checked exactly as a save checks it
 * (validateConnectionInput, plus the id and the stored secrets' shape); one that fails, or
 * repeats an earlier entry's id, is skipped with a message naming it and its field, and the
 * others load. Nothing here writes: the file stays as the user left it.
 */
export function parseStoreDocument(
  text: string | undefined,
  path: string,
  validate: ValidateInput,
): LoadedDocument {
  if (text === undefined || text.trim() === '') {
    return { doc: { version: 1, connections: [] }, skipped: [] };
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw brokenFile(path, `is not JSON (${(error as Error).message})`);
  }
  // Checked before anything walks it: a save writes the document back with JSON.stringify, which
  // recurses and threw RangeError on a field nested 100,000 deep (found by the fuzz test).
  if (jsonDepthExceeds(doc, MAX_JSON_DEPTH)) {
    throw brokenFile(path, `nests deeper than ${MAX_JSON_DEPTH} levels`);
  }
  const record = doc as Partial<StoreDocument> | null;
  if (record?.version !== 1 || !Array.isArray(record.connections)) {
    throw brokenFile(path, 'is not an Osprey connections file (version 1)');
  }
  const connections: StoredConnection[] = [];
  const skipped: SkippedEntry[] = [];
  const firstIndex = new Map<string, number>();
  (record.connections as unknown[]).forEach((raw, i) => {
    const entry = migrateEntry(raw as StoredConnection);
    const errors = checkEntry(entry, validate);
    const id = (entry as Partial<StoredConnection> | null)?.id;
    if (errors.length === 0 && firstIndex.has(id!)) {
      errors.push({
        field: 'id',
        message: `"${id!.slice(0, 100)}" is already used by entry ${firstIndex.get(id!)}`,
      });
    }
    if (errors.length > 0) {
      skipped.push({
        raw,
        message: `${path} ${describeEntry(entry, i)}: ${describeFieldErrors(errors.map(shortField))}`,
      });
      return;
    }
    firstIndex.set(id!, i);
    connections.push(entry);
  });
  return { doc: { ...(record as StoreDocument), connections }, skipped };
}

/** A field named by the file itself (an unknown key) may be any length: quote 100 characters. */
function shortField(e: FieldError): FieldError {
  return e.field.length > 100 ? { ...e, field: `${e.field.slice(0, 100)}…` } : e;
}

/** `entry 2 ("prod", id "c3")`: where it is and what the user called it, as plain text. */
function describeEntry(entry: unknown, index: number): string {
  const { name, id } = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<
    string,
    unknown
  >;
  const parts = [
    typeof name === 'string' ? JSON.stringify(name.slice(0, 100)) : undefined,
    typeof id === 'string' ? `id ${JSON.stringify(id.slice(0, 100))}` : undefined,
  ].filter((p) => p !== undefined);
  return `entry ${index}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}

/** `prometheusUrl` (files before the Prometheus part) becomes `prometheus` without auth. */
function migrateEntry(entry: StoredConnection): StoredConnection {
  if (typeof entry !== 'object' || entry === null || !('prometheusUrl' in entry)) return entry;
  const { prometheusUrl, ...rest } = entry as StoredConnection & { prometheusUrl: unknown };
  if (typeof prometheusUrl !== 'string' || 'prometheus' in rest) return entry;
  return { ...rest, prometheus: { url: prometheusUrl, auth: 'none' } };
}

/** The same checks as a save (validateConnection.ts), plus what only a stored entry has. */
function checkEntry(entry: unknown, validate: ValidateInput): FieldError[] {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return [{ field: '(entry)', message: 'is not an object' }];
  }
  const { id, secret, prometheusSecret, ...fields } = entry as Record<string, unknown>;
  const check = validate(fields);
  if (check === undefined) throw new Undecided('an entry needs the full check');
  const errors = check.ok ? [] : check.errors;
  if (typeof id !== 'string' || id === '') errors.push({ field: 'id', message: 'is missing' });
  else if (id.length > 256) errors.push({ field: 'id', message: 'is longer than 256 characters' });
  for (const [field, value] of [
    ['secret', secret],
    ['prometheusSecret', prometheusSecret],
  ] as const) {
    const s = value as Partial<StoredSecret> | undefined;
    if (
      s !== undefined &&
      (typeof s !== 'object' ||
        s === null ||
        typeof s.value !== 'string' ||
        typeof s.encrypted !== 'boolean' ||
        typeof s.auth !== 'string')
    ) {
      errors.push({ field, message: 'is not a stored secret' });
    }
  }
  return errors;
}
