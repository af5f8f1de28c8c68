/**
 * What history charts add to the console's ECharts subset: the hidden toolbox whose dataZoom
 * "select" mode turns a drag into a range, mark lines (SLOs), mark areas (the live edge), a
 * legend, and custom series (the latency heatmap on a time axis). Registered here, beside the
 * charts that need them, so the live views stay lean.
 */
import { CustomChart } from 'echarts/charts';
import type { CustomSeriesOption, HeatmapSeriesOption, LineSeriesOption } from 'echarts/charts';
import {
  LegendComponent,
  MarkAreaComponent,
  MarkLineComponent,
  ToolboxComponent,
} from 'echarts/components';
import type {
  GridComponentOption,
  LegendComponentOption,
  MarkAreaComponentOption,
  MarkLineComponentOption,
  ToolboxComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts/components';
import type { ComposeOption } from 'echarts/core';

import { echarts } from '../charts/echarts.js';

echarts.use([CustomChart, ToolboxComponent, MarkLineComponent, MarkAreaComponent, LegendComponent]);

export type TimeChartOption = ComposeOption<
  | HeatmapSeriesOption
  | LineSeriesOption
  | CustomSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
  | LegendComponentOption
  | MarkLineComponentOption
  | MarkAreaComponentOption
  | ToolboxComponentOption
>;

/**
 * Every history chart's plot area starts and ends at the same pixels, so one time reads at one x
 * across the page; the crosshair maps by value anyway (crosshair.ts), this keeps it straight.
 */
export const TIME_GRID = { left: 58, right: 18 } as const;

export { echarts };
