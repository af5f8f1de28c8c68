/**
 * The search box: a substring (case-insensitive) or a `/regular expression/` (flags i, m, s, u)
 * tested against each frame's name and file. Its share is the weight of the samples with a match
 * anywhere on their stack, over the tree's total: a match inside another match is not counted
 * twice (recursion), which is what d3-flame-graph's own search sums too. Pure.
 */
import type { CallTree } from '../../../../collector/core/profile/callTree.js';
import type { WeightUnit } from '../../../../collector/core/profile/model.js';
import { formatShare, formatWeight } from './units.js';

export type SearchQuery =
  | { readonly kind: 'empty' }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'match'; readonly test: (text: string) => boolean };

/** Longest search kept: a pasted file is not a search, and a huge regex is a slow one. */
const MAX_QUERY = 500;

export function parseSearch(text: string): SearchQuery {
  const q = text.trim();
  if (q === '') return { kind: 'empty' };
  if (q.length > MAX_QUERY)
    return { kind: 'error', message: `longer than ${MAX_QUERY} characters` };
  const re = /^\/(.+)\/([a-z]*)$/s.exec(q);
  if (re) {
    const [, body, flags] = re;
    if (/[^imsu]/.test(flags!)) {
      return { kind: 'error', message: `unknown flag in /${body}/${flags}: i, m, s and u only` };
    }
    try {
      const regex = new RegExp(body!, flags);
      return { kind: 'match', test: (s) => regex.test(s) };
    } catch (e) {
      return { kind: 'error', message: e instanceof Error ? e.message : String(e) };
    }
  }
  const needle = q.toLowerCase();
  return { kind: 'match', test: (s) => s.toLowerCase().includes(needle) };
}

export interface SearchResult {
  /** Nodes whose own frame matches. */
  readonly nodes: Set<number>;
  /** Weight of the samples with a match on their stack. */
  readonly weight: number;
  /** The tree's total (its root's). */
  readonly total: number;
  readonly share: number;
}

/**
 * Which nodes match and the share of the total under them. `collect: false` leaves `nodes` empty:
 * the whole tree's share needs no set of its (possibly millions of) matching nodes.
 */
export function searchTree(
  tree: CallTree,
  test: (text: string) => boolean,
  { collect = true }: { collect?: boolean } = {},
): SearchResult {
  const frameMatches = tree.frames.map(
    (f) => test(f.name) || (f.file !== undefined && test(f.file)),
  );
  const nodes = new Set<number>();
  let weight = 0;
  // "Under a match" carried down from parent to child: a node's weight counts once, at the
  // outermost match on its path. Every tree the core builds (NodeStore) numbers parents before
  // children, so one forward pass does it (2.9M nodes in ~15 ms, where a depth-first walk with
  // a stack took ~170 ms); a tree numbered otherwise is walked depth-first.
  const under = new Uint8Array(tree.size);
  const visit = (n: number): void => {
    const f = tree.frame[n]!;
    const hit = f >= 0 && frameMatches[f] === true;
    const p = tree.parent[n]!;
    const above = p >= 0 && under[p] === 1;
    if (hit) {
      if (collect) nodes.add(n);
      if (!above) weight += tree.total[n]!;
    }
    under[n] = hit || above ? 1 : 0;
  };
  if (parentsFirst(tree)) {
    for (let n = 0; n < tree.size; n++) visit(n);
  } else {
    const stack = [0];
    while (stack.length > 0) {
      const n = stack.pop()!;
      visit(n);
      for (let c = tree.firstChild[n]!; c >= 0; c = tree.nextSibling[c]!) stack.push(c);
    }
  }
  const total = tree.total[0]!;
  return { nodes, weight, total, share: total > 0 ? weight / total : 0 };
}

function parentsFirst(tree: CallTree): boolean {
  for (let n = 1; n < tree.size; n++) if (tree.parent[n]! >= n) return false;
  return true;
}

/** "matches: 23.4 % of 1,204 samples" (or "no match in 1,204 samples"). */
export function searchText(result: SearchResult, unit: WeightUnit): string {
  const total = formatWeight(result.total, unit);
  if (result.weight === 0) return `no match in ${total}`;
  return `matches: ${formatShare(result.share)} of ${total}`;
}
