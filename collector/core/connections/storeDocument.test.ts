import { describe, expect, it } from 'vitest';

import { ConnectionStoreError, parseStoreDocument } from './storeDocument.js';
import { validateConnectionInput } from './validateConnection.js';

const PATH = '/cfg/connections.json';
const good = {
  id: 'c1',
  name: 'prod',
  kind: 'nats',
  natsUrl: 'wss://nats.prod.example:443',
  auth: 'none',
  cluster: 'prod',
};

// Both found by storeDocument.fuzz.test.ts.
describe('parseStoreDocument on hostile files', () => {
  it('refuses a file nested 100,000 deep as a whole (saving it back threw RangeError)', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const load = () =>
      parseStoreDocument(
        `{"version":1,"connections":[],"extra":${deep}}`,
        PATH,
        validateConnectionInput,
      );
    expect(load).toThrow(ConnectionStoreError);
    expect(load).toThrow(/nests deeper than 64 levels/);
  });

  it('quotes a 3,000-character unknown field name in 100 characters', () => {
    const key = 'x'.repeat(3000);
    const { doc, skipped } = parseStoreDocument(
      JSON.stringify({ version: 1, connections: [{ ...good, [key]: 1 }] }),
      PATH,
      validateConnectionInput,
    );
    expect(doc.connections).toEqual([]);
    expect(skipped[0]?.message).toBe(
      `${PATH} entry 0 ("prod", id "c1"): ${'x'.repeat(100)}…: is not a known field`,
    );
  });
});
