/**
 * The fleet heatmap: a canvas repainted straight from the store (not through React) at most every
 * `repaintMs`, so 4,096 cells follow the data within a frame or two while React re-renders the
 * rest of the view a few times a second. Hover shows a cell's tooltip; click or Enter opens the
 * device drawer; arrow keys move between cells.
 */
import {
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
} from 'react';

import { useElementWidth } from '../../hooks/useElementWidth.js';
import type { PresenceState } from '../../sources/Source.js';
import type { LiveStore } from '../../store/LiveStore.js';
import { deviceKeyOf, type OpenDiagnosis } from '../../lib/diagnoses.js';
import { count } from './count.js';
import { describeCell } from './describeCell.js';
import { readFleetFrame, type FleetFrame } from './fleetCells.js';
import { cellAt, fleetGeometry, LABEL_GAP, type FleetGeometry } from './fleetGeometry.js';
import { BADGE_MARKS, badgeLevels } from './fleetBadges.js';
import { labelsFor, LABEL_FONT, paintFleet, paintLabels } from './paintFleet.js';
import type { FleetCell, FleetLayout } from './types.js';

export interface FleetHeatmapProps {
  store: LiveStore;
  layout: FleetLayout;
  metric: string;
  presence: PresenceState;
  /** The store clock, once a second: a new value re-renders, so tooltips keep counting ages. */
  now: number;
  selected: { node: string; device: string } | undefined;
  onSelect: (cell: FleetCell) => void;
  /** The colour scale's ends, and whether they are % of each device's own limit. */
  onRange: (range: [number, number], relative: boolean) => void;
  /** Open diagnoses by device (lib/diagnoses.ts `diagnosesByDevice`): badges on their cells. */
  diagnoses?: ReadonlyMap<string, readonly OpenDiagnosis[]> | undefined;
  /** Shortest time between repaints: new data shows within this, plus one frame. */
  repaintMs?: number;
  /** Repaint this often without new data too, so ages and staleness keep moving. */
  idleRepaintMs?: number;
}

/** Detail of the `osprey:frame` event the canvas dispatches after each repaint. */
export interface FleetFrameEvent {
  /**
   * Wall time (Date.now()) the repaint finished: a measurement for the benchmarks (publish to
   * paint, against the senders' stamps: e2e/bench/page/BenchConsole.tsx), never a time shown.
   */
  drawnAt: number;
  /** How long reading and painting took (ms). */
  paintMs: number;
  cells: number;
  /** Newest metrics time (sender clock) of every node, as painted. */
  nodeTimes: () => Array<[string, number]>;
}

export function FleetHeatmap(props: FleetHeatmapProps) {
  const { store, layout, metric, presence, selected, onSelect, onRange, diagnoses } = props;
  // A repaint of 4,096 cells costs ~1–2 ms (BENCHMARKS.md), so new data may show at 30 frames a
  // second: the throttle adds at most 33 ms to publish→pixel.
  const repaintMs = props.repaintMs ?? 33;
  const idleRepaintMs = props.idleRepaintMs ?? 500;
  const [box, width] = useElementWidth<HTMLDivElement>();
  const canvas = useRef<HTMLCanvasElement>(null);
  const labelCanvas = useRef<HTMLCanvasElement>(null);
  const [hovered, setHovered] = useState(-1);
  const [labelWidth, setLabelWidth] = useState(60);

  // The widest node label, measured on the canvas's own font, bounds the label column.
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    ctx.font = LABEL_FONT;
    let widest = 0;
    for (const s of layout.sections) {
      for (const r of s.rows) widest = Math.max(widest, ctx.measureText(r.node).width);
    }
    setLabelWidth(Math.min(140, Math.max(40, Math.ceil(widest) + 2)));
  }, [layout]);

  const geometry = useMemo(
    () =>
      fleetGeometry(layout, {
        width: Math.max(200, width),
        heightBudget: Math.max(320, window.innerHeight - 320),
        labelWidth,
      }),
    [layout, width, labelWidth],
  );
  const selectedIndex = useMemo(
    () =>
      selected
        ? geometry.cells.findIndex(
            (c) => c.node === selected.node && c.device.id === selected.device,
          )
        : -1,
    [geometry, selected],
  );

  const badges = useMemo(
    () => (diagnoses && diagnoses.size > 0 ? badgeLevels(geometry.cells, diagnoses) : undefined),
    [geometry, diagnoses],
  );

  // Everything paint() needs, kept in a ref so the store subscription never re-subscribes.
  const state = useRef({ geometry, metric, presence, selectedIndex, hovered, badges });
  const frame = useRef<FleetFrame | undefined>(undefined);
  const rangeKey = useRef('');
  const dpr = typeof window === 'undefined' ? 1 : window.devicePixelRatio || 1;

  const paint = useCallback(() => {
    const el = canvas.current;
    const ctx = el?.getContext('2d');
    if (!el || !ctx) return;
    const s = state.current;
    const t0 = performance.now();
    const g = s.geometry;
    frame.current = readFleetFrame(
      store,
      g.cells,
      s.metric,
      store.currentTime,
      s.presence === 'live',
      frame.current,
    );
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    const scale = frame.current.scale;
    paintFleet(ctx, g, frame.current, {
      palette:
        scale.kind === 'categorical' ? scale.categorical.categories.map((c) => c.color) : undefined,
      badges: s.badges,
      selected: s.selectedIndex,
      hovered: s.hovered,
    });
    const paintMs = performance.now() - t0;
    el.dataset.paintMs = paintMs.toFixed(2);
    el.dataset.paints = String(Number(el.dataset.paints ?? 0) + 1);
    const relative = frame.current.scale.kind === 'relative';
    const key = `${frame.current.range.join(':')}:${relative}`;
    if (key !== rangeKey.current) {
      rangeKey.current = key;
      onRange(frame.current.range, relative);
    }
    const detail: FleetFrameEvent = {
      drawnAt: Date.now(),
      paintMs,
      cells: g.cells.length,
      nodeTimes: () => store.nodes().map((n) => [n.node, n.lastTs ?? 0]),
    };
    el.dispatchEvent(new CustomEvent('osprey:frame', { detail }));
  }, [store, dpr, onRange]);

  // Size the canvases (which clears them) and draw the labels only when the layout changes.
  useEffect(() => {
    for (const el of [canvas.current, labelCanvas.current]) {
      if (!el) continue;
      el.width = Math.round(geometry.width * dpr);
      el.height = Math.round(Math.max(1, geometry.height) * dpr);
      el.style.width = `${geometry.width}px`;
      el.style.height = `${geometry.height}px`;
    }
    const ctx = labelCanvas.current?.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    paintLabels(ctx, geometry, labelsFor(ctx, geometry, geometry.labelWidth));
  }, [geometry, dpr]);

  // Repaint whenever what is drawn changes, data aside (that comes through the store).
  useEffect(() => {
    state.current = { geometry, metric, presence, selectedIndex, hovered, badges };
    paint();
  }, [geometry, metric, presence, selectedIndex, hovered, badges, paint]);

  // New data: repaint on the next frame, at most every repaintMs; idle: every idleRepaintMs.
  useEffect(() => {
    let raf = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last = 0;
    const run = () => {
      raf = 0;
      timer = undefined;
      last = performance.now();
      paint();
    };
    const schedule = () => {
      if (raf !== 0 || timer !== undefined) return;
      const wait = repaintMs - (performance.now() - last);
      if (wait <= 0) raf = requestAnimationFrame(run);
      else
        timer = setTimeout(() => {
          timer = undefined;
          raf = requestAnimationFrame(run);
        }, wait);
    };
    const unsubscribe = store.subscribe(schedule);
    const idle = setInterval(() => {
      if (performance.now() - last >= idleRepaintMs) schedule();
    }, idleRepaintMs);
    return () => {
      unsubscribe();
      clearInterval(idle);
      if (raf !== 0) cancelAnimationFrame(raf);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [store, paint, repaintMs, idleRepaintMs]);

  const pointAt = (e: { clientX: number; clientY: number }) => {
    const rect = canvas.current!.getBoundingClientRect();
    return cellAt(geometry, e.clientX - rect.left, e.clientY - rect.top);
  };

  const focus = hovered >= 0 ? hovered : selectedIndex;
  const tip = focus >= 0 ? geometry.cells[focus] : undefined;
  // The store's clock itself, not the once-a-second `now`: the canvas fades a cell by it, and a
  // tooltip read at the same moment must not still call that cell "updated 1 s ago".
  const description = tip
    ? describeCell(
        store,
        tip,
        metric,
        store.currentTime,
        presence,
        diagnoses?.get(deviceKeyOf(tip.node, tip.device.id)),
      )
    : undefined;

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (geometry.cells.length === 0) return;
    const next = moveFrom(geometry, selectedIndex, e.key);
    if (next === undefined) return;
    e.preventDefault();
    if (next >= 0) onSelect(geometry.cells[next]!);
  };

  return (
    <div ref={box} className="fleet-heatmap-box">
      <div
        className="fleet-heatmap"
        tabIndex={0}
        role="application"
        aria-roledescription="heatmap"
        aria-label={`Fleet heatmap: ${count(layout.devices, 'device')} on ${count(layout.nodes, 'node')}. Arrow keys move between devices and open each in the side panel.`}
        onKeyDown={onKeyDown}
      >
        <canvas ref={labelCanvas} className="fleet-labels" aria-hidden />
        <canvas
          ref={canvas}
          className="fleet-cells"
          data-testid="fleet-heatmap"
          data-cells={geometry.cells.length}
          data-nodes={layout.nodes}
          data-metric={metric}
          data-cell={geometry.cell}
          data-pitch={geometry.pitch}
          data-cells-left={geometry.labelWidth + LABEL_GAP}
          data-badges={badges ? badges.filter((b) => b >= 0).length : 0}
          onMouseMove={(e) => {
            const i = pointAt(e);
            if (i !== hovered) setHovered(i);
          }}
          onMouseLeave={() => setHovered(-1)}
          onClick={(e) => {
            const i = pointAt(e);
            if (i >= 0) onSelect(geometry.cells[i]!);
          }}
        />
        {description && tip && hovered >= 0 ? (
          <div
            className="fleet-tooltip osprey-tooltip"
            role="tooltip"
            style={tooltipPosition(geometry, focus)}
          >
            <strong>{description.lines[0]}</strong>
            {description.lines.slice(1).map((line) => (
              <div
                key={line}
                className={
                  line.startsWith('stale') || line.startsWith('source') ? 'stale-line' : undefined
                }
              >
                {line}
              </div>
            ))}
            {description.diagnoses.map((d) => (
              <div key={d.text} className={`diagnosis-line severity-${d.severity}`}>
                <span className="badge-mark" aria-hidden="true">
                  {BADGE_MARKS[d.severity]}
                </span>
                {d.text}
              </div>
            ))}
          </div>
        ) : null}
      </div>
      <div className="visually-hidden" aria-live="polite" data-testid="fleet-focus">
        {description && selectedIndex >= 0
          ? [...description.lines, ...description.diagnoses.map((d) => d.text)].join('. ')
          : ''}
      </div>
    </div>
  );
}

/** The tooltip beside the cell, flipped left in the right half so it stays inside the panel. */
function tooltipPosition(g: FleetGeometry, i: number): CSSProperties {
  const x = g.cellX[i]!;
  const y = g.cellY[i]!;
  const right = x > g.width / 2;
  return right ? { right: g.width - x + 8, top: y } : { left: x + g.cell + 8, top: y };
}

/** The cell an arrow key (or Home/End) leads to; undefined for other keys. */
function moveFrom(g: FleetGeometry, at: number, key: string): number | undefined {
  const n = g.cells.length;
  if (key === 'Home') return 0;
  if (key === 'End') return n - 1;
  if (!['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown'].includes(key)) return undefined;
  if (at < 0) return 0;
  if (key === 'ArrowRight') return Math.min(n - 1, at + 1);
  if (key === 'ArrowLeft') return Math.max(0, at - 1);
  // Up and down: the same column in the row above or below, by position on screen.
  const x = g.cellX[at]!;
  const y = g.cellY[at]! + (key === 'ArrowDown' ? g.pitch : -g.pitch);
  const target = cellAt(g, x + 1, y + 1);
  return target >= 0 ? target : at;
}
