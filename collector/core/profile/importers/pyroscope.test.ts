// The core's code never touches files; its tests read their fixtures (collector/testing is outside
// the core's boundary, so the read is here).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import { buildCallTree, childrenOf, nodeName, type CallTree } from '../callTree.js';
import { totalWeight } from '../model.js';
import { importPyroscope, looksLikePyroscope } from './pyroscope.js';
import { ProfileImportError } from './types.js';

const fixture = (name: string): Uint8Array =>
  new Uint8Array(readFileSync(new URL(`../fixtures/pyroscope/${name}`, import.meta.url)));

const text = (name: string): string => new TextDecoder().decode(fixture(name));
const open = (name: string) => importPyroscope({ name, bytes: fixture(name) });
const fromText = (name: string, t: string) =>
  importPyroscope({ name, bytes: new TextEncoder().encode(t) });

function node(tree: CallTree, path: string[]): number {
  let n = 0;
  for (const name of path) {
    const c = childrenOf(tree, n).find((k) => nodeName(tree, k) === name);
    if (c === undefined) throw new Error(`no ${path.join(' → ')}`);
    n = c;
  }
  return n;
}

/** The file's own node list, decoded independently: [level, x, total, self, name] (single). */
function fileNodes(fb: { levels: number[][]; names: string[] }) {
  const out: { level: number; x: number; total: number; self: number; name: string }[] = [];
  fb.levels.forEach((l, level) => {
    let prevEnd = 0;
    for (let i = 0; i < l.length; i += 4) {
      const x = prevEnd + l[i]!;
      prevEnd = x + l[i + 1]!;
      out.push({ level, x, total: l[i + 1]!, self: l[i + 2]!, name: fb.names[l[i + 3]!]! });
    }
  });
  return out;
}

describe('importPyroscope (legacy render API, single)', () => {
  it('rebuilds the tree of simple-golang-app-cpu.json: total = numTicks, each node’s total and self', () => {
    const set = open('simple-golang-app-cpu.json');
    const fb = JSON.parse(text('simple-golang-app-cpu.json')).flamebearer;
    const p = set.profiles[0]!;
    expect(p.unit).toBe('samples');
    expect(p.measure).toBe('cpu');
    expect(totalWeight(p)).toBe(fb.numTicks);
    const tree = buildCallTree(p);
    expect(tree.total[0]).toBe(988);
    // Levels 2–3 of the file: fastFunction 214 (work 214), main.main 3 (self 2, fastFunction 1),
    // slowFunction 771 (work 771).
    expect(tree.total[node(tree, ['runtime.main', 'main.fastFunction'])]).toBe(214);
    expect(tree.self[node(tree, ['runtime.main', 'main.fastFunction', 'main.work'])]).toBe(214);
    expect(tree.total[node(tree, ['runtime.main', 'main.main'])]).toBe(3);
    expect(tree.self[node(tree, ['runtime.main', 'main.main'])]).toBe(2);
    expect(tree.total[node(tree, ['runtime.main', 'main.main', 'main.fastFunction'])]).toBe(1);
    expect(tree.total[node(tree, ['runtime.main', 'main.slowFunction', 'main.work'])]).toBe(771);
    expect(set.meta).toMatchObject({
      source: 'pyroscope (gospy)',
      rateHz: 100,
      startMs: 1632335270000,
    });
  });

  it('gives every node of pyroscope.server.alloc_space.json its file total and self (bytes)', () => {
    const set = open('pyroscope.server.alloc_space.json');
    const fb = JSON.parse(text('pyroscope.server.alloc_space.json')).flamebearer;
    const p = set.profiles[0]!;
    expect(p.unit).toBe('bytes');
    expect(p.measure).toBe('alloc');
    expect(totalWeight(p)).toBe(fb.numTicks);
    const tree = buildCallTree(p);
    // Every node of the file matches a tree node at its depth with the same total and self.
    const byDepth = new Map<number, { total: number; self: number; name: string }[]>();
    for (let i = 1; i < tree.size; i++) {
      const list = byDepth.get(tree.depth[i]!) ?? [];
      list.push({ total: tree.total[i]!, self: tree.self[i]!, name: nodeName(tree, i) });
      byDepth.set(tree.depth[i]!, list);
    }
    const nodes = fileNodes(fb).filter((n) => n.level > 0);
    for (const n of nodes) {
      expect(byDepth.get(n.level)).toContainEqual({ total: n.total, self: n.self, name: n.name });
    }
    expect(tree.size - 1).toBe(nodes.length);
  });

  it('reads the Connect API shape (levels of {values}, int64 as strings) to the same tree', () => {
    const connect = open('simple-golang-app-cpu.connect.json');
    const legacy = open('simple-golang-app-cpu.json');
    expect(totalWeight(connect.profiles[0]!)).toBe(
      Number(JSON.parse(text('simple-golang-app-cpu.connect.json')).flamegraph.total),
    );
    const a = buildCallTree(connect.profiles[0]!);
    const b = buildCallTree(legacy.profiles[0]!);
    expect(Array.from(a.total)).toEqual(Array.from(b.total));
    expect(Array.from(a.self)).toEqual(Array.from(b.self));
  });
});

describe('importPyroscope (diff, "double")', () => {
  it('makes two profiles, before (left) and after (right), with the file’s left and right ticks', () => {
    const set = open('simple-golang-app-cpu-diff.json');
    const fb = JSON.parse(text('simple-golang-app-cpu-diff.json')).flamebearer;
    expect(set.profiles.map((p) => p.name)).toEqual(['before (left)', 'after (right)']);
    const [left, right] = set.profiles;
    expect(totalWeight(left!)).toBe(fb.leftTicks);
    expect(totalWeight(right!)).toBe(fb.rightTicks);
    expect(totalWeight(left!) + totalWeight(right!)).toBe(fb.numTicks);
    const l = buildCallTree(left!);
    const r = buildCallTree(right!);
    // From the file's levels 2–3 (7 values a node: left offset/total/self, right offset/total/self,
    // name): under runtime.main, becomesAdded 217 → 229, becomesFaster 165 → 147, becomesSlower
    // 603 (self 1) → 604 (self 0), main.main 6 → 5 with a right-only becomesAdded of 1.
    const path = (...names: string[]) => ['runtime.main', ...names];
    expect(l.total[node(l, path('main.becomesAdded'))]).toBe(217);
    expect(r.total[node(r, path('main.becomesAdded'))]).toBe(229);
    expect(l.total[node(l, path('main.becomesFaster'))]).toBe(165);
    expect(r.total[node(r, path('main.becomesFaster'))]).toBe(147);
    expect(l.self[node(l, path('main.becomesSlower'))]).toBe(1);
    expect(r.total[node(r, path('main.becomesSlower', 'main.work'))]).toBe(604);
    expect(l.total[node(l, path('main.main'))]).toBe(6);
    expect(r.total[node(r, path('main.main'))]).toBe(5);
    expect(() => node(l, path('main.main', 'main.becomesAdded'))).toThrow();
    expect(r.total[node(r, path('main.main', 'main.becomesAdded'))]).toBe(1);
    // Left only: runtime.asyncPreempt (level 4, left offset 984) under becomesSlower → work.
    expect(l.self[node(l, path('main.becomesSlower', 'main.work', 'runtime.asyncPreempt'))]).toBe(
      1,
    );
    expect(() =>
      node(r, path('main.becomesSlower', 'main.work', 'runtime.asyncPreempt')),
    ).toThrow();
    // The upload path exists only on the right: runtime.mallocgc → runtime.arenaIndex, 1 tick.
    expect(
      r.self[
        node(r, [
          'github.com/pyroscope-io/pyroscope/pkg/agent/upstream/remote.(*Remote).handleJobs',
          'github.com/pyroscope-io/pyroscope/pkg/agent/upstream/remote.(*Remote).safeUpload',
          'net/http.(*Client).Do',
          'net/http.(*Client).do',
          'net/http.(*Client).send',
          'net/http.send',
          'net/http.(*Transport).RoundTrip',
          'net/http.setupRewindBody',
          'runtime.newobject',
          'runtime.mallocgc',
          'runtime.arenaIndex',
        ])
      ],
    ).toBe(1);
    expect(left!.unit).toBe(right!.unit);
  });
});

describe('malformed Pyroscope files', () => {
  it('names the level whose value count does not fit the format', () => {
    const doc = JSON.parse(text('simple-golang-app-cpu.json'));
    doc.flamebearer.levels[2].pop();
    expect(() => fromText('bad.json', JSON.stringify(doc))).toThrow(
      /flamebearer\.levels\[2\] has 11 values, not a multiple of 4 \(format "single"\)/,
    );
  });

  it('names a node whose name index is outside names', () => {
    const doc = JSON.parse(text('simple-golang-app-cpu.json'));
    doc.flamebearer.levels[3][3] = 99;
    expect(() => fromText('bad.json', JSON.stringify(doc))).toThrow(
      /levels\[3\] node 0 names index 99/,
    );
  });

  it('names a node that lies under no node of the level above', () => {
    const doc = JSON.parse(text('simple-golang-app-cpu.json'));
    doc.flamebearer.levels[1] = [0, 10, 0, 1];
    expect(() => fromText('bad.json', JSON.stringify(doc))).toThrow(
      /levels\[2\] node 0 at x=0 lies under no node/,
    );
  });

  it('gives the line of a JSON syntax error', () => {
    const cut = text('simple-golang-app-cpu.json').slice(0, 200);
    try {
      fromText('cut.json', cut);
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(ProfileImportError);
      expect((e as ProfileImportError).message).toMatch(
        /^cut\.json(, line \d+)?: pyroscope: invalid JSON/,
      );
    }
  });
});

describe('looksLikePyroscope', () => {
  it('accepts both shapes and rejects a trace or speedscope file', () => {
    expect(looksLikePyroscope(text('simple-golang-app-cpu.json'))).toBe(true);
    expect(looksLikePyroscope(text('simple-golang-app-cpu.connect.json'))).toBe(true);
    expect(looksLikePyroscope(text('simple-golang-app-cpu-diff.json'))).toBe(true);
    expect(looksLikePyroscope('{"traceEvents":[]}')).toBe(false);
    expect(
      looksLikePyroscope('{"$schema":"https://www.speedscope.app/file-format-schema.json"}'),
    ).toBe(false);
  });
});
