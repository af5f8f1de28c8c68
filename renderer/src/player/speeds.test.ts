import { describe, expect, it } from 'vitest';
import { checkSpeed, speedLabel, stepSpeed } from './speeds.js';

describe('speeds', () => {
  it('steps along the ladder 0.25, 0.5, 1, 2, 4, 8, 16 and stays at its ends', () => {
    const up = [0.25];
    while (up.length < 10) up.push(stepSpeed(up[up.length - 1]!, 1));
    expect(up).toEqual([0.25, 0.5, 1, 2, 4, 8, 16, 16, 16, 16]);
    expect(stepSpeed(0.25, -1)).toBe(0.25);
    expect(stepSpeed(1, -1)).toBe(0.5);
  });

  it('a speed between rungs steps to the next rung each way', () => {
    expect(stepSpeed(3, 1)).toBe(4);
    expect(stepSpeed(3, -1)).toBe(2);
  });

  it('accepts speeds within 0.25×–16× and refuses the rest by name', () => {
    expect(checkSpeed(0.25)).toBe(0.25);
    expect(checkSpeed(16)).toBe(16);
    expect(checkSpeed(3)).toBe(3);
    expect(() => checkSpeed(17)).toThrow('playback speed 17 is not allowed');
    expect(() => checkSpeed(0)).toThrow(RangeError);
    expect(() => checkSpeed(-1)).toThrow(RangeError);
    expect(() => checkSpeed(Infinity)).toThrow(RangeError);
  });

  it('labels speeds as multipliers', () => {
    expect(speedLabel(0.25)).toBe('0.25×');
    expect(speedLabel(16)).toBe('16×');
  });
});
