/**
 * The profile writers (core/profile/writers) on the real fixtures: what `osprey profile convert`
 * writes re-imports to the same stacks and totals. Here, not in core, because it reads files.
 */
import { readdirSync, readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { buildCallTree, limitNodes } from '../core/profile/callTree.js';
import { importFolded } from '../core/profile/importers/folded.js';
import type { Frame, Profile, ProfileSet } from '../core/profile/model.js';
import { totalWeight } from '../core/profile/model.js';
import { toFolded, toFoldedSet } from '../core/profile/writers/folded.js';

const DIR = new URL('../core/profile/fixtures/folded/', import.meta.url);

/** The real folded files that import (some are malformed on purpose; those are the importer's). */
function fixtures(): { name: string; set: ProfileSet }[] {
  const out: { name: string; set: ProfileSet }[] = [];
  for (const name of readdirSync(DIR).sort()) {
    const bytes = new Uint8Array(readFileSync(new URL(name, DIR)));
    try {
      out.push({ name, set: importFolded({ name, bytes }) });
    } catch {
      // A file the importer refuses has no round trip.
    }
  }
  return out;
}

function reimport(text: string): Profile {
  return importFolded({ name: 'out.txt', bytes: new TextEncoder().encode(text) }).profiles[0]!;
}

function frameText(f: Frame): string {
  return `${f.name}|${f.file ?? ''}|${f.line ?? ''}|${f.kind}`;
}

/** Stack (frames by name, file, line, kind) → summed weight. */
function stackWeights(p: Profile): Map<string, number> {
  const perStack = new Map<number, number>();
  p.sampleStacks.forEach((s, i) => perStack.set(s, (perStack.get(s) ?? 0) + p.weights[i]!));
  const out = new Map<string, number>();
  for (const [s, w] of perStack) {
    const key = p.stacks[s]!.map((f) => frameText(p.frames[f]!)).join(' / ');
    out.set(key, (out.get(key) ?? 0) + w);
  }
  return out;
}

describe('toFolded', () => {
  const all = fixtures();

  it('has real fixtures to round-trip (py-spy, perf-collapsed)', () => {
    expect(all.map((f) => f.name)).toEqual(expect.arrayContaining(['py-spy.txt', 'simple.txt']));
  });

  it('re-imports every real folded fixture to the same stacks, frames and total', () => {
    for (const { name, set } of all) {
      const p = set.profiles[0]!;
      const again = reimport(toFolded(p));
      expect(totalWeight(again), name).toBe(totalWeight(p));
      expect(stackWeights(again), name).toEqual(stackWeights(p));
    }
  });

  it('writes py-spy frames as `name (file:line)`, as py-spy --format raw does', () => {
    const bytes = new Uint8Array(readFileSync(new URL('py-spy.txt', DIR)));
    const p = importFolded({ name: 'py-spy.txt', bytes }).profiles[0]!;
    const lines = toFolded(p).trim().split('\n');
    const original = new TextDecoder().decode(bytes).trim().split('\n');
    expect([...lines].sort()).toEqual([...original].sort());
  });

  it('writes a call tree (and a node-budget-reduced one) to the same total', () => {
    for (const { name, set } of all) {
      const p = set.profiles[0]!;
      const tree = buildCallTree(p);
      const fromTree = reimport(toFolded(tree));
      expect(totalWeight(fromTree), name).toBe(totalWeight(p));
      expect(stackWeights(fromTree), name).toEqual(stackWeights(p));
      const small = limitNodes(tree, 3);
      expect(totalWeight(reimport(toFolded(small))), name).toBe(totalWeight(p));
    }
  });

  it('escapes names that hold `;`, newlines, a leading `#` or nothing, keeping stacks and totals', () => {
    const frames: Frame[] = [
      { name: '#root', kind: 'other' },
      { name: 'operator;()', kind: 'native' },
      { name: 'two\nlines', file: 'a;b.py', line: 3, kind: 'python' },
      { name: '', kind: 'other' },
      { name: 'do_syscall_64', kind: 'kernel' },
    ];
    const p: Profile = {
      name: 'crafted',
      unit: 'samples',
      measure: 'cpu',
      frames,
      stacks: [[0, 1, 2], [0, 3], [0, 1, 4], []],
      sampleStacks: [0, 1, 2, 3, 0],
      weights: [5, 2, 3, 4, 1],
    };
    const text = toFolded(p);
    expect(text.split('\n').filter(Boolean)).toHaveLength(4);
    const again = reimport(text);
    expect(totalWeight(again)).toBe(15);
    const names = [...stackWeights(again)].map(([k, w]) => `${k} = ${w}`).sort();
    expect(names).toEqual([
      '(no frames)|||other = 4',
      '\uff03root|||other / (unnamed)|||other = 2',
      '\uff03root|||other / operator\uff1b()|||other / do_syscall_64|||kernel = 3',
      '\uff03root|||other / operator\uff1b()|||other / two lines|a\uff1bb.py|3|python = 6',
    ]);
  });

  it('prefixes each profile’s name when a set holds several, and refuses mixed units', () => {
    const bytes = new Uint8Array(readFileSync(new URL('py-spy.txt', DIR)));
    const p = importFolded({ name: 'py-spy.txt', bytes }).profiles[0]!;
    const set: ProfileSet = {
      format: 'folded',
      name: 'two',
      profiles: [
        { ...p, name: 'thread 1' },
        { ...p, name: 'thread 2' },
      ],
      meta: {},
      warnings: [],
    };
    const again = reimport(toFoldedSet(set));
    expect(totalWeight(again)).toBe(2 * totalWeight(p));
    const roots = new Set(again.stacks.map((s) => again.frames[s[0]!]!.name));
    expect(roots).toEqual(new Set(['thread 1', 'thread 2']));
    const mixed = { ...set, profiles: [p, { ...p, unit: 'nanoseconds' as const }] };
    expect(() => toFoldedSet(mixed)).toThrow(/different units.*choose one profile/);
  });
});
