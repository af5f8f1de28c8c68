import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { displayName } from './displayName.js';

describe('displayName', () => {
  it('shows a right-to-left override as an escape, so "exe.doc" is not drawn reversed', () => {
    expect(displayName('invoice\u202Ecod.exe')).toBe('invoice\\u202Ecod.exe');
  });

  it('escapes every bidi embedding, override and isolate, and the Arabic letter mark', () => {
    const bidi = [0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069, 0x061c];
    for (const code of bidi) {
      const hex = code.toString(16).toUpperCase().padStart(4, '0');
      expect(displayName(`a${String.fromCodePoint(code)}b`)).toBe(`a\\u${hex}b`);
    }
  });

  it('escapes zero-width and other invisible format characters', () => {
    expect(displayName('gpu\u200B01')).toBe('gpu\\u200B01');
    expect(displayName('\uFEFFnode')).toBe('\\uFEFFnode');
    expect(displayName('a\u200C\u200D\u200E\u200Fb')).toBe('a\\u200C\\u200D\\u200E\\u200Fb');
    expect(displayName('soft\u00ADhyphen')).toBe('soft\\u00ADhyphen');
    expect(displayName('tag\u{E0041}')).toBe('tag\\u{E0041}');
  });

  it('escapes C0 and C1 controls, DEL, line separators and lone surrogates', () => {
    expect(displayName('a\u0000b\u001Bc\u007Fd\u0085e\u009Ff')).toBe(
      'a\\u0000b\\u001Bc\\u007Fd\\u0085e\\u009Ff',
    );
    expect(displayName('line\nbreak\ttab')).toBe('line\\u000Abreak\\u0009tab');
    expect(displayName('a\u2028b\u2029c')).toBe('a\\u2028b\\u2029c');
    expect(displayName('half\uD800')).toBe('half\\uD800');
  });

  it('leaves visible text alone: accents, CJK, Arabic letters, emoji, HTML-looking text', () => {
    for (const text of ['gpu-node-03', 'Müller', '节点-7', 'عقدة', '🚀 node', '<b>&amp;</b>', '']) {
      expect(displayName(text)).toBe(text);
    }
  });

  it('leaves no invisible character in any string (seeded)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        expect(displayName(text)).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u);
      }),
      { seed: 0x05b7e7, numRuns: 2000 },
    );
  });
});
