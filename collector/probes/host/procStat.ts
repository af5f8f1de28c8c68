/**
 * /proc/stat: the `cpu` (all cores) and `cpuN` lines, in USER_HZ ticks since boot. Busy share over
 * an interval comes from the deltas of two readings: busy = total − idle − iowait, where total is
 * user+nice+system+idle+iowait+irq+softirq+steal. guest and guest_nice are left out because the
 * kernel already counts them inside user and nice (proc(5), "/proc/stat").
 */
import type { Sample } from '../../core/model.js';
import { absentSample, okSample } from '../../core/model.js';
import { lineProblem, parseCounter, type LineProblem } from './problems.js';

export interface CpuTicks {
  total: number;
  /** idle + iowait: time the CPU had nothing to run. */
  idle: number;
}

export interface ProcStat {
  /** All cores together (the `cpu` line); undefined when that line is missing or bad. */
  all?: CpuTicks;
  /** Per core, keyed by the core number as the kernel names it ("0", "1", …). */
  cores: Map<string, CpuTicks>;
  problems: LineProblem[];
}

/** user nice system idle iowait irq softirq steal: present since Linux 2.6.11. */
const MIN_FIELDS = 8;

export function parseProcStat(text: string): ProcStat {
  const out: ProcStat = { cores: new Map(), problems: [] };
  let allSeen = false;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // Only the cpu lines are used; the others (intr, ctxt, softirq, …) are not checked.
    if (!line.startsWith('cpu')) continue;
    const words = line.trim().split(/\s+/);
    const name = words[0]!;
    const core = name === 'cpu' ? '' : /^cpu(\d+)$/.exec(name)?.[1];
    if (core === undefined) {
      out.problems.push(lineProblem(i + 1, `unknown cpu line "${name}"`));
      continue;
    }
    allSeen ||= core === '';
    const ticks = toTicks(words.slice(1, 1 + MIN_FIELDS));
    if (ticks === undefined) {
      out.problems.push(
        lineProblem(i + 1, `expected ${MIN_FIELDS} tick counters after "${name}"`, line),
      );
    } else if (core === '') out.all = ticks;
    else out.cores.set(core, ticks);
  }
  if (!allSeen) out.problems.push(lineProblem(0, 'no "cpu" line'));
  return out;
}

function toTicks(words: readonly string[]): CpuTicks | undefined {
  if (words.length < MIN_FIELDS) return undefined;
  const n = words.map(parseCounter);
  if (n.some((v) => v === undefined)) return undefined;
  const [user, nice, system, idle, iowait, irq, softirq, steal] = n as number[];
  return {
    total: user! + nice! + system! + idle! + iowait! + irq! + softirq! + steal!,
    idle: idle! + iowait!,
  };
}

/** Busy percent between two readings; undefined when no tick passed or the counters went back. */
export function busyPercent(prev: CpuTicks, cur: CpuTicks): number | undefined {
  const total = cur.total - prev.total;
  const idle = cur.idle - prev.idle;
  if (total <= 0 || idle < 0 || idle > total) return undefined;
  return ((total - idle) / total) * 100;
}

/**
 * host.cpu.utilization and host.cpu.core.utilization{cpu}. Without a previous reading (first
 * collect, a core just came online) the value is missing, never 0.
 */
export function cpuSamples(prev: ProcStat | undefined, cur: ProcStat): Sample[] {
  const samples: Sample[] = [];
  const rate = (m: string, p: CpuTicks | undefined, c: CpuTicks, extra?: Partial<Sample>) => {
    const v = p === undefined ? undefined : busyPercent(p, c);
    samples.push(
      v === undefined ? absentSample(m, 'missing', undefined, extra) : okSample(m, v, extra),
    );
  };
  if (cur.all) rate('host.cpu.utilization', prev?.all, cur.all);
  else samples.push(absentSample('host.cpu.utilization', 'error'));
  for (const [core, ticks] of cur.cores) {
    rate('host.cpu.core.utilization', prev?.cores.get(core), ticks, { l: { cpu: core } });
  }
  return samples;
}
