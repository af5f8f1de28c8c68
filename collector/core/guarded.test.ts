import { describe, expect, it } from 'vitest';

import { guarded, thrownText } from './guarded.js';

describe('guarded', () => {
  it('passes arguments through and reports a throw instead of raising it', () => {
    const seen: number[] = [];
    const reported: string[] = [];
    const handle = guarded(
      (n: number) => {
        if (n === 2) throw new Error(`bad ${n}`);
        seen.push(n);
      },
      (error) => reported.push(thrownText(error)),
    );
    for (const n of [1, 2, 3]) expect(() => handle(n)).not.toThrow();
    expect(seen).toEqual([1, 3]);
    expect(reported).toEqual(['bad 2']);
  });

  it('swallows a reporter that throws too, so nothing reaches the caller', () => {
    const handle = guarded(
      () => {
        throw new Error('first');
      },
      () => {
        throw new Error('second');
      },
    );
    expect(() => handle()).not.toThrow();
  });
});

describe('thrownText', () => {
  it('says what was thrown in one short line', () => {
    expect(thrownText(new RangeError('Maximum call stack size exceeded'))).toBe(
      'Maximum call stack size exceeded',
    );
    expect(thrownText('plain')).toBe('plain');
    expect(thrownText(new Error('x'.repeat(500)))).toBe(`${'x'.repeat(200)}…`);
  });
});
