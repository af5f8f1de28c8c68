/**
 * Samples the page every half second while a phase runs: JS heap (CDP Runtime.getHeapUsage, the
 * same figure as performance.memory.usedJSHeapSize with precise memory info), how old the good
 * node's value on screen is (its drawer's data-ts against this machine's clock: the simulator
 * stamps with the same clock), and the header's "N s behind". A sample that comes late is itself
 * news: the page's main thread answers CDP and evaluate only between tasks.
 */
import type { CDPSession, Page } from '@playwright/test';

export interface Sample {
  phase: string;
  at: number;
  heapBytes: number;
  /** now − the sender time of the good node's value on screen; undefined without one. */
  freshnessMs: number | undefined;
  /** The header's lag text, e.g. "27 s behind"; undefined when it shows none. */
  lag: string | undefined;
}

export interface PhaseFigures {
  phase: string;
  samples: number;
  peakHeapMB: number;
  worstFreshnessS: number | undefined;
  lastFreshnessS: number | undefined;
  lags: string[];
}

const DRAWER_METRIC = '[data-metric="device.utilization"]';

export class Sampler {
  readonly samples: Sample[] = [];
  private phase = 'setup';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;

  constructor(
    private readonly page: Page,
    private readonly cdp: CDPSession,
    private readonly node: string,
  ) {}

  /** Samples `page`, reading freshness only while the drawer shows `node` (the good node). */
  static async attach(page: Page, node: string): Promise<Sampler> {
    const cdp = await page.context().newCDPSession(page);
    return new Sampler(page, cdp, node);
  }

  start(): void {
    this.running = true;
    const loop = async (): Promise<void> => {
      if (!this.running) return;
      await this.sample().catch(() => undefined);
      if (this.running) this.timer = setTimeout(() => void loop(), 500);
    };
    void loop();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
  }

  enter(phase: string): void {
    this.phase = phase;
  }

  async heapBytes(): Promise<number> {
    const usage = await this.cdp.send('Runtime.getHeapUsage');
    return usage.usedSize;
  }

  async sample(): Promise<Sample> {
    const phase = this.phase;
    const heapBytes = await this.heapBytes();
    const seen = await this.page.evaluate(
      ([sel, node]) => {
        const drawer = document.querySelector('[data-testid="device-drawer"]');
        const ts =
          drawer?.getAttribute('data-node') === node
            ? drawer.querySelector(sel)?.getAttribute('data-ts')
            : undefined;
        const lag = document.querySelector('[data-testid="data-lag"]')?.textContent ?? undefined;
        return { ts: ts ? Number(ts) : undefined, lag };
      },
      [DRAWER_METRIC, this.node] as const,
    );
    const at = Date.now();
    const sample: Sample = {
      phase,
      at,
      heapBytes,
      freshnessMs: seen.ts === undefined ? undefined : at - seen.ts,
      lag: seen.lag,
    };
    this.samples.push(sample);
    return sample;
  }

  get peakHeapBytes(): number {
    return Math.max(0, ...this.samples.map((s) => s.heapBytes));
  }

  figures(): PhaseFigures[] {
    const phases = [...new Set(this.samples.map((s) => s.phase))];
    return phases.map((phase) => {
      const list = this.samples.filter((s) => s.phase === phase);
      const fresh = list.map((s) => s.freshnessMs).filter((f): f is number => f !== undefined);
      return {
        phase,
        samples: list.length,
        peakHeapMB: Math.round(Math.max(...list.map((s) => s.heapBytes)) / 2 ** 20),
        worstFreshnessS: fresh.length ? Math.max(...fresh) / 1000 : undefined,
        lastFreshnessS: fresh.length ? fresh[fresh.length - 1]! / 1000 : undefined,
        lags: [...new Set(list.map((s) => s.lag).filter((l): l is string => l !== undefined))],
      };
    });
  }
}
