import { describe, expect, it } from 'vitest';
import { recordNodeFilter } from './recordNodeFilter.js';

describe('recordNodeFilter', () => {
  it('empty text keeps all nodes (no filter)', () => {
    expect(recordNodeFilter('  ')).toBeUndefined();
  });
  it('plain text matches node names containing it, case-insensitive', () => {
    const f = recordNodeFilter('GPU-A')!;
    expect(['gpu-a-01', 'x-gpu-a', 'gpu-b-01'].filter(f)).toEqual(['gpu-a-01', 'x-gpu-a']);
  });
  it('a glob matches whole names, and its other characters are literal', () => {
    const f = recordNodeFilter('node-0?.a*')!;
    expect(['node-01.ab', 'node-01xab', 'node-012.a', 'xnode-01.a'].filter(f)).toEqual([
      'node-01.ab',
    ]);
  });
});
