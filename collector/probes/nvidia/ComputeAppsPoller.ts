/**
 * Per-process GPU memory, asked every few seconds rather than every tick: processes change slowly
 * and `--query-compute-apps` walks every process on every GPU. The query runs in the background;
 * its answer joins the readings that follow, and is dropped once three periods old.
 */
import type { Sample } from '../../core/model.js';
import type { CommandRunner } from '../types.js';
import { parseComputeApps } from './computeApps.js';
import { COMPUTE_APPS_FIELDS } from './fields.js';
import { classifyFailure } from './smiErrors.js';

export const COMPUTE_APPS_ARGS = [
  `--query-compute-apps=${COMPUTE_APPS_FIELDS.join(',')}`,
  '--format=csv,noheader,nounits',
] as const;

const WHAT = 'nvidia-smi --query-compute-apps';

export interface ComputeAppsPollerOptions {
  everyMs: number;
  timeoutMs: number;
  now: () => number;
  onProblem: (text: string, t: number) => void;
}

export class ComputeAppsPoller {
  private askedAt = -Infinity;
  private running: Promise<void> | undefined;
  private latest: { samples: Sample[]; t: number } | undefined;

  constructor(
    private readonly runner: CommandRunner,
    private readonly opts: ComputeAppsPollerOptions,
  ) {}

  /** Starts a query if one is due and none is running. */
  poll(now: number): void {
    if (this.running || now - this.askedAt < this.opts.everyMs) return;
    this.askedAt = now;
    this.running = this.query().finally(() => {
      this.running = undefined;
    });
  }

  /** Waits for the query in flight, if any. */
  async settle(): Promise<void> {
    await this.running;
  }

  /** The last answer's samples stamped with its time, or none once it is three periods old. */
  samples(now: number): Sample[] {
    const last = this.latest;
    if (!last || now - last.t > 3 * this.opts.everyMs) return [];
    return last.samples.map((s) => ({ ...s, t: last.t }));
  }

  private async query(): Promise<void> {
    const { runner, opts } = this;
    try {
      const res = await runner.run('nvidia-smi', COMPUTE_APPS_ARGS, { timeoutMs: opts.timeoutMs });
      const t = opts.now();
      if (res.code !== 0) {
        opts.onProblem(`${WHAT}: ${classifyFailure(res, opts.timeoutMs).message}`, t);
        return;
      }
      const apps = parseComputeApps(res.stdout, WHAT);
      for (const p of apps.problems) opts.onProblem(p, t);
      this.latest = { samples: apps.samples, t };
    } catch (error) {
      opts.onProblem(`${WHAT} could not run: ${(error as Error).message}`, opts.now());
    }
  }
}
