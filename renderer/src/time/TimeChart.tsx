/**
 * A history chart: one ECharts instance on the view's shared crosshair, where dragging across
 * the plot selects a time range (the toolbox's dataZoom "select" cursor, kept on permanently and
 * its toolbox hidden) that becomes the view's absolute range through `onZoom`.
 */
import { createContext, useContext, useEffect, useRef } from 'react';

import { useEChart } from '../charts/useEChart.js';
import type { CrosshairGroup } from './crosshair.js';
import type { TimeChartOption } from './timeCharts.js';

export const CrosshairContext = createContext<CrosshairGroup | undefined>(undefined);

export interface TimeChartProps {
  option: TimeChartOption;
  height: number;
  ariaLabel: string;
  onZoom?: (from: number, to: number) => void;
  testId?: string;
}

interface DataZoomEvent {
  batch?: Array<{ startValue?: number; endValue?: number }>;
  startValue?: number;
  endValue?: number;
}

/**
 * The toolbox must be shown for its dataZoom feature to exist (ToolboxView renders nothing when
 * `show` is false), so it is shown with zero-sized, transparent icons outside the plot.
 */
const ZOOM_TOOLBOX = {
  show: true,
  right: -100,
  top: -100,
  itemSize: 0,
  showTitle: false,
  iconStyle: { opacity: 0, borderWidth: 0 },
  feature: {
    dataZoom: {
      yAxisIndex: 'none' as const,
      brushStyle: { color: 'rgba(87,148,242,0.2)', borderColor: 'rgba(87,148,242,0.6)' },
    },
  },
};

export function TimeChart({ option, height, ariaLabel, onZoom, testId }: TimeChartProps) {
  const group = useContext(CrosshairContext);
  const zoomRef = useRef(onZoom);
  useEffect(() => {
    zoomRef.current = onZoom;
  }, [onZoom]);

  const { box, chart } = useEChart((instance) => {
    const leave = group?.add(instance);
    instance.on('datazoom', (e: unknown) => {
      const ev = e as DataZoomEvent;
      const b = ev.batch?.[0] ?? ev;
      if (b.startValue === undefined || b.endValue === undefined) return;
      const [from, to] = [b.startValue, b.endValue];
      // Undo the chart's own zoom: the new range arrives as new data on new axis bounds.
      instance.dispatchAction({ type: 'dataZoom', start: 0, end: 100 });
      zoomRef.current?.(from, to);
    });
    return leave;
  }, group);

  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    instance.setOption({ ...option, toolbox: ZOOM_TOOLBOX }, { replaceMerge: ['series'] });
    instance.dispatchAction({
      type: 'takeGlobalCursor',
      key: 'dataZoomSelect',
      dataZoomSelectActive: zoomRef.current !== undefined,
    });
  }, [chart, option]);

  return (
    <div
      ref={box}
      className="chart"
      style={{ height }}
      role="img"
      aria-label={ariaLabel}
      data-testid={testId}
    />
  );
}
