/**
 * The sandwich of one function (core sandwich.ts): its callers above, drawn as a flame (the
 * function at the bottom, callers growing up), its callees below as an icicle (the function at
 * the top), so the function sits between the two. Both from the whole profile's tree, each
 * budgeted like the main graph.
 */
import { useMemo, useState } from 'react';

import { limitNodes, type CallTree } from '../../../../collector/core/profile/callTree.js';
import { sandwich } from '../../../../collector/core/profile/sandwich.js';
import { displayName } from '../../lib/displayName.js';
import { describeNode } from './describeNode.js';
import { FlameArea } from './FlameArea.js';
import type { ColorBy } from './flameColors.js';
import { budgetInfo, nodeColors, toFlameInput } from './prepareFlame.js';
import { formatShare, formatWeight } from './units.js';

export interface SandwichViewProps {
  /** The whole profile's tree (not budgeted): the sandwich gathers every call site. */
  readonly tree: CallTree;
  readonly functionKey: string;
  readonly colorBy: ColorBy;
}

function Half({
  tree,
  whole,
  colorBy,
  icicle,
  label,
  testId,
}: {
  tree: CallTree;
  /** The whole profile's total: tooltip shares are of it. */
  whole: number;
  colorBy: ColorBy;
  icicle: boolean;
  label: string;
  testId: string;
}) {
  const [zoomed, setZoomed] = useState(0);
  const data = useMemo(
    () => toFlameInput(tree, { colors: nodeColors(tree, colorBy) }),
    [tree, colorBy],
  );
  const describe = useMemo(() => (n: number) => describeNode(tree, n, whole), [tree, whole]);
  return (
    <section className="sandwich-half" aria-label={label}>
      <div className="sandwich-title">
        <span>{label}</span>
        <span className="panel-meta">{budgetInfo(tree).text}</span>
        {zoomed !== 0 ? (
          <button type="button" className="mini-button" onClick={() => setZoomed(0)}>
            Reset zoom
          </button>
        ) : null}
      </div>
      <FlameArea
        data={data}
        icicle={icicle}
        zoomed={zoomed}
        onZoom={setZoomed}
        describe={describe}
        label={label}
        testId={testId}
        maxHeight={320}
        className={icicle ? undefined : 'flame-bottom'}
      />
    </section>
  );
}

export function SandwichView({ tree, functionKey, colorBy }: SandwichViewProps) {
  const halves = useMemo(() => {
    const s = sandwich(tree, functionKey);
    return { callers: limitNodes(s.callers), callees: limitNodes(s.callees) };
  }, [tree, functionKey]);
  const whole = tree.total[0]!;
  const fnTotal = halves.callers.total[0]!;
  const name = displayName(halves.callers.name);
  return (
    <div className="sandwich" data-testid="sandwich">
      <div className="sandwich-head">
        <span className="sandwich-fn">{name}</span>
        <span className="panel-meta">
          total {formatWeight(fnTotal, tree.unit)} ({formatShare(whole > 0 ? fnTotal / whole : 0)}
          ), self {formatWeight(halves.callees.self[0]!, tree.unit)}
        </span>
      </div>
      <Half
        tree={halves.callers}
        whole={whole}
        colorBy={colorBy}
        icicle={false}
        label={`Callers of ${name}`}
        testId="sandwich-callers"
      />
      <Half
        tree={halves.callees}
        whole={whole}
        colorBy={colorBy}
        icicle
        label={`Callees of ${name}`}
        testId="sandwich-callees"
      />
    </div>
  );
}
