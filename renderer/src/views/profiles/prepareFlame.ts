/**
 * A call tree (collector/core/profile/callTree.ts) as d3-flame-graph's input, `{name, value,
 * children}`, plus what the view says around it: the node budget, the zoom breadcrumb, the colour
 * of each node. Pure. The tree given is always a budgeted one (limitNodes): d3-flame-graph draws
 * one SVG rect per node and is unusable past ~100k (spiermar/d3-flame-graph#108).
 */
import type { CallTree } from '../../../../collector/core/profile/callTree.js';
import { shareDelta, type DiffTree } from '../../../../collector/core/profile/diff.js';
import { displayName } from '../../lib/displayName.js';
import { diffColor, kindColor, moduleColor, NEUTRAL, type ColorBy } from './flameColors.js';
import { formatCount } from './units.js';

/** One node as d3-flame-graph reads it (`name`, `value`, `children`), and which node it is. */
export interface FlameDatum {
  /** The frame's name with invisible characters escaped; drawn as text (textContent). */
  readonly name: string;
  /** Width: the node's total (or, for a diff shown "before with changes", its before total). */
  readonly value: number;
  /** The node's index in its CallTree. */
  readonly i: number;
  readonly color: string;
  children?: FlameDatum[];
}

export interface FlameInputOptions {
  /** Per node, its colour (nodeColors / diffColors). */
  readonly colors: readonly string[];
  /** Widths other than the tree's totals (a diff's before totals); nodes at 0 are left out. */
  readonly values?: Float64Array | undefined;
}

/** A node's name as shown: its frame's name, or the tree's (the profile's) for the root. */
export function shownName(tree: CallTree, node: number): string {
  const f = tree.frame[node]!;
  return displayName(f < 0 ? tree.name : tree.frames[f]!.name);
}

/**
 * The tree as nested data, children heaviest first (speedscope's "left heavy": the widest paths
 * line up at the left edge, and the order does not depend on the file's). Iterative: a hostile
 * file may be thousands of frames deep.
 */
export function toFlameInput(tree: CallTree, options: FlameInputOptions): FlameDatum {
  const values = options.values ?? tree.total;
  const datum = (n: number): FlameDatum => ({
    name: shownName(tree, n),
    value: values[n]!,
    i: n,
    color: options.colors[n] ?? NEUTRAL,
  });
  const root = datum(0);
  const stack: FlameDatum[] = [root];
  while (stack.length > 0) {
    const parent = stack.pop()!;
    const kids: FlameDatum[] = [];
    for (let c = tree.firstChild[parent.i]!; c >= 0; c = tree.nextSibling[c]!) {
      if (values[c]! > 0) kids.push(datum(c));
    }
    if (kids.length === 0) continue;
    kids.sort((a, b) => b.value - a.value || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    parent.children = kids;
    stack.push(...kids);
  }
  return root;
}

/** Per node, its colour by kind or by module (the root and merge nodes neutral). */
export function nodeColors(tree: CallTree, by: ColorBy): string[] {
  const byFrame = tree.frames.map((frame) => {
    if (frame.kind === 'other' && frame.module === undefined) return NEUTRAL;
    return by === 'kind' ? kindColor(frame.kind, frame.name) : moduleColor(frame.module);
  });
  const out = new Array<string>(tree.size);
  for (let n = 0; n < tree.size; n++) {
    const f = tree.frame[n]!;
    out[n] = f < 0 ? NEUTRAL : byFrame[f]!;
  }
  return out;
}

/**
 * Per node of a diff, red for grown and blue for shrunk, normalized by the largest change below
 * the root (the root is 100 % of both, so it never changes).
 */
export function diffColors(diff: DiffTree): { colors: string[]; maxAbs: number } {
  const deltas = new Float64Array(diff.size);
  let maxAbs = 0;
  for (let n = 1; n < diff.size; n++) {
    deltas[n] = shareDelta(diff, n);
    maxAbs = Math.max(maxAbs, Math.abs(deltas[n]!));
  }
  const colors = new Array<string>(diff.size);
  for (let n = 0; n < diff.size; n++) colors[n] = diffColor(deltas[n]!, maxAbs);
  return { colors, maxAbs };
}

export interface BudgetInfo {
  readonly shown: number;
  readonly original: number;
  /** Nodes of the original tree folded into "(N smaller frames)" nodes. */
  readonly merged: number;
  readonly text: string;
}

/** "20,000 of 184,311 nodes; 1,204 merged into '(N smaller frames)'", or "312 nodes". */
export function budgetInfo(tree: CallTree): BudgetInfo {
  const r = tree.reduction;
  if (r === undefined) {
    return {
      shown: tree.size,
      original: tree.size,
      merged: 0,
      text: `${formatCount(tree.size)} nodes`,
    };
  }
  return {
    shown: tree.size,
    original: r.originalNodes,
    merged: r.mergedFrames,
    text:
      `${formatCount(tree.size)} of ${formatCount(r.originalNodes)} nodes; ` +
      `${formatCount(r.mergedFrames)} merged into '(N smaller frames)'`,
  };
}

/** The path from the root to `node`, for the zoom breadcrumb. */
export function breadcrumb(tree: CallTree, node: number): Array<{ node: number; name: string }> {
  const path: Array<{ node: number; name: string }> = [];
  for (let n = node; n >= 0 && n < tree.size; n = tree.parent[n]!) {
    path.push({ node: n, name: shownName(tree, n) });
  }
  return path.reverse();
}

/** The heaviest node of the function `key`'s frames (for "zoom to a table row"), or undefined. */
export function heaviestNodeOf(
  tree: CallTree,
  frameKeys: readonly string[],
  key: string,
): number | undefined {
  let best: number | undefined;
  for (let n = 1; n < tree.size; n++) {
    const f = tree.frame[n]!;
    if (
      f >= 0 &&
      frameKeys[f] === key &&
      (best === undefined || tree.total[n]! > tree.total[best]!)
    )
      best = n;
  }
  return best;
}

/** Per node, whether its frame is the function `key` (the table's row, lit in the graph). */
export function nodesOf(tree: CallTree, frameKeys: readonly string[], key: string): Set<number> {
  const out = new Set<number>();
  for (let n = 1; n < tree.size; n++) {
    const f = tree.frame[n]!;
    if (f >= 0 && frameKeys[f] === key) out.add(n);
  }
  return out;
}
