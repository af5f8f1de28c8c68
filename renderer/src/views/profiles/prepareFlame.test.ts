import { describe, expect, it } from 'vitest';

import { buildCallTree, limitNodes } from '../../../../collector/core/profile/callTree.js';
import { diffProfiles } from '../../../../collector/core/profile/diff.js';
import type { Frame, Profile } from '../../../../collector/core/profile/model.js';
import { profileOf } from '../../../../collector/core/profile/testProfile.js';
import { describeDiffNode, describeNode } from './describeNode.js';
import { diffColor, HIGHLIGHT, kindColor, moduleColor, NEUTRAL } from './flameColors.js';
import {
  breadcrumb,
  budgetInfo,
  diffColors,
  nodeColors,
  toFlameInput,
  type FlameDatum,
} from './prepareFlame.js';

/** speedscope's stackcollapse/simple.txt (also collector/core/profile/fixtures/folded). */
const SIMPLE = ['a;b;c 1', 'a;b;c 1', 'a;b;d 4', 'a;b;c 3', 'a;b 5'];

function find(root: FlameDatum, name: string): FlameDatum | undefined {
  const stack = [root];
  while (stack.length > 0) {
    const d = stack.pop()!;
    if (d.name === name) return d;
    stack.push(...(d.children ?? []));
  }
  return undefined;
}

function all(root: FlameDatum): FlameDatum[] {
  const out: FlameDatum[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const d = stack.pop()!;
    out.push(d);
    stack.push(...(d.children ?? []));
  }
  return out;
}

/** A profile with the frames given (kind, module) and one sample per stack. */
function framed(frames: Frame[], stacks: number[][], weights: number[]): Profile {
  return {
    name: 'p',
    unit: 'samples',
    measure: 'cpu',
    frames,
    stacks,
    sampleStacks: stacks.map((_, i) => i),
    weights,
  };
}

describe('toFlameInput', () => {
  const tree = buildCallTree(profileOf(SIMPLE, 'simple'));
  const input = toFlameInput(tree, { colors: nodeColors(tree, 'kind') });

  it("gives every node its tree's total, children heaviest first", () => {
    // The file's own sums: c 1+1+3, d 4, b's self 5, all 14.
    expect(input).toMatchObject({ name: 'simple', value: 14, i: 0 });
    const b = find(input, 'b')!;
    expect(b.value).toBe(14);
    expect(b.children!.map((c) => [c.name, c.value])).toEqual([
      ['c', 5],
      ['d', 4],
    ]);
    for (const d of all(input)) expect(d.value).toBe(tree.total[d.i]);
  });

  it('leaves out nodes of zero width (a diff drawn with the before totals)', () => {
    const values = Float64Array.from(tree.total);
    const d = all(input).find((x) => x.name === 'd')!;
    values[d.i] = 0;
    const cut = toFlameInput(tree, { colors: nodeColors(tree, 'kind'), values });
    expect(find(cut, 'd')).toBeUndefined();
    expect(find(cut, 'c')!.value).toBe(5);
  });

  it('escapes invisible characters in names and keeps markup as plain text', () => {
    const t = buildCallTree(profileOf(['ev\u202Eil;<img src=x onerror=alert(1)> 2']));
    const names = all(toFlameInput(t, { colors: nodeColors(t, 'kind') })).map((d) => d.name);
    expect(names).toContain('ev\\u202Eil');
    expect(names).toContain('<img src=x onerror=alert(1)>');
  });
});

describe('budgetInfo', () => {
  // 600 distinct leaves under one parent: 602 nodes before the budget.
  const lines = Array.from({ length: 600 }, (_, i) => `main;f${i} ${i + 1}`);
  const profile = profileOf(lines, 'wide');
  const full = buildCallTree(profile);
  const limited = limitNodes(full, 100);

  it('says how many nodes are shown, of how many, and how many were merged', () => {
    const info = budgetInfo(limited);
    expect(full.size).toBe(602);
    expect(info.shown).toBe(limited.size);
    expect(info.shown).toBeLessThanOrEqual(100);
    expect(info.original).toBe(602);
    expect(info.merged).toBe(limited.reduction!.mergedFrames);
    expect(info.text).toBe(
      `${limited.size} of 602 nodes; ${info.merged.toLocaleString('en')} merged into '(N smaller frames)'`,
    );
  });

  it('feeds d3 only the budgeted tree, with the profile total exact', () => {
    const input = toFlameInput(limited, { colors: nodeColors(limited, 'kind') });
    const nodes = all(input);
    expect(nodes.length).toBe(limited.size);
    const fileTotal = lines.reduce((s, l) => s + Number(l.split(' ')[1]), 0);
    expect(input.value).toBe(fileTotal);
    expect(nodes.some((d) => /^\(\d+ smaller frames, /.test(d.name))).toBe(true);
  });

  it('is a plain count when nothing was merged', () => {
    expect(budgetInfo(buildCallTree(profileOf(SIMPLE))).text).toBe('5 nodes');
  });
});

describe('breadcrumb', () => {
  it('is the path from the root to the zoomed node', () => {
    const tree = buildCallTree(profileOf(SIMPLE, 'simple'));
    const input = toFlameInput(tree, { colors: nodeColors(tree, 'kind') });
    const d = find(input, 'd')!;
    expect(breadcrumb(tree, d.i).map((s) => s.name)).toEqual(['simple', 'a', 'b', 'd']);
    expect(breadcrumb(tree, 0).map((s) => s.name)).toEqual(['simple']);
  });
});

describe('colours', () => {
  const frames: Frame[] = [
    { name: 'main', kind: 'python', module: 'app', file: 'app/main.py', line: 3 },
    { name: 'forward', kind: 'python', module: 'torch', file: 'torch/nn.py', line: 9 },
    { name: 'ampere_sgemm', kind: 'cuda-kernel', module: 'CUDA' },
    { name: 'memcpy', kind: 'native', module: 'libc.so.6' },
    { name: 'step', kind: 'python', module: 'torch', file: 'torch/opt.py', line: 1 },
  ];
  const tree = buildCallTree(
    framed(
      frames,
      [
        [0, 1, 2],
        [0, 1, 3],
        [0, 4],
      ],
      [5, 3, 2],
    ),
  );
  const nodeNamed = (name: string) =>
    Array.from({ length: tree.size }, (_, n) => n).find(
      (n) => tree.frame[n]! >= 0 && tree.frames[tree.frame[n]!]!.name === name,
    )!;

  it('by kind: one hue per kind, the root neutral', () => {
    const colors = nodeColors(tree, 'kind');
    const hue = (c: string) => Number(/^hsl\((\d+)/.exec(c)![1]);
    expect(colors[0]).toBe(NEUTRAL);
    expect(hue(colors[nodeNamed('main')]!)).toBe(hue(colors[nodeNamed('forward')]!));
    expect(colors[nodeNamed('ampere_sgemm')]).toBe(kindColor('cuda-kernel', 'ampere_sgemm'));
    expect(hue(colors[nodeNamed('ampere_sgemm')]!)).not.toBe(hue(colors[nodeNamed('main')]!));
    expect(hue(colors[nodeNamed('memcpy')]!)).not.toBe(hue(colors[nodeNamed('main')]!));
  });

  it('by module: one colour per module, whatever the function', () => {
    const colors = nodeColors(tree, 'module');
    expect(colors[nodeNamed('forward')]).toBe(colors[nodeNamed('step')]);
    expect(colors[nodeNamed('forward')]).toBe(moduleColor('torch'));
    expect(colors[nodeNamed('main')]).not.toBe(colors[nodeNamed('forward')]);
    expect(colors[nodeNamed('memcpy')]).toBe(moduleColor('libc.so.6'));
    expect(moduleColor(undefined)).toBe(NEUTRAL);
    expect(HIGHLIGHT).not.toBe(NEUTRAL);
  });
});

describe('diff colours', () => {
  // Before: a;x 8, a;y 2 (x 80 %). After: a;x 2, a;y 8 (x 20 %): y grew by 60 points.
  const before = profileOf(['a;x 8', 'a;y 2'], 'before');
  const after = profileOf(['a;x 1', 'a;y 4'], 'after');
  const diff = diffProfiles(before, after);
  const node = (name: string) =>
    Array.from({ length: diff.size }, (_, n) => n).find(
      (n) => diff.frame[n]! >= 0 && diff.frames[diff.frame[n]!]!.name === name,
    )!;
  const rgb = (c: string) => c.match(/\d+/g)!.map(Number);

  it('red for the frame that grew, blue for the one that shrank, grey for no change', () => {
    const { colors, maxAbs } = diffColors(diff);
    expect(maxAbs).toBeCloseTo(0.6, 12);
    const [yr, , yb] = rgb(colors[node('y')]!);
    const [xr, , xb] = rgb(colors[node('x')]!);
    expect(yr).toBeGreaterThan(yb!);
    expect(xb).toBeGreaterThan(xr!);
    // a is 100 % of both.
    expect(colors[node('a')]).toBe(diffColor(0, maxAbs));
    expect(colors[node('y')]).toBe('rgb(232, 72, 72)');
  });

  it('intensity follows the share-of-total change', () => {
    const half = rgb(diffColor(0.3, 0.6));
    const full = rgb(diffColor(0.6, 0.6));
    const grey = rgb(diffColor(0, 0.6));
    expect(half[2]).toBeLessThan(grey[2]!);
    expect(half[2]).toBeGreaterThan(full[2]!);
  });

  it('the tooltip gives before, after and the change in points', () => {
    const d = describeDiffNode(diff, node('y'));
    expect(Object.fromEntries(d.rows)).toMatchObject({
      Before: '2 samples (20 %)',
      After: '4 samples (80 %)',
      Change: '+60 pp',
    });
  });

  it('the before widths leave out frames only after has', () => {
    const b = diffProfiles(profileOf(['a;x 3']), profileOf(['a;x 1', 'a;z 1']));
    const input = toFlameInput(b, { colors: diffColors(b).colors, values: b.beforeTotal });
    expect(find(input, 'z')).toBeUndefined();
    const withAfter = toFlameInput(b, { colors: diffColors(b).colors });
    expect(find(withAfter, 'z')!.value).toBe(1);
  });
});

describe('describeNode', () => {
  it('gives self and total with the unit and the share of the whole', () => {
    const tree = buildCallTree(profileOf(SIMPLE, 'simple'));
    const input = toFlameInput(tree, { colors: nodeColors(tree, 'kind') });
    const b = describeNode(tree, find(input, 'b')!.i);
    expect(b.name).toBe('b');
    expect(b.rows).toEqual([
      ['Total', '14 samples (100 %)'],
      ['Self', '5 samples (35.7 %)'],
    ]);
  });

  it('gives times in their unit', () => {
    const p: Profile = { ...profileOf(['a;b 1500000', 'a 500000']), unit: 'nanoseconds' };
    const tree = buildCallTree(p);
    expect(describeNode(tree, 0).rows[0]).toEqual(['Total', '2 ms (100 %)']);
  });
});

describe('describeNode in a sandwich', () => {
  it('gives shares of the whole profile when told its total', () => {
    const tree = buildCallTree(profileOf(SIMPLE, 'simple'));
    expect(describeNode(tree, 0, 28).rows[0]).toEqual(['Total', '14 samples (50 %)']);
  });
});
