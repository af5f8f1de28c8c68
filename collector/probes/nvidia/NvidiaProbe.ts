/**
 * The NVIDIA probe. One nvidia-smi run finds the driver, the GPUs and the field names this driver
 * takes (detect.ts); then ONE long-lived `nvidia-smi --query-gpu=… -lms <interval>` streams a row
 * per GPU per interval, far cheaper than a process per sample (each start loads NVML and opens
 * every GPU again). `collect` only reads the newest row per GPU, so it never waits on nvidia-smi.
 * Rows older than three intervals turn into "missing" samples; a stream that dies is restarted
 * with backoff while the probe reports the error.
 */
import type { DeviceInfo, ProbeStatus, Sample } from '../../core/model.js';
import type { CommandRunner, Probe, ProbeReading } from '../types.js';
import { ComputeAppsPoller } from './ComputeAppsPoller.js';
import { checkWidth, splitCsvLine } from './csv.js';
import { detect, NVIDIA_SMI, queryArgs } from './detect.js';
import { gpuRowId, makeLayout, readGpuRow, type Layout } from './gpuRow.js';
import { HealthPoller } from './HealthPoller.js';
import { LatestRows } from './LatestRows.js';
import { ProblemLog } from './ProblemLog.js';
import { gpuReadings, judgeState } from './readings.js';
import { RestartingStream } from './RestartingStream.js';

export interface NvidiaProbeOptions {
  intervalMs: number;
  /** How often to list compute processes (default 5 s). */
  computeAppsEveryMs?: number;
  /**
   * How often to run the health checks (retired pages, remapped rows, ECC, PCIe link, power cap,
   * persistence, NVLink; HealthPoller.ts): default 30 s, 0 turns them off.
   */
  healthEveryMs?: number;
  /** Per nvidia-smi run (default 10 s for the first, 5 s for compute apps). */
  timeoutMs?: number;
  /** Clock for row arrival times (default Date.now). */
  now?: () => number;
}

export class NvidiaProbe implements Probe {
  readonly name = 'nvidia-smi';
  private status: ProbeStatus;
  private readonly now: () => number;
  private readonly problems = new ProblemLog();
  private readonly apps: ComputeAppsPoller;
  private readonly health: HealthPoller | undefined;
  private readonly latest = new LatestRows();
  private stream: RestartingStream | undefined;
  /** Why the probe cannot read GPUs right now (detection failed, stream down). */
  private failure: { state: 'absent' | 'error'; message: string } | undefined;
  private retry: ReturnType<typeof setTimeout> | undefined;
  private detectFailures = 0;
  private stopped = false;

  constructor(
    private readonly runner: CommandRunner,
    private readonly opts: NvidiaProbeOptions,
  ) {
    this.now = opts.now ?? Date.now;
    this.status = { probe: this.name, state: 'starting', since: this.now() };
    this.apps = new ComputeAppsPoller(runner, {
      everyMs: opts.computeAppsEveryMs ?? 5_000,
      timeoutMs: 5_000,
      now: this.now,
      onProblem: (text, t) => this.problems.add(text, t),
    });
    const healthEveryMs = opts.healthEveryMs ?? 30_000;
    if (healthEveryMs > 0) {
      this.health = new HealthPoller(runner, {
        everyMs: healthEveryMs,
        timeoutMs: 10_000,
        now: this.now,
      });
    }
  }

  async start(): Promise<void> {
    this.stopped = false;
    await this.begin();
  }

  /** Detection, then the stream; never rejects (a probe's failure is its status). */
  private async begin(): Promise<void> {
    try {
      await this.detectAndStream();
    } catch (error) {
      this.failure = { state: 'error', message: `nvidia-smi probe: ${(error as Error).message}` };
      this.judge(this.now());
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry !== undefined) clearTimeout(this.retry);
    this.retry = undefined;
    this.stream?.stop();
    this.stream = undefined;
    await this.apps.settle();
    await this.health?.settle();
  }

  async collect(now: number): Promise<ProbeReading> {
    try {
      return this.read(now);
    } catch (error) {
      this.setState('error', `nvidia-smi probe: ${(error as Error).message}`, now);
      return { status: { ...this.status }, devices: [], samples: [], events: [] };
    }
  }

  private async detectAndStream(): Promise<void> {
    const found = await detect(this.runner, this.opts.timeoutMs ?? 10_000);
    if (this.stopped) return;
    const now = this.now();
    if (found.state !== 'ok') {
      this.failure =
        found.state === 'error' ? { ...found, message: this.scheduleRetry(found.message) } : found;
      this.judge(now);
      return;
    }
    this.failure = undefined;
    this.detectFailures = 0;
    for (const p of found.table.problems) this.problems.add(p, now);
    for (const r of found.table.rows) {
      this.ingest(r.cells, found.tableLayout, `nvidia-smi --query-gpu line ${r.line}`, now);
    }
    this.stream?.stop();
    this.startStream(makeLayout(found.chosen));
    this.apps.poll(now);
    await this.apps.settle();
    this.judge(now);
  }

  /** A failed first run is retried like a dead stream: 1 s, 2 s, 4 s … 30 s. */
  private scheduleRetry(message: string): string {
    const wait = Math.min(30_000, 1_000 * 2 ** this.detectFailures++);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      if (!this.stopped) void this.begin();
    }, wait);
    return `${message}; retrying in ${wait / 1000} s`;
  }

  private startStream(layout: Layout): void {
    const args = [...queryArgs(layout.columns), '-lms', String(this.opts.intervalMs)];
    this.stream = new RestartingStream(
      this.runner,
      NVIDIA_SMI,
      args,
      {
        onLine: (text, line) => this.onLine(text, line, layout),
        onTooLong: (line, maxBytes) => {
          const kib = maxBytes / 1024;
          const text = `nvidia-smi stream line ${line}: longer than ${kib} KiB (a row is ~1 KB); skipped`;
          this.problems.add(text, this.now());
        },
        onExit: (message) => {
          this.failure = { state: 'error', message };
          this.judge(this.now());
        },
      },
      { now: this.now },
    );
    this.stream.start();
  }

  private onLine(text: string, line: number, layout: Layout): void {
    if (text.trim() === '') return;
    const now = this.now();
    const where = `nvidia-smi stream line ${line}`;
    const cells = splitCsvLine(text);
    const bad = checkWidth(cells, layout.columns.length, text, where);
    if (bad) return this.problems.add(bad, now);
    if (this.ingest(cells, layout, where, now)) this.failure = undefined;
  }

  private ingest(cells: readonly string[], layout: Layout, where: string, now: number): boolean {
    const id = gpuRowId(cells, layout);
    if (id !== undefined && !this.latest.admits(id, now)) return true;
    const result = readGpuRow(cells, layout, where);
    if (!result.ok) {
      this.problems.add(result.problem, now);
      return false;
    }
    for (const p of result.row.problems) this.problems.add(p, now);
    this.latest.put(result.row, now);
    return true;
  }

  private read(now: number): ProbeReading {
    if (this.failure?.state === 'absent') {
      this.judge(now);
      return { status: { ...this.status }, devices: [], samples: [], events: [] };
    }
    this.apps.poll(now);
    this.health?.poll(now);
    this.latest.forget(now);
    const { devices, samples } = gpuReadings(this.latest.values(), now, 3 * this.opts.intervalMs);
    samples.push(...this.apps.samples(now));
    this.pushTemperatureLimits(devices, samples, now);
    this.judge(now);
    const signals = this.health?.take() ?? [];
    const reading: ProbeReading = { status: { ...this.status }, devices, samples, events: [] };
    if (signals.length > 0) reading.signals = signals;
    return reading;
  }

  /**
   * Each GPU's slowdown and shutdown temperatures once a `-q -x` round read them (every fifth
   * health round: HealthPoller.ts): static per board, so the last ones read go out on every tick,
   * stamped with it, and a console colours temperature as a share of that board's own limit.
   */
  private pushTemperatureLimits(devices: readonly DeviceInfo[], out: Sample[], now: number): void {
    const limits = this.health?.temperatureLimits();
    if (limits === undefined || limits.size === 0) return;
    for (const d of devices) {
      const l = limits.get(d.id);
      if (l === undefined) continue;
      if (l.slowdown !== undefined) {
        out.push({ m: 'device.temperature.slowdown', v: l.slowdown, d: d.id, t: now });
      }
      if (l.shutdown !== undefined) {
        out.push({ m: 'device.temperature.shutdown', v: l.shutdown, d: d.id, t: now });
      }
    }
  }

  private judge(now: number): void {
    const staleAfterMs = 3 * this.opts.intervalMs;
    const problems = [
      this.latest.excess(now, staleAfterMs),
      this.problems.summary(now, staleAfterMs),
    ].filter((p) => p !== undefined);
    const judged = judgeState({
      failure: this.failure,
      rows: this.latest.values(),
      problems: problems.length > 0 ? problems.join('; ') : undefined,
      now,
      staleAfterMs,
    });
    // What the health checks cannot tell on this machine is said, without changing the state.
    const note =
      judged.state === 'ok' || judged.state === 'degraded' ? this.health?.note() : undefined;
    const message = [judged.message, note].filter((m) => m !== undefined).join('; ');
    this.setState(judged.state, message === '' ? undefined : message, now);
  }

  private setState(state: ProbeStatus['state'], message: string | undefined, now: number): void {
    const since = state === this.status.state ? this.status.since : now;
    this.status =
      message === undefined
        ? { probe: this.name, state, since }
        : { probe: this.name, state, message: clip(message, MAX_STATUS_CHARS), since };
  }
}

/** The protocol's bound on a status message (spec.ts, ProbeStatus.message). */
const MAX_STATUS_CHARS = 4096;

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function createNvidiaProbe(runner: CommandRunner, opts: NvidiaProbeOptions): NvidiaProbe {
  return new NvidiaProbe(runner, opts);
}
