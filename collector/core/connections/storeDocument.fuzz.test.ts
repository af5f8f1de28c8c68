/**
 * Seeded property-based fuzzing of the connections file reader (issue 10, deliverable 7): any text,
 * documents with hostile entries (wrong types, prototype keys, duplicate ids, odd URLs, deep
 * nesting, huge names). parseStoreDocument must load the entries a save would accept, skip the
 * others with one bounded message each, or refuse the file with a ConnectionStoreError — never
 * throw anything else, and never return a document that cannot be written back.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { ConnectionStoreError, parseStoreDocument } from './storeDocument.js';
import { validateConnectionInput } from './validateConnection.js';

const RUNS = { seed: 0x05b7e7, numRuns: 1000 };
const PATH = '/home/u/.config/osprey/connections.json';
const MAX_MESSAGE = 2000;

function load(text: string) {
  try {
    return parseStoreDocument(text, PATH, validateConnectionInput);
  } catch (error) {
    expect(error, String(error)).toBeInstanceOf(ConnectionStoreError);
    expect((error as Error).message.length).toBeLessThanOrEqual(MAX_MESSAGE);
    return undefined;
  }
}

function assertLoaded(text: string): void {
  const loaded = load(text);
  if (loaded === undefined) return;
  const ids = loaded.doc.connections.map((c) => c.id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const c of loaded.doc.connections) {
    const {
      id: _id,
      secret: _s,
      prometheusSecret: _p,
      ...fields
    } = c as unknown as Record<string, unknown>;
    expect(validateConnectionInput(fields).ok).toBe(true);
  }
  for (const s of loaded.skipped) {
    expect(s.message.startsWith(PATH)).toBe(true);
    expect(s.message.length).toBeLessThanOrEqual(MAX_MESSAGE);
  }
  // What loaded can be saved again (ConnectionStore writes it with JSON.stringify).
  expect(() => JSON.stringify({ ...loaded.doc }, null, 2)).not.toThrow();
}

const good = {
  id: 'c1',
  name: 'prod',
  kind: 'nats',
  natsUrl: 'wss://nats.prod.example:443',
  auth: 'none',
  cluster: 'prod',
};

const hostile: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    'javascript:alert(1)',
    'wss://x',
    'nats://10.0.0.1:4222',
    '',
    ' ',
    null,
    -1,
    Number.POSITIVE_INFINITY,
    'x'.repeat(5000),
    '\u202Eexe.doc',
    '<img src=x onerror=alert(1)>',
    { value: 'v', encrypted: false, auth: 'token' },
    { value: 1 },
  ),
  fc.jsonValue({ maxDepth: 3 }),
);
const field = fc.constantFrom(
  'id',
  'name',
  'kind',
  'natsUrl',
  'auth',
  'cluster',
  'user',
  'secret',
  'prometheusSecret',
  'prometheus',
  'prometheusUrl',
  'eagleEye',
  '__proto__',
  'constructor',
  'x'.repeat(3000),
);
const entry = fc.array(fc.tuple(field, hostile, fc.boolean()), { maxLength: 4 }).map((edits) => {
  const e: Record<string, unknown> = { ...good };
  for (const [k, v, remove] of edits) {
    if (remove) delete e[k];
    else
      Object.defineProperty(e, k, {
        value: v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
  }
  return e;
});
const document = fc.record({
  version: fc.oneof(fc.constant(1), hostile),
  connections: fc.oneof(fc.array(fc.oneof(entry, hostile), { maxLength: 6 }), hostile),
});

describe('parseStoreDocument under fuzzing (seeded)', () => {
  it('loads, skips or refuses arbitrary text without any other throw', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 200 }),
          fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
        ),
        (text) => assertLoaded(text),
      ),
      RUNS,
    );
  });

  it('loads only entries a save accepts, each id once, from hostile documents', () => {
    fc.assert(
      fc.property(document, (doc) => assertLoaded(JSON.stringify(doc))),
      RUNS,
    );
  });

  it('keeps the good entries when hostile ones surround them', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(entry, hostile), { maxLength: 5 }), (others) => {
        const loaded = load(JSON.stringify({ version: 1, connections: [good, ...others] }));
        expect(loaded?.doc.connections[0]).toEqual(good);
      }),
      RUNS,
    );
  });

  it('refuses or loads a file nested 100,000 deep, never throwing RangeError', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    for (const text of [
      `{"version":1,"connections":[],"extra":${deep}}`,
      `{"version":1,"connections":[${deep}]}`,
      `{"version":1,"connections":[{"id":"c","name":${deep}}]}`,
      `{"version":${deep},"connections":[]}`,
    ]) {
      assertLoaded(text);
    }
  });
});
