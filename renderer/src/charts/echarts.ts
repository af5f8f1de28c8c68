/**
 * ECharts with only what the console draws, registered once: the full build is ~1 MB minified,
 * this subset about a third of it.
 */
import { HeatmapChart, LineChart } from 'echarts/charts';
import type { HeatmapSeriesOption, LineSeriesOption } from 'echarts/charts';
import { GridComponent, TooltipComponent, VisualMapContinuousComponent } from 'echarts/components';
import type {
  GridComponentOption,
  TooltipComponentOption,
  VisualMapComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import type { ComposeOption } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

import { CHART_THEME, CHART_THEME_NAME } from './theme.js';

echarts.use([
  HeatmapChart,
  LineChart,
  GridComponent,
  TooltipComponent,
  VisualMapContinuousComponent,
  CanvasRenderer,
]);
echarts.registerTheme(CHART_THEME_NAME, CHART_THEME);

export type ChartOption = ComposeOption<
  | HeatmapSeriesOption
  | LineSeriesOption
  | GridComponentOption
  | TooltipComponentOption
  | VisualMapComponentOption
>;

export { echarts };
