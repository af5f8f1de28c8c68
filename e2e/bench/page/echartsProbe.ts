/**
 * How long ECharts takes to redraw a heatmap of 512 nodes × 8 devices when every value changes:
 * the measurement behind drawing the fleet on a plain canvas (paintFleet.ts).
 */
import { echarts } from '../../../renderer/src/charts/echarts.js';

export async function runEchartsProbe(
  root: HTMLElement,
): Promise<{ cells: number; setOptionMs: number[] }> {
  const rows = 512;
  const cols = 8;
  root.style.width = '1100px';
  root.style.height = '4000px';
  const chart = echarts.init(root, undefined, { renderer: 'canvas' });
  const option = (k: number) => ({
    animation: false,
    grid: { left: 80, right: 8, top: 8, bottom: 8 },
    xAxis: { type: 'category' as const, data: Array.from({ length: cols }, (_, i) => String(i)) },
    yAxis: { type: 'category' as const, data: Array.from({ length: rows }, (_, i) => `node-${i}`) },
    visualMap: { min: 0, max: 100, show: false },
    series: [
      {
        type: 'heatmap' as const,
        data: Array.from({ length: rows * cols }, (_, i) => [
          i % cols,
          Math.floor(i / cols),
          (i * 7 + k * 13) % 100,
        ]),
      },
    ],
  });
  const times: number[] = [];
  for (let k = 0; k < 20; k++) {
    const t0 = performance.now();
    chart.setOption(option(k), { replaceMerge: ['series'] });
    // ECharts paints on its next animation frame; flush() paints now, so the time is complete.
    chart.getZr().flush();
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 50));
  }
  chart.dispose();
  return { cells: rows * cols, setOptionMs: times };
}
