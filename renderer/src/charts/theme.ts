/**
 * Chart colours. Canvas cannot read CSS variables, so the values of shell/theme.css that charts
 * need are repeated here; keep the two in step.
 */
export const COLORS = {
  panel: '#181b1f',
  text: '#d8d9de',
  textSecondary: '#9a9ba5',
  textMuted: '#6e7079',
  border: '#2a2e35',
  grid: '#23262c',
  tooltipBg: '#1f2229',
  tooltipBorder: '#3a3f48',
  noData: '#202329',
  noDataBorder: '#4a4f59',
} as const;

/** Series colours, in order: blue, purple, green, yellow, orange, red. */
export const SERIES_COLORS = ['#5794f2', '#b877d9', '#73bf69', '#fade2a', '#ff9830', '#f2495c'];

/**
 * The heatmap scale: viridis (perceptually uniform, readable with colour-vision deficiencies, and
 * bright at the top so "hot" cells stand out on a dark page).
 */
export const HEATMAP_COLORS = ['#440154', '#3b528b', '#21918c', '#5ec962', '#fde725'];

export const CHART_THEME_NAME = 'osprey-dark';

export const CHART_THEME = {
  backgroundColor: 'transparent',
  color: SERIES_COLORS,
  textStyle: {
    color: COLORS.textSecondary,
    fontFamily: 'Inter, "Segoe UI", system-ui, -apple-system, sans-serif',
    fontSize: 11,
  },
  tooltip: {
    backgroundColor: COLORS.tooltipBg,
    borderColor: COLORS.tooltipBorder,
    textStyle: { color: COLORS.text, fontSize: 12 },
  },
  categoryAxis: {
    axisLine: { lineStyle: { color: COLORS.border } },
    axisTick: { show: false },
    axisLabel: { color: COLORS.textSecondary },
    splitLine: { show: false },
  },
  valueAxis: {
    axisLine: { show: false },
    axisLabel: { color: COLORS.textMuted },
    splitLine: { lineStyle: { color: COLORS.grid } },
  },
  timeAxis: {
    axisLine: { lineStyle: { color: COLORS.border } },
    axisTick: { show: false },
    axisLabel: { color: COLORS.textMuted },
    splitLine: { show: false },
  },
};
