/**
 * What the hover tooltip says about a node: its name, where it is (file:line, module, kind), and
 * its self and total weights with their unit and their share of the whole profile; for a diff,
 * before and after and the change. Pure: the tooltip only lays these lines out.
 */
import type { CallTree } from '../../../../collector/core/profile/callTree.js';
import { shareDelta, type DiffTree } from '../../../../collector/core/profile/diff.js';
import type { FrameKind } from '../../../../collector/core/profile/model.js';
import { displayName } from '../../lib/displayName.js';
import { shownName } from './prepareFlame.js';
import { formatDelta, formatShare, formatWeight } from './units.js';

export interface NodeDescription {
  readonly name: string;
  /** "tokenize_bench.py:10 · python · tokenize_bench" */
  readonly where?: string | undefined;
  /** [label, value] rows: "Total", "1,204 samples (23.4 %)". */
  readonly rows: ReadonlyArray<readonly [string, string]>;
}

const KIND_LABEL: Readonly<Record<FrameKind, string>> = {
  python: 'Python',
  native: 'native',
  kernel: 'kernel',
  'cuda-kernel': 'CUDA kernel',
  jit: 'JIT',
  'gpu-op': 'GPU op',
  other: 'other',
};

function whereOf(tree: CallTree, node: number): string | undefined {
  const f = tree.frame[node]!;
  if (f < 0) return undefined;
  const frame = tree.frames[f]!;
  const parts: string[] = [];
  if (frame.file !== undefined && frame.file !== '') {
    parts.push(displayName(frame.line !== undefined ? `${frame.file}:${frame.line}` : frame.file));
  }
  if (frame.kind !== 'other') parts.push(KIND_LABEL[frame.kind]);
  if (frame.module !== undefined && frame.module !== '') parts.push(displayName(frame.module));
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

const weighed = (v: number, whole: number, tree: CallTree): string =>
  `${formatWeight(v, tree.unit)} (${formatShare(whole > 0 ? v / whole : 0)})`;

/**
 * `whole`: what the shares are of — the tree's root by default; a sandwich half passes the whole
 * profile's total, so its shares read like the main graph's.
 */
export function describeNode(
  tree: CallTree,
  node: number,
  whole: number = tree.total[0]!,
): NodeDescription {
  return {
    name: shownName(tree, node),
    where: whereOf(tree, node),
    rows: [
      ['Total', weighed(tree.total[node]!, whole, tree)],
      ['Self', weighed(tree.self[node]!, whole, tree)],
    ],
  };
}

export function describeDiffNode(diff: DiffTree, node: number): NodeDescription {
  return {
    name: shownName(diff, node),
    where: whereOf(diff, node),
    rows: [
      ['Before', weighed(diff.beforeTotal[node]!, diff.beforeSum, diff)],
      ['After', weighed(diff.total[node]!, diff.afterSum, diff)],
      ['Change', formatDelta(shareDelta(diff, node))],
      ['Self before', weighed(diff.beforeSelf[node]!, diff.beforeSum, diff)],
      ['Self after', weighed(diff.self[node]!, diff.afterSum, diff)],
    ],
  };
}
