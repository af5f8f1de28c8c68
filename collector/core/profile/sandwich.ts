/**
 * The sandwich of one function (speedscope's view): who calls it, inverted, above; what it
 * calls, merged across every place it runs, below. Both are ordinary call trees rooted at the
 * function, so the flame view draws them like any other.
 */
import { NodeStore, type CallTree } from './callTree.js';
import { functionIds, walkTree } from './functions.js';

export interface Sandwich {
  /** Root = the function; children = its callers, then theirs (an inverted tree). */
  readonly callers: CallTree;
  /** Root = the function; below, its callees merged across every call site. */
  readonly callees: CallTree;
}

export function sandwich(tree: CallTree, key: string): Sandwich {
  const { ids, keys } = functionIds(tree);
  const target = keys.indexOf(key);
  const callers = new NodeStore();
  const callees = new NodeStore();
  callers.add(-1, -1);
  callees.add(-1, -1);
  let name = key;
  // Outermost occurrences only: a recursive call is inside its caller's subtree already.
  let inside = 0;
  // Per original node, its copy in the callee tree while inside an occurrence.
  const copy = new Int32Array(tree.size).fill(-1);
  walkTree(
    tree,
    (n) => {
      const f = tree.frame[n]!;
      const isTarget = f >= 0 && ids[f] === target;
      if (isTarget && inside === 0) {
        name = tree.frames[f]!.name;
        copy[n] = 0;
        let selfCount = tree.count[n]!;
        for (let c = tree.firstChild[n]!; c >= 0; c = tree.nextSibling[c]!)
          selfCount -= tree.count[c]!;
        callees.self[0]! += tree.self[n]!;
        callees.count[0]! += selfCount;
        // Callers: up the ancestors, the whole weight landing on the outermost.
        let node = 0;
        for (let a = tree.parent[n]!; a > 0; a = tree.parent[a]!) {
          node = callers.child(node, tree.frame[a]!);
        }
        callers.self[node]! += tree.total[n]!;
        callers.count[node]! += tree.count[n]!;
      } else if (inside > 0) {
        const mapped = callees.child(copy[tree.parent[n]!]!, f);
        copy[n] = mapped;
        let selfCount = tree.count[n]!;
        for (let c = tree.firstChild[n]!; c >= 0; c = tree.nextSibling[c]!)
          selfCount -= tree.count[c]!;
        callees.self[mapped]! += tree.self[n]!;
        callees.count[mapped]! += selfCount;
      }
      if (isTarget || inside > 0) inside++;
    },
    (n) => {
      const f = tree.frame[n]!;
      if (inside > 0 && (copy[n]! >= 0 || (f >= 0 && ids[f] === target))) inside--;
    },
  );
  const meta = { name, unit: tree.unit, measure: tree.measure, frames: tree.frames };
  callers.sumTotals();
  callers.sumCounts();
  callees.sumTotals();
  callees.sumCounts();
  return { callers: callers.freeze(meta), callees: callees.freeze(meta) };
}
