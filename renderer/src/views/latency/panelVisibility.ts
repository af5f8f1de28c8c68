/**
 * Which panels are on screen, for the query queue (queryLimiter.ts): visible panels first, then
 * page order. Kept outside React state: scrolling re-ranks the waiting queries when a slot frees,
 * without re-rendering eleven charts.
 */
export class PanelVisibility {
  private readonly shown = new Set<string>();

  constructor(private readonly order: readonly string[]) {}

  /** Lower leaves the queue first. */
  readonly priority = (panel: string): number => {
    const i = this.order.indexOf(panel);
    return (this.shown.has(panel) ? 0 : this.order.length) + (i < 0 ? this.order.length : i);
  };

  /** Tracks the panels (`data-testid="latency-panel-<id>"`) inside `grid`; returns the cleanup. */
  observe(grid: Element): () => void {
    if (typeof IntersectionObserver === 'undefined') return () => undefined;
    const observer = new IntersectionObserver((entries) => {
      for (const e of entries) this.set(panelId(e.target), e.isIntersecting);
    });
    for (const el of grid.querySelectorAll('[data-testid^="latency-panel-"]')) observer.observe(el);
    return () => observer.disconnect();
  }

  set(panel: string | undefined, visible: boolean): void {
    if (panel === undefined) return;
    if (visible) this.shown.add(panel);
    else this.shown.delete(panel);
  }
}

function panelId(el: Element): string | undefined {
  return el.getAttribute('data-testid')?.slice('latency-panel-'.length);
}
