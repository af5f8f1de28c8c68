import { describe, expect, it } from 'vitest';

import { ByteWriter, fragment } from './ByteWriter.js';

const text = (f: (w: ByteWriter) => void): string => {
  const w = new ByteWriter();
  f(w);
  return new TextDecoder().decode(w.bytes());
};

describe('ByteWriter', () => {
  it('writes integers as JSON does', () => {
    for (const n of [0, 7, 10, 99, 100, 12345, -42, 85_520_809_984, 2 ** 53 - 1]) {
      expect(text((w) => w.int(n))).toBe(String(n));
    }
  });

  it('writes fixed decimals without trailing zeros', () => {
    expect(text((w) => w.fixed(374.5234, 2))).toBe('374.52');
    expect(text((w) => w.fixed(90, 1))).toBe('90');
    expect(text((w) => w.fixed(0.05, 1))).toBe('0.1');
    expect(text((w) => w.fixed(12.30001, 2))).toBe('12.3');
    expect(text((w) => w.fixed(-1.25, 1))).toBe('-1.3');
    expect(text((w) => w.fixed(-0.01, 1))).toBe('0');
    expect(() => text((w) => w.fixed(NaN, 1))).toThrow(/not finite/);
  });

  it('writes about four significant digits, parseable back within rounding', () => {
    for (const x of [0.000123456, 0.0123456, 0.123456, 1.23456, 12.3456, 1234.56, 98765.4]) {
      const back = Number(text((w) => w.sig4(x)));
      expect(Math.abs(back - x) / x).toBeLessThan(5e-4);
    }
    expect(text((w) => w.sig4(0))).toBe('0');
  });

  it('grows past its initial size and hands out copies', () => {
    const w = new ByteWriter();
    const chunk = fragment('x'.repeat(1000));
    for (let i = 0; i < 200; i++) w.raw(chunk);
    const a = w.bytes();
    expect(a.length).toBe(200_000);
    w.reset();
    w.byte(65);
    expect(a[0]).toBe(120);
    expect(new TextDecoder().decode(w.bytes())).toBe('A');
  });

  it('refuses non-ASCII fragments', () => {
    expect(() => fragment('café')).toThrow(/not ASCII/);
  });
});
