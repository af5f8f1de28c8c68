/**
 * A flame graph with its hover tooltip. The hover state lives here, so moving the pointer over
 * frames re-renders the tooltip only, never the graph (memo) or the tables around it.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

import type { NodeDescription } from './describeNode.js';
import type { FlameDatum } from './prepareFlame.js';
import { FlameGraph, type FlameGraphProps, type FlameHover } from './FlameGraph.js';
import { FlameTooltip } from './FlameTooltip.js';

export interface FlameAreaProps extends Omit<FlameGraphProps, 'onHover'> {
  readonly describe: (node: number) => NodeDescription;
  /** Scroll box height (px): deep trees scroll inside it. */
  readonly maxHeight?: number | undefined;
  /** Extra class on the scroll box. */
  readonly className?: string | undefined;
}

export function FlameArea({ describe, maxHeight, className, ...graph }: FlameAreaProps) {
  // A hover belongs to the tree it was over: a new tree (focus, colours) drops it.
  const [hover, setHover] = useState<(FlameHover & { data: FlameDatum }) | undefined>(undefined);
  const { data } = graph;
  const onHover = useCallback(
    (h: FlameHover | undefined) => setHover(h ? { ...h, data } : undefined),
    [data],
  );
  // A flame (root at the bottom) opens scrolled to its root, where the weight is.
  const scroller = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = scroller.current;
    if (el && !graph.icicle) el.scrollTop = el.scrollHeight;
  }, [graph.data, graph.icicle]);
  return (
    <div
      ref={scroller}
      className={className ? `flame-scroll ${className}` : 'flame-scroll'}
      style={maxHeight !== undefined ? { maxHeight } : undefined}
    >
      <FlameGraph {...graph} onHover={onHover} />
      {hover && hover.data === graph.data ? (
        <FlameTooltip description={describe(hover.node)} x={hover.x} y={hover.y} />
      ) : null}
    </div>
  );
}
