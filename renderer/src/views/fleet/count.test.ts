import { describe, expect, it } from 'vitest';

import { count } from './count.js';

describe('count', () => {
  it('says 1 node, 0 nodes and 4,096 devices', () => {
    expect([count(1, 'node'), count(0, 'node'), count(4096, 'device')]).toEqual([
      '1 node',
      '0 nodes',
      '4,096 devices',
    ]);
  });
});
