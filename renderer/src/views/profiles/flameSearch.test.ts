import { describe, expect, it } from 'vitest';

import { buildCallTree, limitNodes } from '../../../../collector/core/profile/callTree.js';
import { profileOf } from '../../../../collector/core/profile/testProfile.js';
import { parseSearch, searchText, searchTree } from './flameSearch.js';

/** speedscope's stackcollapse/recursion.txt: b recurses through a. */
const RECURSION = [
  'a;a 1',
  'b;b 1',
  'a;b 1',
  'a;b;a;b 1',
  'a;b;a;c 1',
  'a;b;a;b;a;b 1',
  'a;b;a;b;c 1',
  'a;b;a;b 1',
  'a;b;a;c 1',
  'a;b;a;b;c 1',
];

/** The file's own answer: weight of the lines with a matching frame anywhere on the stack. */
function fileShare(lines: readonly string[], match: (frame: string) => boolean): number {
  let hit = 0;
  let all = 0;
  for (const line of lines) {
    const cut = line.lastIndexOf(' ');
    const w = Number(line.slice(cut + 1));
    all += w;
    if (line.slice(0, cut).split(';').some(match)) hit += w;
  }
  return hit / all;
}

function run(lines: readonly string[], query: string) {
  const q = parseSearch(query);
  if (q.kind !== 'match') throw new Error(`not a search: ${query}`);
  return searchTree(buildCallTree(profileOf(lines)), q.test);
}

describe('search share', () => {
  it("equals the file's own share of samples with a match on the stack (recursion once)", () => {
    const r = run(RECURSION, 'c');
    expect(r.share).toBeCloseTo(
      fileShare(RECURSION, (f) => f === 'c'),
      12,
    );
    expect(r.weight).toBe(4);
    const b = run(RECURSION, 'b');
    expect(b.share).toBeCloseTo(
      fileShare(RECURSION, (f) => f === 'b'),
      12,
    );
    expect(b.total).toBe(10);
  });

  it('marks every matching node, nested ones too', () => {
    const tree = buildCallTree(profileOf(RECURSION));
    const q = parseSearch('b');
    if (q.kind !== 'match') throw new Error('no search');
    const r = searchTree(tree, q.test);
    const named = [...r.nodes].map((n) => tree.frames[tree.frame[n]!]!.name);
    expect(new Set(named)).toEqual(new Set(['b']));
    let bNodes = 0;
    for (let n = 1; n < tree.size; n++) if (tree.frames[tree.frame[n]!]!.name === 'b') bNodes++;
    expect(r.nodes.size).toBe(bNodes);
  });

  it('is exact on a budgeted tree: merged weight stays under its parent', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `main;worker;f${i} ${i + 1}`);
    const limited = limitNodes(buildCallTree(profileOf(lines)), 50);
    const q = parseSearch('worker');
    if (q.kind !== 'match') throw new Error('no search');
    expect(searchTree(limited, q.test).share).toBe(1);
  });

  it('substring is case-insensitive; /regex/ is a regular expression', () => {
    const lines = ['Main;Tokenize 3', 'Main;encode 1', 'Main;tokenizer_fast 4'];
    expect(run(lines, 'tokenize').weight).toBe(7);
    expect(run(lines, '/^Tokenize$/').weight).toBe(3);
    expect(run(lines, '/^tok/i').weight).toBe(7);
    expect(run(lines, 'nothing').weight).toBe(0);
  });

  it('says what is wrong with a regex instead of throwing', () => {
    const q = parseSearch('/a(/');
    expect(q.kind).toBe('error');
    expect(parseSearch('/a/g')).toMatchObject({ kind: 'error', message: /unknown flag/ });
    expect(parseSearch('   ')).toEqual({ kind: 'empty' });
  });

  it('reads "matches: x % of N samples"', () => {
    const lines = Array.from({ length: 1204 }, (_, i) => `main;${i < 282 ? 'hot' : 'cold'} 1`);
    expect(searchText(run(lines, 'hot'), 'samples')).toBe('matches: 23.4 % of 1,204 samples');
    expect(searchText(run(lines, 'none'), 'samples')).toBe('no match in 1,204 samples');
  });
});

describe('search on a tree numbered children first', () => {
  it('gives the same share as on the parents-first tree', () => {
    const tree = buildCallTree(profileOf(RECURSION));
    // Root stays 0; every other node renumbered in reverse, so children come before parents.
    const id = (n: number) => (n === 0 ? 0 : tree.size - n);
    const remap = (a: Int32Array) =>
      Int32Array.from(a, (v, i) => (a[id(i)]! < 0 ? -1 : id(a[id(i)]!)));
    const reversed = {
      ...tree,
      frame: Int32Array.from(tree.frame, (_, i) => tree.frame[id(i)]!),
      parent: remap(tree.parent),
      firstChild: remap(tree.firstChild),
      nextSibling: remap(tree.nextSibling),
      depth: Int32Array.from(tree.depth, (_, i) => tree.depth[id(i)]!),
      total: Float64Array.from(tree.total, (_, i) => tree.total[id(i)]!),
      self: Float64Array.from(tree.self, (_, i) => tree.self[id(i)]!),
      count: Float64Array.from(tree.count, (_, i) => tree.count[id(i)]!),
    };
    expect(reversed.parent[1]).toBeGreaterThan(1);
    const q = parseSearch('b');
    if (q.kind !== 'match') throw new Error('no search');
    const a = searchTree(tree, q.test);
    const b = searchTree(reversed, q.test);
    expect(b.weight).toBe(a.weight);
    expect(b.nodes.size).toBe(a.nodes.size);
  });
});

describe('search share without the node set', () => {
  it('gives the same weight and no nodes', () => {
    const tree = buildCallTree(profileOf(RECURSION));
    const q = parseSearch('a');
    if (q.kind !== 'match') throw new Error('no search');
    const shareOnly = searchTree(tree, q.test, { collect: false });
    expect(shareOnly.weight).toBe(searchTree(tree, q.test).weight);
    expect(shareOnly.nodes.size).toBe(0);
  });
});
