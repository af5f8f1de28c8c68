/**
 * The top-functions table: per function (name and file, every line of it), self and total weight
 * and calls. A recursive function is counted once per stack in its total (the outermost call
 * holds the inner ones), as speedscope and pprof's `top -cum` do.
 */
import type { CallTree } from './callTree.js';
import { functionKey, type FrameKind } from './model.js';

export interface FunctionRow {
  readonly key: string;
  readonly name: string;
  readonly file?: string | undefined;
  readonly module?: string | undefined;
  readonly kind: FrameKind;
  readonly self: number;
  readonly total: number;
  /** Samples (or calls, for traced profiles) with the function on the stack. */
  readonly calls: number;
}

/** Per frame index, the function it belongs to, and the functions' keys in first-seen order. */
export function functionIds(tree: CallTree): { ids: Int32Array; keys: string[]; first: number[] } {
  const ids = new Int32Array(tree.frames.length);
  const byKey = new Map<string, number>();
  const keys: string[] = [];
  const first: number[] = [];
  tree.frames.forEach((frame, i) => {
    const key = functionKey(frame);
    let id = byKey.get(key);
    if (id === undefined) {
      id = keys.length;
      byKey.set(key, id);
      keys.push(key);
      first.push(i);
    }
    ids[i] = id;
  });
  return { ids, keys, first };
}

/**
 * Calls `enter` for every node depth-first and `leave` after its subtree, without recursion
 * (stacks 120 deep times thousands of nodes would be fine, but hostile files are not).
 */
export function walkTree(
  tree: CallTree,
  enter: (node: number) => void,
  leave: (node: number) => void,
): void {
  const stack: number[] = [0];
  while (stack.length > 0) {
    const top = stack.pop()!;
    if (top < 0) {
      leave(~top);
      continue;
    }
    enter(top);
    stack.push(~top);
    for (let c = tree.firstChild[top]!; c >= 0; c = tree.nextSibling[c]!) stack.push(c);
  }
}

/** Every function of the tree, heaviest self first. */
export function topFunctions(tree: CallTree): FunctionRow[] {
  const { ids, keys, first } = functionIds(tree);
  const self = new Float64Array(keys.length);
  const total = new Float64Array(keys.length);
  const calls = new Float64Array(keys.length);
  const onStack = new Int32Array(keys.length);
  walkTree(
    tree,
    (n) => {
      const f = tree.frame[n]!;
      if (f < 0) return;
      const id = ids[f]!;
      self[id]! += tree.self[n]!;
      if (onStack[id] === 0) {
        total[id]! += tree.total[n]!;
        calls[id]! += tree.count[n]!;
      }
      onStack[id]!++;
    },
    (n) => {
      const f = tree.frame[n]!;
      if (f >= 0) onStack[ids[f]!]!--;
    },
  );
  const rows: FunctionRow[] = keys.map((key, id) => {
    const frame = tree.frames[first[id]!]!;
    return {
      key,
      name: frame.name,
      file: frame.file,
      module: frame.module,
      kind: frame.kind,
      self: self[id]!,
      total: total[id]!,
      calls: calls[id]!,
    };
  });
  return rows
    .filter((r) => r.total > 0 || r.calls > 0)
    .sort((a, b) => b.self - a.self || b.total - a.total || (a.key < b.key ? -1 : 1));
}
