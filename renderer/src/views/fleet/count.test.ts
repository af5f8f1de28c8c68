import { describe, expect, it } from 'vitest';

import { count, droppedText } from './count.js';

describe('count', () => {
  it('says 1 node, 0 nodes and 4,096 devices', () => {
    expect([count(1, 'node'), count(0, 'node'), count(4096, 'device')]).toEqual([
      '1 node',
      '0 nodes',
      '4,096 devices',
    ]);
  });
});

describe('droppedText', () => {
  it('says nothing until the store drops a sample, then how many and why', () => {
    expect(droppedText(0, 65_536)).toBeUndefined();
    expect(droppedText(3, 65_536)).toBe('3 samples dropped: a node sent more than 65,536 series');
  });
});
