/**
 * The host probe: CPU, memory, load, network and disk from Linux /proc, read once each per collect
 * (five small reads a second; no child processes, so it stays far inside the collector's 1 %
 * budget). Rates need two readings, so the first collect reports them missing. A file that cannot
 * be read or parsed costs only its own metrics: the status turns 'degraded' and names the file and
 * line, and the rest keeps flowing. Where there is no /proc (macOS, Windows) the probe is 'absent'.
 */
import { readFile as fsReadFile } from 'node:fs/promises';

import type { ProbeStatus, Sample } from '../../core/model.js';
import { absentSample } from '../../core/model.js';
import type { ProbeState } from '../../core/protocol/spec.js';
import { isNotFound, type Probe, type ProbeReading } from '../types.js';
import { DISK_METRICS, parseDiskstats } from './diskstats.js';
import type { ReadText } from './hostInfo.js';
import { loadSamples, parseLoadavg } from './loadavg.js';
import { memorySamples, parseMeminfo } from './meminfo.js';
import { NET_METRICS, parseNetDev } from './netDev.js';
import { describeProblem, type LineProblem } from './problems.js';
import { cpuSamples, parseProcStat, type ProcStat } from './procStat.js';
import { rateSamples, type CounterReading, type RateSpec } from './rates.js';

export interface HostProbeOptions {
  /** Reads a whole file as text (default: node:fs). Tests answer from fixtures. */
  readFile?: ReadText;
  /** Clock for `start()`, which has no `now` of its own (default Date.now). */
  now?: () => number;
}

export const PROC_FILES = [
  '/proc/stat',
  '/proc/meminfo',
  '/proc/loadavg',
  '/proc/net/dev',
  '/proc/diskstats',
] as const;

const NET: RateSpec = { metrics: NET_METRICS, label: 'interface' };
const DISK: RateSpec = { metrics: DISK_METRICS, label: 'disk' };

export class HostProbe implements Probe {
  readonly name = 'host';
  private readonly read: ReadText;
  private readonly now: () => number;
  private status: ProbeStatus;
  private absent = false;
  private prevStat: ProcStat | undefined;
  private prevNet: CounterReading | undefined;
  private prevDisk: CounterReading | undefined;

  constructor(opts: HostProbeOptions = {}) {
    this.read = opts.readFile ?? ((path) => fsReadFile(path, 'utf8'));
    this.now = opts.now ?? Date.now;
    this.status = { probe: this.name, state: 'starting', since: this.now() };
  }

  async start(): Promise<void> {
    try {
      await this.read('/proc/stat');
      this.absent = false;
    } catch (error) {
      this.absent = isNotFound(error);
      const message = this.absent
        ? `no /proc/stat on this ${process.platform} system: host metrics read Linux /proc`
        : `cannot read /proc/stat: ${(error as Error).message}`;
      this.setState(this.absent ? 'absent' : 'error', message, this.now());
    }
  }

  async collect(now: number): Promise<ProbeReading> {
    if (this.absent) return this.reading([]);
    try {
      return this.reading(await this.collectOnce(now));
    } catch (error) {
      this.setState('error', `host probe: ${(error as Error).message}`, now);
      return this.reading([]);
    }
  }

  async stop(): Promise<void> {}

  private async collectOnce(now: number): Promise<Sample[]> {
    const texts = await Promise.all(
      PROC_FILES.map((path) =>
        this.read(path).then(
          (text) => ({ text }),
          (error: Error) => ({ failure: `cannot read ${path}: ${error.message}` }),
        ),
      ),
    );
    const problems: string[] = [];
    const parsed = <T extends { problems: LineProblem[] }>(i: number, parse: (t: string) => T) => {
      const got = texts[i]!;
      if ('failure' in got) {
        problems.push(got.failure);
        return undefined;
      }
      const result = parse(got.text);
      problems.push(...result.problems.map((p) => describeProblem(PROC_FILES[i]!, p)));
      return result;
    };
    const stat = parsed(0, parseProcStat);
    const mem = parsed(1, parseMeminfo) ?? { problems: [] };
    const load = parsed(2, parseLoadavg) ?? { problems: [] };
    const net = parsed(3, (t) => parseNetDev(t, now)) ?? unreadable(this.prevNet, now);
    const disk = parsed(4, (t) => parseDiskstats(t, now)) ?? unreadable(this.prevDisk, now);
    const samples = [
      ...(stat ? cpuSamples(this.prevStat, stat) : cpuLost(this.prevStat)),
      ...memorySamples(mem),
      ...loadSamples(load),
      ...rateSamples(NET, this.prevNet, net),
      ...rateSamples(DISK, this.prevDisk, disk),
    ];
    this.prevStat = stat;
    this.prevNet = net.counters.size > 0 ? net : undefined;
    this.prevDisk = disk.counters.size > 0 ? disk : undefined;
    const failed = texts.filter((t) => 'failure' in t).length;
    const state = failed === texts.length ? 'error' : problems.length > 0 ? 'degraded' : 'ok';
    this.setState(state, summarize(problems), now);
    return samples;
  }

  private reading(samples: Sample[]): ProbeReading {
    return { status: { ...this.status }, devices: [], samples, events: [] };
  }

  private setState(state: ProbeState, message: string | undefined, now: number): void {
    const since = state === this.status.state ? this.status.since : now;
    this.status = { probe: this.name, state, since };
    if (message !== undefined) this.status.message = message.slice(0, 4096);
  }
}

/** A counters file that could not be read: the devices it last listed get 'error' samples. */
function unreadable(prev: CounterReading | undefined, at: number): CounterReading {
  return { at, counters: new Map(), broken: [...(prev?.counters.keys() ?? [])] };
}

function cpuLost(prev: ProcStat | undefined): Sample[] {
  const cores = [...(prev?.cores.keys() ?? [])];
  return [
    absentSample('host.cpu.utilization', 'error'),
    ...cores.map((cpu) =>
      absentSample('host.cpu.core.utilization', 'error', undefined, { l: { cpu } }),
    ),
  ];
}

/** At most three problems in the status line; the count says how many more there were. */
function summarize(problems: readonly string[]): string | undefined {
  if (problems.length === 0) return undefined;
  const more = problems.length > 3 ? ` (and ${problems.length - 3} more)` : '';
  return `${problems.slice(0, 3).join('; ')}${more}`;
}

export function createHostProbe(opts: HostProbeOptions = {}): HostProbe {
  return new HostProbe(opts);
}
