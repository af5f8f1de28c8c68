/**
 * The slow health checks (every 30 s by default): one extra `nvidia-smi --query-gpu=…` for
 * retired pages, remapped rows, ECC counts, PCIe link, power cap, persistence and clock-event
 * counters (healthFields.ts), then `nvidia-smi nvlink -s`. They run in the background like the
 * compute-apps query, so the fast metrics loop never waits on them; their Signals are taken by the
 * next reading. What this machine cannot tell (a field the driver rejects or prints `[N/A]` for on
 * every GPU, no NVLink, a replay without that recording, a failed run) becomes one stable line for
 * the probe status, not a problem per poll.
 */
import type { Signal } from '../../core/diagnosis/types.js';
import { MAX_DEVICES } from '../../core/protocol/limits.js';
import type { CommandRunner } from '../types.js';
import { isNotFound } from '../types.js';

/**
 * Output kept per health query, far under the runner's 8 MB: these run beside the fast query and
 * the compute-apps poll, and a tool flooding every call must not hold four 8 MB buffers at once
 * (the collector's bound is RSS ≤ 150 MB, issue 10). Real sizes: a --query-gpu row of these fields
 * is ~0.4 KB (1,024 GPUs ≈ 0.4 MB); `-q -x` is 19–47 KB per GPU in the recorded outputs (4 MB ≈
 * 85 GPUs); `nvlink -s` ~1.5 KB per GPU with 18 links.
 */
const QUERY_MAX_BYTES = 1024 * 1024;
const XML_MAX_BYTES = 4 * 1024 * 1024;
const NVLINK_MAX_BYTES = 1024 * 1024;
import { parseCsv } from './csv.js';
import { queryArgs } from './detect.js';
import { allHealthNames, HEALTH_FIELDS } from './healthFields.js';
import { readHealthRow, type HealthRow } from './healthRow.js';
import { healthSignals, type HealthRead } from './healthSignals.js';
import { nvlinkSignals, parseNvlinkStatus, type NvlinkGpu } from './nvlink.js';
import { classifyFailure, rejectedField } from './smiErrors.js';
import { parseXmlQuery, xmlHealthRow, type TemperatureLimits } from './xmlQuery.js';

export const NVLINK_ARGS = ['nvlink', '-s'] as const;
export const XML_ARGS = ['-q', '-x'] as const;

const QUERY = 'nvidia-smi health query';
/** Fields that identify or qualify a GPU: their absence is not a missing health check. */
const CONTEXT_KEYS = new Set(['index', 'uuid', 'pci', 'util', 'pstate']);
/** Signals held for the next reading at most; a reading every few seconds takes them long before. */
const MAX_PENDING = 4096;

export interface HealthPollerOptions {
  everyMs: number;
  timeoutMs: number;
  now: () => number;
  /** Also run `nvidia-smi nvlink -s` (default true). */
  nvlink?: boolean;
  /**
   * Run `nvidia-smi -q -x` (PCIe replay counters; retired pages and row remapping for drivers
   * whose `--query-gpu` lacks them) on every n-th round: it prints ~20–120 KB per GPU (telegraf's
   * captures), too much for every round. Default 5 (every 2.5 min at 30 s); 0 never.
   */
  xmlEvery?: number;
}

export class HealthPoller {
  private askedAt = -Infinity;
  private running: Promise<void> | undefined;
  /** Names the driver accepted, once known; field key → the name chosen. */
  private accepted: { names: string[]; chosen: Map<string, string | undefined> } | undefined;
  private last = new Map<string, HealthRead>();
  private lastLinks = new Map<string, NvlinkGpu>();
  private pending: Signal[] = [];
  private queryNote: string | undefined;
  private nvlinkNote: string | undefined;
  private nvlinkOff = false;
  private xmlNote: string | undefined;
  private lastXml = new Map<string, HealthRead>();
  /** Device id → its temperature limits from the last `-q -x` that printed any. */
  private limits = new Map<string, TemperatureLimits>();
  private rounds = 0;

  constructor(
    private readonly runner: CommandRunner,
    private readonly opts: HealthPollerOptions,
  ) {
    this.nvlinkOff = opts.nvlink === false;
  }

  /** Starts a round if one is due and none is running. */
  poll(now: number): void {
    if (this.running || now - this.askedAt < this.opts.everyMs) return;
    this.askedAt = now;
    this.running = this.round().finally(() => {
      this.running = undefined;
    });
  }

  /** Waits for the round in flight, if any. */
  async settle(): Promise<void> {
    await this.running;
  }

  /** The signals found since the last call. */
  take(): Signal[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }

  /**
   * Each GPU's temperature limits (°C) from the latest `-q -x` round, by device id; empty until
   * the first round ran, and without the GPUs whose board prints `N/A` for both.
   */
  temperatureLimits(): ReadonlyMap<string, TemperatureLimits> {
    return this.limits;
  }

  /** One line for the probe status: checks that are not present here and why, or undefined. */
  note(): string | undefined {
    const parts = [this.queryNote, this.nvlinkNote, this.xmlNote].filter((p) => p !== undefined);
    return parts.length > 0 ? parts.join('; ') : undefined;
  }

  private push(signals: readonly Signal[]): void {
    this.pending.push(...signals);
    if (this.pending.length > MAX_PENDING)
      this.pending.splice(0, this.pending.length - MAX_PENDING);
  }

  private async round(): Promise<void> {
    const round = this.rounds++;
    try {
      await this.query();
    } catch (error) {
      this.queryNote = `${QUERY} could not run: ${(error as Error).message}`;
    }
    const xmlEvery = this.opts.xmlEvery ?? 5;
    if (xmlEvery > 0 && round % xmlEvery === 0) {
      try {
        await this.xml();
      } catch (error) {
        this.xmlNote = `nvidia-smi -q -x could not run: ${(error as Error).message}`;
      }
    }
    if (this.nvlinkOff) return;
    try {
      await this.nvlink();
    } catch (error) {
      this.nvlinkNote = `NVLink: nvidia-smi nvlink could not run: ${(error as Error).message}`;
    }
  }

  /** `-q -x`, matched to the last health rows by UUID, else by bus id. */
  private async xml(): Promise<void> {
    const res = await this.runner.run('nvidia-smi', XML_ARGS, {
      timeoutMs: this.opts.timeoutMs,
      maxOutputBytes: XML_MAX_BYTES,
    });
    if (res.code !== 0) {
      this.xmlNote = `nvidia-smi -q -x not present here: ${classifyFailure(res, this.opts.timeoutMs).message}`;
      return;
    }
    const log = parseXmlQuery(res.stdout);
    if (log.problem !== undefined) {
      this.xmlNote = `nvidia-smi -q -x: ${log.problem}`;
      return;
    }
    this.xmlNote = undefined;
    const t = this.opts.now();
    const rows = [...this.last.values()].map((r) => r.row);
    const seen = new Map<string, HealthRead>();
    const limits = new Map<string, TemperatureLimits>();
    for (const gpu of log.gpus.slice(0, MAX_DEVICES)) {
      const csv = rows.find((r) => r.id === gpu.uuid) ?? rows.find((r) => sameBus(r, gpu.busId));
      if (csv === undefined) continue;
      const current: HealthRead = { row: xmlHealthRow(gpu, csv), t };
      this.push(healthSignals(current, this.lastXml.get(csv.id)));
      seen.set(csv.id, current);
      const { slowdown, shutdown } = gpu.temperature;
      if (slowdown !== undefined || shutdown !== undefined) limits.set(csv.id, gpu.temperature);
    }
    this.lastXml = seen;
    this.limits = limits;
  }

  /** Runs the query, dropping each name the driver rejects (at most once per name). */
  private async query(): Promise<void> {
    let names = this.accepted?.names ?? allHealthNames();
    for (;;) {
      const res = await this.runner.run('nvidia-smi', queryArgs(names), {
        timeoutMs: this.opts.timeoutMs,
        maxOutputBytes: QUERY_MAX_BYTES,
      });
      if (res.code === 0) return this.ingest(res.stdout, names);
      const field = rejectedField(`${res.stdout}\n${res.stderr}`);
      if (field === undefined || !names.includes(field)) {
        this.queryNote = `${QUERY}: ${classifyFailure(res, this.opts.timeoutMs).message}`;
        return;
      }
      names = names.filter((n) => n !== field);
      this.accepted = undefined;
    }
  }

  private ingest(stdout: string, names: string[]): void {
    const t = this.opts.now();
    const table = parseCsv(stdout, { columns: names, what: QUERY });
    const chosen = this.accepted?.chosen ?? chooseHealthNames(names);
    this.accepted = { names, chosen };
    const rows = [];
    // The protocol's bound on devices: a tool listing thousands of GPUs costs no more than 1,024.
    for (const r of table.rows.slice(0, MAX_DEVICES)) {
      const read = readHealthRow(r.cells, names, chosen, `${QUERY} line ${r.line}`);
      if (read.ok) rows.push(read.row);
    }
    const seen = new Map<string, HealthRead>();
    for (const row of rows) {
      const current: HealthRead = { row, t };
      this.push(healthSignals(current, this.last.get(row.id)));
      seen.set(row.id, current);
    }
    // GPUs not in this answer are forgotten: a GPU back after a reset starts from a first read.
    this.last = seen;
    this.queryNote = notPresent(chosen, rows, table.problems[0]);
  }

  private async nvlink(): Promise<void> {
    let res;
    try {
      res = await this.runner.run('nvidia-smi', NVLINK_ARGS, {
        timeoutMs: this.opts.timeoutMs,
        maxOutputBytes: NVLINK_MAX_BYTES,
      });
    } catch (error) {
      if (!isNotFound(error)) throw error;
      this.nvlinkNote = 'NVLink: nvidia-smi not found';
      return;
    }
    if (res.code !== 0) {
      this.nvlinkNote = `NVLink not present here: ${classifyFailure(res, this.opts.timeoutMs).message}`;
      return;
    }
    const t = this.opts.now();
    const status = parseNvlinkStatus(res.stdout);
    const seen = new Map<string, NvlinkGpu>();
    for (const gpu of status.gpus.slice(0, MAX_DEVICES)) {
      const id = gpu.uuid ?? `nvidia:${gpu.index}`;
      this.push(nvlinkSignals(gpu, this.lastLinks.get(id), t, id));
      seen.set(id, gpu);
    }
    this.lastLinks = seen;
    const withLinks = status.gpus.filter((g) => g.links.length > 0).length;
    this.nvlinkNote =
      status.gpus.length > 0 && withLinks === 0
        ? `NVLink not present here: ${status.gpus[0]!.none ?? 'no links listed'}`
        : undefined;
  }
}

function sameBus(row: HealthRow, busId: string): boolean {
  const printed = row.values.get('pci')?.raw;
  return printed !== undefined && printed.toLowerCase() === busId.toLowerCase();
}

/** Field key → the first accepted name (the health query asks each field once). */
function chooseHealthNames(accepted: readonly string[]): Map<string, string | undefined> {
  const chosen = new Map<string, string | undefined>();
  for (const field of HEALTH_FIELDS)
    chosen.set(
      field.key,
      field.names.find((n) => accepted.includes(n)),
    );
  return chosen;
}

/**
 * "not present here: retired pages ([N/A]), clock event counters (not a field of this driver)":
 * each check whose fields hold no value on any GPU, with the reason; stable from poll to poll.
 */
export function notPresent(
  chosen: ReadonlyMap<string, string | undefined>,
  rows: readonly { values: ReadonlyMap<string, { v?: number; raw: string; status?: string }> }[],
  problem?: string,
): string | undefined {
  const reasons = new Map<string, string>();
  const present = new Set<string>();
  for (const field of HEALTH_FIELDS) {
    if (CONTEXT_KEYS.has(field.key)) continue;
    if (chosen.get(field.key) === undefined) {
      if (!reasons.has(field.label)) reasons.set(field.label, 'not a field of this driver');
      continue;
    }
    const cells = rows.map((r) => r.values.get(field.key));
    if (cells.some((c) => c !== undefined && c.status === undefined)) present.add(field.label);
    else if (!reasons.has(field.label)) reasons.set(field.label, cells[0]?.raw ?? 'no GPU rows');
  }
  const absent = [...reasons].filter(([label]) => !present.has(label));
  const parts: string[] = [];
  if (absent.length > 0) {
    parts.push(`not present here: ${absent.map(([l, why]) => `${l} (${why})`).join(', ')}`);
  }
  if (problem !== undefined) parts.push(problem);
  return parts.length > 0 ? `health checks ${parts.join('; ')}` : undefined;
}
