/**
 * One ECharts instance in a div: created on mount, resized with its box, fed new options by merge
 * (series replaced) so a tooltip the user is reading survives a data update.
 */
import { useEffect, useRef } from 'react';

import { echarts, type ChartOption } from './echarts.js';
import { CHART_THEME_NAME } from './theme.js';

export interface EChartProps {
  option: ChartOption;
  height: number;
  /** What the chart shows, in words, for screen readers and tests. */
  ariaLabel: string;
  testId?: string;
  data?: Record<`data-${string}`, string | number>;
}

export function EChart({ option, height, ariaLabel, testId, data }: EChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    const instance = echarts.init(el, CHART_THEME_NAME, { renderer: 'canvas' });
    chart.current = instance;
    // Only a real change of size: a resize re-lays out and repaints the whole chart, and the
    // observer also reports the size the chart was created at.
    const observer = new ResizeObserver(() => {
      if (el.clientWidth === instance.getWidth() && el.clientHeight === instance.getHeight())
        return;
      instance.resize();
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { replaceMerge: ['series'] });
  }, [option]);

  return (
    <div
      ref={box}
      className="chart"
      style={{ height }}
      role="img"
      aria-label={ariaLabel}
      data-testid={testId}
      {...data}
    />
  );
}
