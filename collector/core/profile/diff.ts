/**
 * Two profiles as one tree (the differential flame graph): every path of either, with its weight
 * before and after. Change is read in shares of each profile's own total, so a 10 s capture and a
 * 30 s one compare: a frame at 12 % before and 20 % after grew by 8 points whatever the counts.
 */
import {
  buildCallTree,
  DEFAULT_NODE_BUDGET,
  NodeStore,
  reduceTree,
  type CallTree,
} from './callTree.js';
import { topFunctions } from './functions.js';
import { totalWeight, type Frame, type Profile } from './model.js';

export interface DiffTree extends CallTree {
  /** `total`/`self` are the after profile's; these are the before profile's, node for node. */
  readonly beforeTotal: Float64Array;
  readonly beforeSelf: Float64Array;
  readonly beforeSum: number;
  readonly afterSum: number;
}

export class DiffUnitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DiffUnitError';
  }
}

function checkComparable(before: Profile, after: Profile): void {
  if (before.unit !== after.unit || before.measure !== after.measure) {
    throw new DiffUnitError(
      `cannot compare "${before.name}" (${before.measure} ${before.unit}) with "${after.name}" ` +
        `(${after.measure} ${after.unit}): both profiles must measure the same thing`,
    );
  }
}

const frameKey = (f: Frame): string => `${f.name}\u0000${f.file ?? ''}\u0000${f.line ?? ''}`;

function share(part: number, sum: number): number {
  return sum > 0 ? part / sum : 0;
}

/** A node's change in share of total: after's share minus before's (−1 … 1). */
export function shareDelta(diff: DiffTree, node: number): number {
  return share(diff.total[node]!, diff.afterSum) - share(diff.beforeTotal[node]!, diff.beforeSum);
}

export function diffProfiles(
  before: Profile,
  after: Profile,
  budget: number = DEFAULT_NODE_BUDGET,
): DiffTree {
  checkComparable(before, after);
  const frames: Frame[] = [];
  const byKey = new Map<string, number>();
  const remap = (tree: CallTree): Int32Array =>
    Int32Array.from(tree.frames, (f) => {
      const key = frameKey(f);
      let i = byKey.get(key);
      if (i === undefined) {
        i = frames.length;
        frames.push(f);
        byKey.set(key, i);
      }
      return i;
    });
  const a = buildCallTree(before);
  const b = buildCallTree(after);
  const aFrames = remap(a);
  const bFrames = remap(b);
  const store = new NodeStore(a.size + b.size, true);
  store.add(-1, -1);
  // Each side's nodes are copied onto the merged tree by path; parents come before children.
  const copySide = (tree: CallTree, map: Int32Array, side: 'after' | 'before'): void => {
    const merged = new Int32Array(tree.size);
    merged[0] = 0;
    for (let n = 1; n < tree.size; n++) {
      const m = store.child(merged[tree.parent[n]!]!, map[tree.frame[n]!]!);
      merged[n] = m;
      if (side === 'after') {
        store.self[m]! += tree.self[n]!;
        let selfCount = tree.count[n]!;
        for (let c = tree.firstChild[n]!; c >= 0; c = tree.nextSibling[c]!)
          selfCount -= tree.count[c]!;
        store.count[m]! += selfCount;
      } else store.self2[m]! += tree.self[n]!;
    }
    if (side === 'after') store.self[0]! += tree.self[0]!;
    else store.self2[0]! += tree.self[0]!;
  };
  copySide(b, bFrames, 'after');
  copySide(a, aFrames, 'before');
  store.sumTotals();
  store.sumCounts();
  const full = store.freeze({ name: after.name, unit: after.unit, measure: after.measure, frames });
  const beforeSum = totalWeight(before);
  const afterSum = totalWeight(after);
  const fullBefore = {
    total: store.total2.slice(0, store.size),
    self: store.self2.slice(0, store.size),
  };
  if (full.size <= budget) {
    return {
      ...full,
      beforeTotal: fullBefore.total,
      beforeSelf: fullBefore.self,
      beforeSum,
      afterSum,
    };
  }
  // Kept by the larger of the two shares: a frame that vanished after must stay visible.
  const rank = new Float64Array(full.size);
  for (let n = 0; n < full.size; n++) {
    rank[n] = Math.max(share(full.total[n]!, afterSum), share(fullBefore.total[n]!, beforeSum));
  }
  const reduced = reduceTree(full, budget, rank, fullBefore);
  return {
    ...reduced.tree,
    beforeTotal: reduced.carried.total,
    beforeSelf: reduced.carried.self,
    beforeSum,
    afterSum,
  };
}

export interface ChangeRow {
  readonly key: string;
  readonly name: string;
  readonly file?: string | undefined;
  readonly selfBefore: number;
  readonly selfAfter: number;
  readonly totalBefore: number;
  readonly totalAfter: number;
  /** Change in share of the profile's total, as a fraction (0.08 = 8 points). */
  readonly selfDelta: number;
  readonly totalDelta: number;
}

/** Every function of either profile with its change, the largest self change first. */
export function changedMost(before: Profile, after: Profile): ChangeRow[] {
  checkComparable(before, after);
  const beforeSum = totalWeight(before);
  const afterSum = totalWeight(after);
  const rows = new Map<
    string,
    { name: string; file?: string | undefined; sb: number; sa: number; tb: number; ta: number }
  >();
  for (const r of topFunctions(buildCallTree(before))) {
    rows.set(r.key, { name: r.name, file: r.file, sb: r.self, sa: 0, tb: r.total, ta: 0 });
  }
  for (const r of topFunctions(buildCallTree(after))) {
    const row = rows.get(r.key);
    if (row) {
      row.sa = r.self;
      row.ta = r.total;
    } else rows.set(r.key, { name: r.name, file: r.file, sb: 0, sa: r.self, tb: 0, ta: r.total });
  }
  const out: ChangeRow[] = [];
  for (const [key, r] of rows) {
    out.push({
      key,
      name: r.name,
      file: r.file,
      selfBefore: r.sb,
      selfAfter: r.sa,
      totalBefore: r.tb,
      totalAfter: r.ta,
      selfDelta: share(r.sa, afterSum) - share(r.sb, beforeSum),
      totalDelta: share(r.ta, afterSum) - share(r.tb, beforeSum),
    });
  }
  return out.sort(
    (x, y) =>
      Math.abs(y.selfDelta) - Math.abs(x.selfDelta) ||
      Math.abs(y.totalDelta) - Math.abs(x.totalDelta) ||
      (x.key < y.key ? -1 : 1),
  );
}
