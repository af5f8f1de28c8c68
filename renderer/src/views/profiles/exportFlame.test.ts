import { describe, expect, it } from 'vitest';

import { escapeXml, fileStem, fitLabel, flameSvg, type DrawnFrame } from './exportFlame.js';
import { filterFunctions, sortChanges, sortFunctions } from './prepareFunctions.js';
import { formatDelta, formatShare, formatWeight } from './units.js';

const frame = (name: string, x: number, width: number): DrawnFrame => ({
  x,
  y: 0,
  width,
  height: 18,
  fill: 'hsl(48 75% 66%)',
  name,
  faded: false,
});

describe('flameSvg', () => {
  it('writes names as escaped text, never markup', () => {
    const svg = flameSvg([frame('<script>alert("x")</script>', 0, 800)], 800, 18, 'a & b');
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;');
    expect(svg).toContain('<title>a &#38; b</title>');
  });

  it('draws one rect per frame (plus the background) and labels only those wide enough', () => {
    const svg = flameSvg([frame('wide', 0, 400), frame('narrow', 400, 20)], 420, 18, 't');
    expect(svg.match(/<rect /g)).toHaveLength(3);
    expect(svg.match(/<text /g)).toHaveLength(1);
  });

  it('cuts long labels with an ellipsis', () => {
    expect(fitLabel('abcdefghijklmnop', 60)).toBe('abcdef…');
    expect(fitLabel('abc', 20)).toBe('');
    expect(escapeXml(`'"&`)).toBe('&#39;&#34;&#38;');
  });

  it('makes file names without separators', () => {
    expect(fileStem('../etc/passwd')).toBe('.._etc_passwd');
    expect(fileStem('')).toBe('profile');
  });
});

describe('units', () => {
  it('every weight carries its unit', () => {
    expect(formatWeight(1204, 'samples')).toBe('1,204 samples');
    expect(formatWeight(1, 'samples')).toBe('1 sample');
    expect(formatWeight(12_345_678, 'nanoseconds')).toBe('12.3 ms');
    expect(formatWeight(950, 'nanoseconds')).toBe('950 ns');
    expect(formatWeight(1536, 'bytes')).toBe('1.5 KiB');
    expect(formatWeight(3, 'count')).toBe('3 events');
    expect(formatShare(0.234)).toBe('23.4 %');
    expect(formatDelta(0.0812)).toBe('+8.12 pp');
    expect(formatDelta(-0.034)).toBe('-3.4 pp');
  });
});

describe('top functions table', () => {
  const rows = [
    { key: 'a', name: 'alpha', file: 'x.py', kind: 'python' as const, self: 5, total: 9, calls: 2 },
    {
      key: 'b',
      name: 'beta',
      module: 'torch',
      kind: 'python' as const,
      self: 7,
      total: 7,
      calls: 1,
    },
    { key: 'c', name: 'gamma', kind: 'native' as const, self: 1, total: 20, calls: 9 },
  ];

  it('filters by name, file or module', () => {
    expect(filterFunctions(rows, 'ALP').map((r) => r.key)).toEqual(['a']);
    expect(filterFunctions(rows, 'x.py').map((r) => r.key)).toEqual(['a']);
    expect(filterFunctions(rows, 'torch').map((r) => r.key)).toEqual(['b']);
  });

  it('sorts by any column either way', () => {
    expect(sortFunctions(rows, { key: 'total', descending: true }).map((r) => r.key)).toEqual([
      'c',
      'a',
      'b',
    ]);
    expect(sortFunctions(rows, { key: 'self', descending: false }).map((r) => r.key)).toEqual([
      'c',
      'a',
      'b',
    ]);
    expect(sortFunctions(rows, { key: 'name', descending: false }).map((r) => r.key)).toEqual([
      'a',
      'b',
      'c',
    ]);
  });
});

describe('what changed most table', () => {
  const row = (key: string, selfDelta: number, totalDelta: number) => ({
    key,
    name: key,
    selfBefore: 0,
    selfAfter: 0,
    totalBefore: 0,
    totalAfter: 0,
    selfDelta,
    totalDelta,
  });
  const rows = [row('a', 0.01, -0.3), row('b', -0.2, 0.05), row('c', 0.1, 0.1)];

  it('sorts by the size of a change, grown or shrunk alike', () => {
    expect(sortChanges(rows, 'selfDelta', true).map((r) => r.key)).toEqual(['b', 'c', 'a']);
    expect(sortChanges(rows, 'totalDelta', true).map((r) => r.key)).toEqual(['a', 'c', 'b']);
    expect(sortChanges(rows, 'name', false).map((r) => r.key)).toEqual(['a', 'b', 'c']);
  });
});
