import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { jsonDepthExceeds, jsonPrefix, MAX_JSON_DEPTH } from './boundedJson.js';

const RUNS = { seed: 0x05b7e7, numRuns: 2000 };

function nested(depth: number, open = '[', close = ']'): unknown {
  return JSON.parse(open.repeat(depth) + '1' + close.repeat(depth));
}

describe('jsonDepthExceeds', () => {
  it('measures arrays and objects by levels: a scalar is 0, [1] is 1', () => {
    expect(jsonDepthExceeds(1, 0)).toBe(false);
    expect(jsonDepthExceeds([1], 0)).toBe(true);
    expect(jsonDepthExceeds([1], 1)).toBe(false);
    expect(jsonDepthExceeds({ a: [{ b: 1 }] }, 2)).toBe(true);
    expect(jsonDepthExceeds({ a: [{ b: 1 }] }, 3)).toBe(false);
  });

  it('answers at the limit and one past it', () => {
    expect(jsonDepthExceeds(nested(MAX_JSON_DEPTH))).toBe(false);
    expect(jsonDepthExceeds(nested(MAX_JSON_DEPTH + 1))).toBe(true);
  });

  it('walks a million levels without overflowing the stack', () => {
    expect(jsonDepthExceeds(nested(1_000_000))).toBe(true);
    expect(jsonDepthExceeds(nested(1_000_000, '{"a":', '}'))).toBe(true);
  });

  it('finds a deep branch beside shallow ones', () => {
    expect(jsonDepthExceeds({ a: 1, b: [2, 3], c: { d: nested(70) } })).toBe(true);
  });
});

describe('jsonPrefix', () => {
  it('equals JSON.stringify cut to the limit for any JSON value (seeded)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 5 }), fc.integer({ min: 0, max: 300 }), (v, limit) => {
        expect(jsonPrefix(v, limit)).toBe(JSON.stringify(v).slice(0, limit));
      }),
      RUNS,
    );
  });

  it('writes only what it needs of a million-deep array and a 4 MB string', () => {
    expect(jsonPrefix(nested(1_000_000), 5)).toBe('[[[[[');
    expect(jsonPrefix({ k: 'x'.repeat(4_000_000) }, 10)).toBe('{"k":"xxxx');
  });

  it('writes undefined and functions as JSON does inside arrays and objects', () => {
    expect(jsonPrefix([undefined, () => 1, 2], 50)).toBe('[null,null,2]');
    expect(jsonPrefix({ a: undefined, b: 2, c: () => 1 }, 50)).toBe('{"b":2}');
    expect(jsonPrefix(undefined, 50)).toBe('undefined');
  });
});
