/**
 * The one wrapper around d3-flame-graph 5.0.0 (the only module that imports it): flame or icicle
 * from a prepared FlameDatum tree (prepareFlame.ts, always a budgeted tree), zoom on click,
 * highlighted nodes, and hover reported to the caller, which draws its own tooltip in React.
 *
 * Names reach the page as text only: the library sets labels with `.text()` and the `name`
 * attribute with `.attr()`; its own tooltip can take HTML, so it is replaced by `hoverTip` below,
 * which renders nothing itself. Its CSS comes with its ES module (dist/d3-flamegraph.es.js imports
 * d3-flamegraph.css); profiles.css adapts it to the dark theme.
 */
import flamegraph, { type FlameChart, type FlameNode, type FlameTooltip } from 'd3-flame-graph';
import { select } from 'd3-selection';
import { memo, useEffect, useImperativeHandle, useLayoutEffect, useRef, type Ref } from 'react';

import type { DrawnFrame } from './exportFlame.js';
import { HIGHLIGHT } from './flameColors.js';
import type { FlameDatum } from './prepareFlame.js';

/** Frame height in px (d3-flame-graph's default 18 fits a 12 px label). */
export const CELL_HEIGHT = 18;
/**
 * Transitions short enough that zoom stays under the 100 ms the issue asks (d3-flame-graph's
 * default 750 ms animates for most of a second).
 */
const TRANSITION_MS = 80;

export interface FlameHover {
  readonly node: number;
  /** Pointer position in the viewport (px). */
  readonly x: number;
  readonly y: number;
}

export interface FlameGraphHandle {
  /** The frames as drawn now, with the graph's size: what PNG and SVG export write. */
  drawn(): { frames: DrawnFrame[]; width: number; height: number };
}

export interface FlameGraphProps {
  readonly data: FlameDatum;
  /** Root at the top (icicle) rather than at the bottom (flame). */
  readonly icicle: boolean;
  /** Tree nodes to light up (search matches, the selected function). */
  readonly highlighted?: ReadonlySet<number> | undefined;
  /** The node zoomed to (0: the root, no zoom). */
  readonly zoomed: number;
  readonly onZoom?: ((node: number) => void) | undefined;
  readonly onHover?: ((hover: FlameHover | undefined) => void) | undefined;
  /** Accessible name of the graph ("Flame graph of MainThread"). */
  readonly label: string;
  readonly testId?: string | undefined;
  readonly ref?: Ref<FlameGraphHandle> | undefined;
}

type Node = FlameNode<FlameDatum>;

function findNode(root: Node, index: number): Node | undefined {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const d = stack.pop()!;
    if (d.data.i === index) return d;
    if (d.children) stack.push(...d.children);
  }
  return undefined;
}

/** Clears the library's zoom flags on every node: a zoom then starts from the whole tree. */
function unzoom(root: Node): void {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const d = stack.pop()!;
    d.data.fade = false;
    d.data.hide = false;
    if (d.children) stack.push(...d.children);
  }
}

/** The same on input data not yet drawn (a datum the chart held before keeps its flags). */
function clearFlags(data: FlameDatum): void {
  const stack: Array<FlameDatum & { fade?: boolean; hide?: boolean }> = [data];
  while (stack.length > 0) {
    const d = stack.pop()!;
    d.fade = false;
    d.hide = false;
    if (d.children) stack.push(...d.children);
  }
}

function readFrames(svg: SVGSVGElement): DrawnFrame[] {
  const frames: DrawnFrame[] = [];
  for (const g of svg.querySelectorAll<SVGGElement>('g.frame')) {
    const rect = g.querySelector('rect');
    const width = Number(rect?.getAttribute('width') ?? 0);
    if (!rect || !(width > 0)) continue;
    const m = /translate\(([-\d.e]+)\s*,\s*([-\d.e]+)\)/.exec(g.getAttribute('transform') ?? '');
    frames.push({
      x: Number(m?.[1] ?? 0),
      y: Number(m?.[2] ?? 0),
      width,
      height: Number(rect.getAttribute('height') ?? CELL_HEIGHT),
      fill: rect.getAttribute('fill') ?? '#888',
      name: g.getAttribute('name') ?? '',
      faded: g.classList.contains('fade'),
    });
  }
  return frames;
}

export const FlameGraph = memo(function FlameGraph(props: FlameGraphProps) {
  const { data, icicle, highlighted, zoomed, label, testId, ref } = props;
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<FlameChart<FlameDatum> | null>(null);
  const shownData = useRef<FlameDatum | null>(null);
  const zoomedNow = useRef(0);
  // Handlers through refs: the chart is made once and must always call the latest props.
  const handlers = useRef(props);
  const lit = useRef(highlighted);
  useLayoutEffect(() => {
    handlers.current = props;
    lit.current = highlighted;
  });

  useImperativeHandle(
    ref,
    () => ({
      drawn: () => {
        const svg = host.current?.querySelector('svg');
        if (!svg) return { frames: [], width: 0, height: 0 };
        return {
          frames: readFrames(svg),
          width: Number(svg.getAttribute('width') ?? 0),
          height: Number(svg.getAttribute('height') ?? 0),
        };
      },
    }),
    [],
  );

  // The chart, once per mount; resized with its box.
  useEffect(() => {
    const el = host.current!;
    const hoverTip: FlameTooltip<FlameDatum> = Object.assign(() => undefined, {
      show: (event: MouseEvent, d: Node) =>
        handlers.current.onHover?.({ node: d.data.i, x: event.clientX, y: event.clientY }),
      hide: () => handlers.current.onHover?.(undefined),
      destroy: () => undefined,
    });
    const c = flamegraph<FlameDatum>()
      .width(Math.max(200, el.clientWidth))
      .cellHeight(CELL_HEIGHT)
      .minHeight(CELL_HEIGHT * 3)
      .transitionDuration(TRANSITION_MS)
      // Frames under 1 px are not drawn (their weight is still in their parent's width).
      .minFrameSize(1)
      .resetHeightOnZoom(true)
      .sort(false)
      .tooltip(hoverTip)
      .setSearchHandler(() => undefined)
      .setDetailsHandler(() => undefined)
      .setSearchMatch((d) => lit.current?.has(d.data.i) ?? false)
      .setColorMapper((d) => (d.highlight ? HIGHLIGHT : d.data.color))
      .onClick((d) => {
        zoomedNow.current = d.data.i;
        handlers.current.onZoom?.(d.data.i);
      });
    chart.current = c;
    return () => {
      c.destroy();
      chart.current = null;
      shownData.current = null;
    };
  }, []);

  useEffect(() => {
    const el = host.current!;
    let width = el.clientWidth;
    const observer = new ResizeObserver(() => {
      const c = chart.current;
      if (!c || el.clientWidth === width || el.clientWidth === 0) return;
      width = el.clientWidth;
      c.width(width).update();
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Data, orientation, zoom and highlight, in that order: each needs the one before. Each
  // library call below redraws, so only what changed is called.
  const drawnIcicle = useRef(icicle);
  const litDrawn = useRef(false);
  useEffect(() => {
    const el = host.current!;
    const c = chart.current;
    if (!c) return;
    c.inverted(icicle);
    let redrawn = false;
    if (shownData.current !== data) {
      // A datum drawn before (the same tree shown again) still holds the old zoom's flags.
      clearFlags(data);
      if (shownData.current === null) select(el).datum(data).call(c);
      else c.update(data);
      shownData.current = data;
      zoomedNow.current = 0;
      litDrawn.current = false;
      redrawn = true;
    }
    if (zoomedNow.current !== zoomed) {
      const root = select(el).datum() as Node;
      const target = findNode(root, zoomed) ?? root;
      unzoom(root);
      zoomedNow.current = target.data.i;
      c.zoomTo(target);
      redrawn = true;
    }
    const lightUp = highlighted !== undefined && highlighted.size > 0;
    if (lightUp) c.search('highlight');
    else if (litDrawn.current) c.clear();
    else if (!redrawn && drawnIcicle.current !== icicle) c.update();
    litDrawn.current = lightUp;
    drawnIcicle.current = icicle;
  }, [data, icicle, zoomed, highlighted]);

  return (
    <div
      ref={host}
      className="flame-graph"
      role="img"
      aria-label={label}
      data-testid={testId}
      onMouseLeave={() => handlers.current.onHover?.(undefined)}
    />
  );
});
