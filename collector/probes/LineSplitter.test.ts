import { describe, expect, it } from 'vitest';

import { LineSplitter } from './LineSplitter.js';

function split(chunks: (string | Buffer)[], max?: number): string[] {
  const seen: string[] = [];
  const splitter = new LineSplitter(
    { onLine: (l) => seen.push(l), onTooLong: (m) => seen.push(`<too long: ${m}>`) },
    max,
  );
  for (const c of chunks) splitter.push(typeof c === 'string' ? Buffer.from(c) : c);
  splitter.end();
  return seen;
}

describe('LineSplitter', () => {
  it('splits lines across chunks, drops CR before LF and keeps a last line without newline', () => {
    expect(split(['a,b\r\nc', 'd\n\nlast'])).toEqual(['a,b', 'cd', '', 'last']);
  });

  it('decodes a UTF-8 character split between two chunks whole', () => {
    const bytes = Buffer.from('température 45 °C\n');
    const cut = bytes.indexOf(0xb0); // the second byte of "°"
    expect(split([bytes.subarray(0, cut), bytes.subarray(cut)])).toEqual(['température 45 °C']);
  });

  it('skips a line past the ceiling, says so once, and keeps the lines after it', () => {
    const flood = Array.from({ length: 50 }, () => 'x'.repeat(100));
    expect(split(['ok 1\n', ...flood, 'still the long line\nok 2\n'], 1000)).toEqual([
      'ok 1',
      '<too long: 1000>',
      'ok 2',
    ]);
  });

  it('takes a line of exactly the ceiling and refuses one byte more', () => {
    expect(split(['x'.repeat(10) + '\n' + 'y'.repeat(11) + '\n'], 10)).toEqual([
      'x'.repeat(10),
      '<too long: 10>',
    ]);
  });

  it('holds at most the ceiling while a newline never comes', () => {
    const seen: string[] = [];
    const splitter = new LineSplitter({ onLine: (l) => seen.push(l), onTooLong: () => {} }, 1024);
    const chunk = Buffer.alloc(64 * 1024, 'z');
    for (let i = 0; i < 1000; i++) splitter.push(chunk); // 64 MB without a newline
    const held = (splitter as unknown as { held: number }).held;
    expect(held).toBe(0);
    splitter.push(Buffer.from('\nafter\n'));
    expect(seen).toEqual(['after']);
  });
});
