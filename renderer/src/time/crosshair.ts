/**
 * One crosshair across every history chart of a view: hovering a time on one chart draws the
 * axis pointer at that time on all the others (tooltip only on the chart under the mouse, so the
 * page does not fill with a dozen boxes). Mapped by time value, not pixel, so charts of different
 * sizes (the heatmap is taller) still line up.
 */
import type { ECharts } from 'echarts/core';

interface PointerEvent {
  axesInfo?: Array<{ axisDim: string; value: number }>;
}

export class CrosshairGroup {
  private readonly charts = new Set<ECharts>();
  /** The chart whose pointer is being mirrored: its mirrors' own events must not echo back. */
  private source: ECharts | undefined;

  add(chart: ECharts): () => void {
    this.charts.add(chart);
    const onPointer = (e: unknown) => this.mirror(chart, e as PointerEvent);
    const onOut = () => this.clear(chart);
    chart.on('updateAxisPointer', onPointer);
    chart.on('globalout', onOut);
    return () => {
      chart.off('updateAxisPointer', onPointer);
      chart.off('globalout', onOut);
      this.charts.delete(chart);
    };
  }

  get size(): number {
    return this.charts.size;
  }

  private mirror(from: ECharts, e: PointerEvent): void {
    if (this.source !== undefined && this.source !== from) return;
    const x = e.axesInfo?.find((a) => a.axisDim === 'x')?.value;
    if (x === undefined) return;
    this.source = from;
    try {
      for (const chart of this.charts) {
        if (chart === from || chart.isDisposed()) continue;
        const px = chart.convertToPixel({ xAxisIndex: 0 }, x);
        if (!Number.isFinite(px)) continue;
        chart.dispatchAction({
          type: 'updateAxisPointer',
          currTrigger: 'mousemove',
          x: px,
          y: chart.getHeight() / 2,
          // The pointer only: the mirrored chart's tooltip would cover its neighbour's data.
          dispatchAction: (action: { type: string }) => {
            if (action.type !== 'showTip') chart.dispatchAction(action);
          },
        });
      }
    } finally {
      this.source = undefined;
    }
  }

  private clear(from: ECharts): void {
    for (const chart of this.charts) {
      if (chart === from || chart.isDisposed()) continue;
      chart.dispatchAction({ type: 'updateAxisPointer', currTrigger: 'leave' });
    }
  }
}
