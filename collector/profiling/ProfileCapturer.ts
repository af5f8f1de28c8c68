/**
 * A collector's captures: one per process at a time (two py-spys on one process would each slow
 * it and halve each other's samples), at most MAX_CONCURRENT at once (each tool costs a core's
 * fraction and the target's pauses), each cancellable by its caller's signal or by pid (NATS
 * cancel). The one entry point for the local API, the desktop's IPC, the NATS agent and
 * `osprey profile capture`.
 */
import {
  CaptureError,
  checkCaptureRequest,
  type CapturedProfile,
} from '../core/protocol/profileCapture.js';
import { captureProfile, type CaptureDeps, type CaptureOptions } from './captureProfile.js';

/** Captures at once per collector: a 2-core node keeps a core for its engine. */
export const MAX_CONCURRENT_CAPTURES = 4;

interface Running {
  controller: AbortController;
  startedAtMs: number;
}

export class ProfileCapturer {
  private readonly running = new Map<number, Running>();

  constructor(
    private readonly deps: CaptureDeps,
    private readonly maxConcurrent = MAX_CONCURRENT_CAPTURES,
    private readonly capture: typeof captureProfile = captureProfile,
  ) {}

  get node(): string {
    return this.deps.node;
  }

  /** Pids being profiled now. */
  busyPids(): number[] {
    return [...this.running.keys()];
  }

  async start(options: CaptureOptions): Promise<CapturedProfile> {
    const request = checkCaptureRequest(options);
    const { pid } = request;
    const now = this.deps.now ?? Date.now;
    const already = this.running.get(pid);
    if (already) {
      const since = Math.round((now() - already.startedAtMs) / 1000);
      throw new CaptureError(
        'busy',
        `already profiling pid ${pid} on ${this.deps.node} (started ${since} s ago): wait for it or cancel it`,
      );
    }
    if (this.running.size >= this.maxConcurrent) {
      throw new CaptureError(
        'limit',
        `${this.running.size} captures are running on ${this.deps.node} (the limit is ${this.maxConcurrent}): wait for one to finish`,
      );
    }
    const controller = new AbortController();
    const onAbort = (): void => controller.abort(options.signal?.reason);
    if (options.signal?.aborted) controller.abort(options.signal.reason);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    this.running.set(pid, { controller, startedAtMs: now() });
    try {
      return await this.capture(
        { ...request, signal: controller.signal, onProgress: options.onProgress },
        this.deps,
      );
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      this.running.delete(pid);
    }
  }

  /** Cancels the capture of `pid`; false when none runs. */
  cancel(pid: number): boolean {
    const running = this.running.get(pid);
    running?.controller.abort(new Error('cancelled'));
    return running !== undefined;
  }

  /** Cancels every capture (the collector is stopping). */
  cancelAll(): void {
    for (const running of this.running.values()) running.controller.abort(new Error('stopping'));
  }
}
