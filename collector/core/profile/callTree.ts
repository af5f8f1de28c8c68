/**
 * The call tree every view draws: total and self per node, built in one pass over the unique
 * stacks, and the node budget that keeps it drawable. d3-flame-graph draws one SVG rect per node
 * and is "close to unusable" past ~100k nodes (spiermar/d3-flame-graph#108), so nothing reaches a
 * view without `limitNodes`; the budget merges the smallest subtrees, never drops weight.
 *
 * Nodes live in typed arrays (struct of arrays): a tree of 1M nodes is ~60 MB of objects as JS
 * objects and ~40 MB here, and a pass over it is a loop over numbers.
 */
import type { Frame, Measure, Profile, WeightUnit } from './model.js';

/** Default node budget: ~20k SVG rects draw in well under a second (BENCHMARKS.md, bench:flame). */
export const DEFAULT_NODE_BUDGET = 20_000;

/** What the budget did, for the view's "20,000 of 184,311 nodes" line. */
export interface TreeReduction {
  readonly budget: number;
  readonly originalNodes: number;
  /** How many "(N smaller frames, x %)" nodes stand in for merged subtrees. */
  readonly mergeNodes: number;
  /** Nodes of the original tree folded into them. */
  readonly mergedFrames: number;
  readonly mergedWeight: number;
}

export interface CallTree {
  readonly name: string;
  readonly unit: WeightUnit;
  readonly measure: Measure;
  /** The profile's frames, then one synthetic frame per merge node. */
  readonly frames: readonly Frame[];
  readonly size: number;
  /** Per node: index into `frames`; -1 for the root (node 0). */
  readonly frame: Int32Array;
  readonly parent: Int32Array;
  readonly firstChild: Int32Array;
  readonly nextSibling: Int32Array;
  readonly depth: Int32Array;
  readonly total: Float64Array;
  readonly self: Float64Array;
  /** Samples or calls through the node (the profile's counts, or one per sample). */
  readonly count: Float64Array;
  readonly reduction?: TreeReduction | undefined;
}

/** A node's display name: its frame's name, the profile's for the root. */
export function nodeName(tree: CallTree, node: number): string {
  const f = tree.frame[node]!;
  return f < 0 ? tree.name : tree.frames[f]!.name;
}

/** Children of a node, in insertion order. */
export function childrenOf(tree: CallTree, node: number): number[] {
  const out: number[] = [];
  for (let c = tree.firstChild[node]!; c >= 0; c = tree.nextSibling[c]!) out.push(c);
  return out;
}

/**
 * (parent, frame) → child as an open-addressing table over typed arrays. A Map keyed by
 * parent × frameCount + frame spends ~1 µs a node on keys past 2^31 (heap numbers): 2.8 s for a
 * 3M-node tree; this table builds the same tree in a fraction of that (BENCHMARKS.md, bench:flame).
 */
class ChildIndex {
  private mask: number;
  private parents: Int32Array;
  private frames: Int32Array;
  private values: Int32Array;
  private used = 0;

  /** Sized for `expected` entries at a load under one half, so a good guess never rehashes. */
  constructor(expected = 2048) {
    let size = 1 << 12;
    while (size < expected * 2) size *= 2;
    this.mask = size - 1;
    this.parents = new Int32Array(size).fill(-1);
    this.frames = new Int32Array(size);
    this.values = new Int32Array(size);
  }

  private slot(parent: number, frame: number): number {
    let h = (Math.imul(parent, 0x9e3779b1) ^ Math.imul(frame, 0x85ebca6b)) & this.mask;
    while (this.parents[h] !== -1 && (this.parents[h] !== parent || this.frames[h] !== frame)) {
      h = (h + 1) & this.mask;
    }
    return h;
  }

  get(parent: number, frame: number): number {
    const h = this.slot(parent, frame);
    return this.parents[h] === -1 ? -1 : this.values[h]!;
  }

  set(parent: number, frame: number, value: number): void {
    if ((this.used + 1) * 2 > this.mask) this.grow();
    const h = this.slot(parent, frame);
    if (this.parents[h] === -1) this.used++;
    this.parents[h] = parent;
    this.frames[h] = frame;
    this.values[h] = value;
  }

  private grow(): void {
    const { parents, frames, values } = this;
    const size = (this.mask + 1) * 2;
    this.mask = size - 1;
    this.parents = new Int32Array(size).fill(-1);
    this.frames = new Int32Array(size);
    this.values = new Int32Array(size);
    for (let i = 0; i < parents.length; i++) {
      if (parents[i] === -1) continue;
      const h = this.slot(parents[i]!, frames[i]!);
      this.parents[h] = parents[i]!;
      this.frames[h] = frames[i]!;
      this.values[h] = values[i]!;
    }
  }
}

/**
 * Growable struct-of-arrays storage, shared by the builder, the reducer, the sandwich and the
 * diff. `self2` is a second weight channel (a diff's "before"), summed like `self`.
 */
export class NodeStore {
  size = 0;
  frame: Int32Array;
  parent: Int32Array;
  firstChild: Int32Array;
  lastChild: Int32Array;
  nextSibling: Int32Array;
  depth: Int32Array;
  total: Float64Array;
  self: Float64Array;
  count: Float64Array;
  self2: Float64Array;
  total2: Float64Array;
  private childOf: ChildIndex | undefined;

  /**
   * `expected`: the caller's estimate of the node count (growing past it only costs copies);
   * `twoChannels`: whether `self2`/`total2` are used (a diff, a carried reduction) — a 3M-node
   * tree saves 48 MB without them.
   */
  constructor(
    expected = 1024,
    private readonly twoChannels = false,
  ) {
    const n = Math.max(16, expected);
    this.frame = new Int32Array(n);
    this.parent = new Int32Array(n);
    // Links start at -1 and weights at 0 for every slot, so `add` writes only what it knows:
    // nodes are appended, never reused (a 2.9M-node build saves ~30 M stores).
    this.firstChild = new Int32Array(n).fill(-1);
    this.lastChild = new Int32Array(n).fill(-1);
    this.nextSibling = new Int32Array(n).fill(-1);
    this.depth = new Int32Array(n);
    this.total = new Float64Array(n);
    this.self = new Float64Array(n);
    this.count = new Float64Array(n);
    this.self2 = new Float64Array(twoChannels ? n : 0);
    this.total2 = new Float64Array(twoChannels ? n : 0);
  }

  /** The child of `parent` with `frame`, made on first use. */
  child(parent: number, frame: number): number {
    this.childOf ??= new ChildIndex(this.frame.length);
    let n = this.childOf.get(parent, frame);
    if (n < 0) {
      n = this.add(frame, parent);
      this.childOf.set(parent, frame, n);
    }
    return n;
  }

  add(frame: number, parent: number): number {
    if (this.size === this.frame.length) this.grow();
    const n = this.size++;
    this.frame[n] = frame;
    this.parent[n] = parent;
    if (parent >= 0) {
      this.depth[n] = this.depth[parent]! + 1;
      if (this.lastChild[parent]! < 0) this.firstChild[parent] = n;
      else this.nextSibling[this.lastChild[parent]!] = n;
      this.lastChild[parent] = n;
    }
    return n;
  }

  private grow(): void {
    const cap = this.frame.length * 2;
    const i32 = (a: Int32Array, empty = 0): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(cap);
      if (empty !== 0) b.fill(empty, a.length);
      b.set(a);
      return b;
    };
    const f64 = (a: Float64Array): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(cap);
      b.set(a);
      return b;
    };
    this.frame = i32(this.frame);
    this.parent = i32(this.parent);
    this.firstChild = i32(this.firstChild, -1);
    this.lastChild = i32(this.lastChild, -1);
    this.nextSibling = i32(this.nextSibling, -1);
    this.depth = i32(this.depth);
    this.total = f64(this.total);
    this.self = f64(this.self);
    this.count = f64(this.count);
    if (this.twoChannels) {
      this.self2 = f64(this.self2);
      this.total2 = f64(this.total2);
    }
  }

  /** Totals from selves: children are created after their parents, so one reverse pass. */
  sumTotals(): void {
    for (let n = 0; n < this.size; n++) this.total[n] = this.self[n]!;
    for (let n = this.size - 1; n > 0; n--) this.total[this.parent[n]!]! += this.total[n]!;
    if (!this.twoChannels) return;
    for (let n = 0; n < this.size; n++) this.total2[n] = this.self2[n]!;
    for (let n = this.size - 1; n > 0; n--) this.total2[this.parent[n]!]! += this.total2[n]!;
  }

  /** Counts held as self counts become totals (samples through the node). */
  sumCounts(): void {
    for (let n = this.size - 1; n > 0; n--) this.count[this.parent[n]!]! += this.count[n]!;
  }

  freeze(
    meta: Pick<CallTree, 'name' | 'unit' | 'measure' | 'frames'>,
    reduction?: TreeReduction,
  ): CallTree {
    const n = this.size;
    // Sized exactly (buildCallTree knows its size first): hand the arrays over, no copy.
    const cut = <T extends Int32Array | Float64Array>(a: T): T =>
      (a.length === n ? a : a.slice(0, n)) as T;
    return {
      ...meta,
      size: n,
      frame: cut(this.frame),
      parent: cut(this.parent),
      firstChild: cut(this.firstChild),
      nextSibling: cut(this.nextSibling),
      depth: cut(this.depth),
      total: cut(this.total),
      self: cut(this.self),
      count: cut(this.count),
      ...(reduction ? { reduction } : {}),
    };
  }
}

/** Lexicographic order of two stacks (frame indices root → leaf); a prefix sorts first. */
function compareStacks(a: readonly number[], b: readonly number[]): number {
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

/**
 * The call tree of a profile. Weights are first summed per unique stack (a 1M-sample file has
 * ~200k), the stacks sorted, and each walked from where it departs from the one before: in
 * sorted order every node past that point is new, so the tree is built with no lookup at all
 * and its size is known before it is built. (A (parent, frame) hash table cost ~2× as much on
 * the bench's 2.9M-node tree, mostly cache misses; BENCHMARKS.md, bench:flame.)
 */
export function buildCallTree(profile: Profile): CallTree {
  const { stacks, sampleStacks, weights, counts } = profile;
  const stackWeight = new Float64Array(stacks.length);
  const stackCount = new Float64Array(stacks.length);
  for (let i = 0; i < sampleStacks.length; i++) {
    const s = sampleStacks[i]!;
    stackWeight[s]! += weights[i]!;
    stackCount[s]! += counts ? counts[i]! : 1;
  }
  const order: number[] = [];
  for (let s = 0; s < stacks.length; s++) {
    if (stackCount[s] !== 0 || stackWeight[s] !== 0) order.push(s);
  }
  order.sort((x, y) => compareStacks(stacks[x]!, stacks[y]!));
  const shared = new Int32Array(order.length);
  let size = 1;
  let maxDepth = 0;
  let prev: readonly number[] = [];
  for (let i = 0; i < order.length; i++) {
    const stack = stacks[order[i]!]!;
    let k = 0;
    const limit = Math.min(stack.length, prev.length);
    while (k < limit && stack[k] === prev[k]) k++;
    shared[i] = k;
    size += stack.length - k;
    if (stack.length > maxDepth) maxDepth = stack.length;
    prev = stack;
  }
  const store = new NodeStore(size);
  store.add(-1, -1);
  const path = new Int32Array(maxDepth + 1);
  for (let i = 0; i < order.length; i++) {
    const s = order[i]!;
    const stack = stacks[s]!;
    let node = path[shared[i]!]!;
    for (let d = shared[i]!; d < stack.length; d++) {
      node = store.add(stack[d]!, node);
      path[d + 1] = node;
    }
    store.self[node]! += stackWeight[s]!;
    store.count[node]! += stackCount[s]!;
  }
  store.sumTotals();
  store.sumCounts();
  return store.freeze({
    name: profile.name,
    unit: profile.unit,
    measure: profile.measure,
    frames: profile.frames,
  });
}

/** A binary max-heap of node ids by (total desc, id asc): the next node worth keeping on top. */
class NodeHeap {
  private readonly items: number[] = [];
  constructor(private readonly total: Float64Array) {}
  get length(): number {
    return this.items.length;
  }
  private before(a: number, b: number): boolean {
    const ta = this.total[a]!;
    const tb = this.total[b]!;
    return ta > tb || (ta === tb && a < b);
  }
  push(n: number): void {
    const h = this.items;
    h.push(n);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }
  pop(): number {
    const h = this.items;
    const top = h[0]!;
    const last = h.pop()!;
    if (h.length > 0) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.before(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.before(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

/** "(12 smaller frames, 0.41 %)": what a merge node is called. */
export function mergeNodeName(frames: number, share: number): string {
  const pct = share * 100;
  const text = pct >= 10 ? pct.toFixed(1) : pct >= 0.01 ? pct.toPrecision(2) : '<0.01';
  return `(${frames} smaller frame${frames === 1 ? '' : 's'}, ${text} %)`;
}

/**
 * The tree cut to at most `budget` nodes. Nodes are kept best-first by total (a heap seeded with
 * the root; a child never outweighs its parent, so the kept set is a connected top of the tree),
 * and each kept node's remaining children become one merge node carrying their summed total,
 * self and count — every total of a kept node is unchanged, the root's included.
 */
export function limitNodes(tree: CallTree, budget: number = DEFAULT_NODE_BUDGET): CallTree {
  if (tree.size <= budget) return tree;
  return reduceTree(tree, budget, tree.total).tree;
}

/** A second weight channel carried through a reduction (a diff's "before" totals and selves). */
export interface Carried {
  readonly total: Float64Array;
  readonly self: Float64Array;
}

/**
 * `limitNodes` with the ranking given (it must never grow from parent to child, like any
 * total) and a second channel carried along, summed into merge nodes like the first.
 */
export function reduceTree(
  tree: CallTree,
  budget: number,
  rank: Float64Array,
  carried?: Carried,
): { tree: CallTree; carried: Carried } {
  const cap = Math.max(2, budget);
  // Subtree sizes, for "(N smaller frames)": children follow parents, so one reverse pass.
  const subtree = new Float64Array(tree.size).fill(1);
  for (let n = tree.size - 1; n > 0; n--) subtree[tree.parent[n]!]! += subtree[n]!;

  const kept = new Uint8Array(tree.size);
  // Per kept node: how many of its children are not (yet) kept — it needs a merge node while > 0.
  const dropped = new Int32Array(tree.size);
  const heap = new NodeHeap(rank);
  let keptCount = 0;
  let withMerge = 0;
  heap.push(0);
  while (heap.length > 0) {
    const n = heap.pop();
    const p = tree.parent[n]!;
    let children = 0;
    for (let c = tree.firstChild[n]!; c >= 0; c = tree.nextSibling[c]!) children++;
    // Keeping n: +1 node; its parent may lose its merge node (last dropped child kept); n gains
    // one if it has children.
    const parentMergeGone = p >= 0 && dropped[p] === 1 ? 1 : 0;
    const after = keptCount + 1 + withMerge - parentMergeGone + (children > 0 ? 1 : 0);
    if (after > cap) break;
    kept[n] = 1;
    keptCount++;
    if (p >= 0) {
      dropped[p]!--;
      if (dropped[p] === 0) withMerge--;
    }
    dropped[n] = children;
    if (children > 0) withMerge++;
    for (let c = tree.firstChild[n]!; c >= 0; c = tree.nextSibling[c]!) heap.push(c);
  }

  const store = new NodeStore(budget + 1, carried !== undefined);
  const frames: Frame[] = tree.frames.slice();
  const rootTotal = tree.total[0]!;
  let mergeNodes = 0;
  let mergedFrames = 0;
  let mergedWeight = 0;
  // Depth-first over kept nodes, children in order, so new ids keep parents before children; a
  // node's merge node is a task pushed under its children, so it lands as its last child.
  type Task =
    | { node: number; parent: number }
    | { merge: number; frames: number; total: number; count: number; total2: number };
  const stack: Task[] = [{ node: 0, parent: -1 }];
  while (stack.length > 0) {
    const task = stack.pop()!;
    if ('merge' in task) {
      frames.push({
        name: mergeNodeName(task.frames, rootTotal > 0 ? task.total / rootTotal : 0),
        kind: 'other',
      });
      const m = store.add(frames.length - 1, task.merge);
      store.self[m] = task.total;
      store.total[m] = task.total;
      store.count[m] = task.count;
      store.self2[m] = task.total2;
      store.total2[m] = task.total2;
      mergeNodes++;
      mergedFrames += task.frames;
      mergedWeight += task.total;
      continue;
    }
    const n = task.node;
    const id = store.add(tree.frame[n]!, task.parent);
    store.self[id] = tree.self[n]!;
    store.total[id] = tree.total[n]!;
    store.count[id] = tree.count[n]!;
    if (carried) {
      store.self2[id] = carried.self[n]!;
      store.total2[id] = carried.total[n]!;
    }
    let mTotal = 0;
    let mTotal2 = 0;
    let mCount = 0;
    let mFrames = 0;
    const keptChildren: number[] = [];
    for (let c = tree.firstChild[n]!; c >= 0; c = tree.nextSibling[c]!) {
      if (kept[c]) keptChildren.push(c);
      else {
        mTotal += tree.total[c]!;
        mTotal2 += carried ? carried.total[c]! : 0;
        mCount += tree.count[c]!;
        mFrames += subtree[c]!;
      }
    }
    if (mFrames > 0)
      stack.push({ merge: id, frames: mFrames, total: mTotal, count: mCount, total2: mTotal2 });
    for (let i = keptChildren.length - 1; i >= 0; i--)
      stack.push({ node: keptChildren[i]!, parent: id });
  }
  const reduced = store.freeze(
    { name: tree.name, unit: tree.unit, measure: tree.measure, frames },
    { budget, originalNodes: tree.size, mergeNodes, mergedFrames, mergedWeight },
  );
  return {
    tree: reduced,
    carried: {
      total: store.total2.slice(0, store.size),
      self: store.self2.slice(0, store.size),
    },
  };
}
