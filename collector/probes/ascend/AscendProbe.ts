/**
 * The Huawei Ascend probe: `npu-smi info` every tick (devices, AICore, HBM, power, temperature,
 * health, processes), and every `detailEvery`-th tick `npu-smi info -t usages -i N` per NPU for what
 * the table lacks (AI CPU, AI Vector, memory bandwidth). npu-smi takes ~0.3–0.7 s per call (nvitop
 * PR #227: a full report on 8×910B3 takes ~5.4 s), so the per-NPU queries run one at a time in the
 * background and their values join the next readings; the collector's shared tick never waits on
 * them. Health and error codes reach the diagnosis rules as Signals: the table's Health column
 * each tick (core thresholds.ts), and `-t health|ecc|board` at a slow cadence (NpuHealthPoller),
 * brought forward when a chip leaves OK.
 */
import type { DeviceInfo, ProbeStatus, Sample } from '../../core/model.js';
import { MAX_DEVICES } from '../../core/protocol/limits.js';
import type { ProbeState } from '../../core/protocol/spec.js';
import type { CommandRunner, Probe, ProbeReading } from '../types.js';
import { DetailCache } from './detail.js';
import { HealthTracker, isRecovery } from './healthEvents.js';
import { parseInfoTable, type InfoTable, type TableChip } from './infoTable.js';
import { parseInfoT } from './infoT.js';
import { NpuHealthPoller } from './NpuHealthPoller.js';
import { describeProblems, lostSamples, runNpuSmi, type NpuSmiRun } from './npuSmi.js';

export interface AscendProbeOptions {
  intervalMs: number;
  /** Query `-t usages` per NPU on every n-th collect (default 5). */
  detailEvery?: number;
  /** Per npu-smi call (default 5 s). */
  timeoutMs?: number;
  /**
   * How often to run the health checks (`-t health`, `-t ecc`, `-t board` per NPU;
   * NpuHealthPoller.ts): default 60 s, 0 turns them off.
   */
  healthEveryMs?: number;
  /** Clock for `start()`, which has no `now` of its own (default Date.now). */
  now?: () => number;
}

export class AscendProbe implements Probe {
  readonly name = 'npu-smi';
  private status: ProbeStatus;
  private readonly detailEvery: number;
  private readonly timeoutMs: number;
  private readonly now: () => number;
  private toolMissing = false;
  private ticks = 0;
  private lastGood: DeviceInfo[] = [];
  private readonly detail = new DetailCache();
  private detailProblems: string[] = [];
  private detailRunning = false;
  private readonly health = new HealthTracker();
  private readonly checks: NpuHealthPoller | undefined;
  private background: Promise<void> = Promise.resolve();
  private stopped = false;
  /** start()'s answer serves the first collect: the collector ticks right after start. */
  private primed: NpuSmiRun | undefined;

  constructor(
    private readonly runner: CommandRunner,
    opts: AscendProbeOptions,
  ) {
    this.detailEvery = Math.max(1, Math.floor(opts.detailEvery ?? 5));
    this.timeoutMs = opts.timeoutMs ?? 5_000;
    this.now = opts.now ?? Date.now;
    this.status = { probe: this.name, state: 'starting', since: this.now() };
    const healthEveryMs = opts.healthEveryMs ?? 60_000;
    if (healthEveryMs > 0) {
      this.checks = new NpuHealthPoller(runner, {
        everyMs: healthEveryMs,
        timeoutMs: this.timeoutMs,
        now: this.now,
      });
    }
  }

  async start(): Promise<void> {
    this.stopped = false;
    const now = this.now();
    const res = await runNpuSmi(this.runner, ['info'], this.timeoutMs);
    this.primed = res;
    if (!res.ok) {
      this.toolMissing = res.notFound;
      return this.setState(res.notFound ? 'absent' : 'error', res.message, now);
    }
    try {
      const table = parseInfoTable(res.stdout);
      if (table.devices.length === 0 && table.problems.length === 0) {
        return this.setState('absent', 'npu-smi info lists no NPUs', now);
      }
      const problems = describeProblems('npu-smi info', table.problems);
      this.setState(problems.length > 0 ? 'degraded' : 'ok', summarize(problems), now);
    } catch (error) {
      this.setState('error', `ascend probe: ${(error as Error).message}`, now);
    }
  }

  async collect(now: number): Promise<ProbeReading> {
    try {
      return await this.collectOnce(now);
    } catch (error) {
      this.setState('error', `ascend probe: ${(error as Error).message}`, now);
      return this.reading(this.lastGood, lostSamples(this.lastGood, 'error'));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.checks?.stop();
    await this.background;
  }

  /** Resolves when the background `-t` queries started so far have finished. */
  whenIdle(): Promise<void> {
    return this.background;
  }

  private async collectOnce(now: number): Promise<ProbeReading> {
    if (this.toolMissing) return this.reading([], []);
    const res = this.primed ?? (await runNpuSmi(this.runner, ['info'], this.timeoutMs));
    this.primed = undefined;
    if (!res.ok) {
      this.toolMissing = res.notFound;
      this.setState(res.notFound ? 'absent' : 'error', res.message, now);
      const kept = res.notFound ? [] : this.lastGood;
      return this.reading(kept, lostSamples(kept, 'error'));
    }
    const { table, excess } = bounded(parseInfoTable(res.stdout));
    if (table.devices.length === 0 && table.problems.length === 0) {
      this.lastGood = [];
      this.setState('absent', 'npu-smi info lists no NPUs', now);
      return this.reading([], []);
    }
    const parsed = new Set(table.devices.map((d) => d.id));
    const kept = table.problems.length > 0 ? this.lastGood.filter((d) => !parsed.has(d.id)) : [];
    const devices = [...table.devices, ...kept].slice(0, MAX_DEVICES);
    if (table.problems.length === 0) this.lastGood = table.devices;
    this.detail.retain(new Set(devices.map((d) => d.id)));
    if (this.ticks++ % this.detailEvery === 0) this.startDetailRound(table.chips, now);
    // A chip leaving OK in the table brings the health checks forward: its error codes come from
    // `-t health`, and both go to the diagnosis rules as Signals (one path, no second event).
    if (this.health.changes(table.chips).some((c) => !isRecovery(c))) this.checks?.soon();
    this.startHealthChecks(table, now);
    const samples = this.detail.merge([...table.samples, ...lostSamples(kept, 'error')], now);
    const problems = [
      ...(excess === undefined ? [] : [excess]),
      ...describeProblems('npu-smi info', table.problems),
      ...this.detailProblems,
    ];
    const note = this.checks?.note();
    const message = [summarize(problems), note].filter((m) => m !== undefined).join('; ');
    this.setState(problems.length > 0 ? 'degraded' : 'ok', message || undefined, now);
    return this.reading(devices, samples);
  }

  /** The slow health checks, in the background queue, when due. */
  private startHealthChecks(table: InfoTable, now: number): void {
    const checks = this.checks;
    if (checks === undefined || table.chips.length === 0 || !checks.due(now)) return;
    const pci = new Map<string, string>();
    for (const d of table.devices) {
      const bus = d.pciBusId === undefined ? undefined : shortBusId(d.pciBusId);
      if (bus !== undefined) pci.set(d.id, bus);
    }
    const chips = table.chips;
    this.enqueue(async () => {
      if (!this.stopped) await checks.round(chips, pci);
    });
  }

  private startDetailRound(chips: readonly TableChip[], now: number): void {
    if (this.detailRunning || chips.length === 0) return;
    this.detailRunning = true;
    const npus = [...new Set(chips.map((c) => c.npuId))];
    this.enqueue(async () => {
      try {
        const problems: string[] = [];
        for (const npu of npus) {
          if (this.stopped) break;
          const ofNpu = chips.filter((c) => c.npuId === npu);
          const args = ['info', '-t', 'usages', '-i', String(npu)];
          const res = await runNpuSmi(this.runner, args, this.timeoutMs);
          if (!res.ok) {
            this.detail.fail(ofNpu, now);
            continue;
          }
          const placed = this.detail.store(ofNpu, parseInfoT(res.stdout), now);
          problems.push(...describeProblems(`npu-smi ${args.join(' ')}`, placed));
        }
        this.detailProblems = problems;
      } finally {
        this.detailRunning = false;
      }
    });
  }

  private enqueue(job: () => Promise<void>): void {
    // Jobs report through their results; a throw here is a bug that must not wedge the queue.
    this.background = this.background.then(job).catch(() => undefined);
  }

  private reading(devices: DeviceInfo[], samples: Sample[]): ProbeReading {
    const reading: ProbeReading = { status: { ...this.status }, devices, samples, events: [] };
    const signals = this.checks?.take() ?? [];
    if (signals.length > 0) reading.signals = signals;
    return reading;
  }

  private setState(state: ProbeState, message: string | undefined, now: number): void {
    const since = state === this.status.state ? this.status.since : now;
    this.status = { probe: this.name, state, since };
    if (message !== undefined) this.status.message = message.slice(0, 4096);
  }
}

/**
 * The first MAX_DEVICES chips of a table, with their samples and a message naming the excess: an
 * inventory with more is refused by every console (spec.ts).
 */
function bounded(table: InfoTable): { table: InfoTable; excess?: string } {
  if (table.devices.length <= MAX_DEVICES) return { table };
  const devices = table.devices.slice(0, MAX_DEVICES);
  const kept = new Set(devices.map((d) => d.id));
  const count = (n: number): string => n.toLocaleString('en-US');
  return {
    table: {
      ...table,
      devices,
      chips: table.chips.filter((c) => kept.has(c.id)),
      samples: table.samples.filter((s) => s.d === undefined || kept.has(s.d)),
    },
    excess: `npu-smi info listed ${count(table.devices.length)} devices; the collector keeps the first ${count(MAX_DEVICES)}`,
  };
}

/** `0000:61:00.0` → `0000:61:00` (Signal.pci's form: 4-digit domain, lower case, no function). */
function shortBusId(text: string): string | undefined {
  const m = /^(?:([0-9a-f]{4,8}):)?([0-9a-f]{2}):([0-9a-f]{2})(?:\.[0-7])?$/i.exec(text.trim());
  return m ? `${(m[1] ?? '0000').slice(-4)}:${m[2]}:${m[3]}`.toLowerCase() : undefined;
}

/** At most three problems in the status line; the count says how many more there were. */
function summarize(problems: readonly string[]): string | undefined {
  if (problems.length === 0) return undefined;
  const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
  return `${problems.slice(0, 3).join('; ')}${more}`;
}

export function createAscendProbe(
  runner: CommandRunner,
  opts: { intervalMs: number } & Partial<AscendProbeOptions>,
): AscendProbe {
  return new AscendProbe(runner, opts);
}
