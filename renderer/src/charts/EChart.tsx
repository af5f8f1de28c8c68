/**
 * One ECharts instance in a div: created on mount, resized with its box, fed new options by merge
 * (series replaced) so a tooltip the user is reading survives a data update.
 */
import { useEffect } from 'react';

import type { ChartOption } from './echarts.js';
import { useEChart } from './useEChart.js';

export interface EChartProps {
  option: ChartOption;
  height: number;
  /** What the chart shows, in words, for screen readers and tests. */
  ariaLabel: string;
  testId?: string;
  data?: Record<`data-${string}`, string | number>;
}

export function EChart({ option, height, ariaLabel, testId, data }: EChartProps) {
  const { box, chart } = useEChart();

  useEffect(() => {
    chart.current?.setOption(option, { replaceMerge: ['series'] });
  }, [chart, option]);

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
