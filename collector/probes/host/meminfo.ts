/**
 * /proc/meminfo: MemTotal and MemAvailable. "Used" is total − available, the kernel's own estimate
 * of what could be handed out without swapping (Linux 3.14+, commit 34e431b0ae39), the same
 * figure `free` shows as available; buffers and page cache are not counted as used.
 */
import type { Sample } from '../../core/model.js';
import { absentSample, okSample } from '../../core/model.js';
import { lineProblem, parseCounter, type LineProblem } from './problems.js';

export interface Meminfo {
  totalBytes?: number;
  availableBytes?: number;
  problems: LineProblem[];
}

const WANTED = ['MemTotal', 'MemAvailable'] as const;
type Wanted = (typeof WANTED)[number];

export function parseMeminfo(text: string): Meminfo {
  const found = new Map<Wanted, number>();
  const seen = new Set<Wanted>();
  const problems: LineProblem[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length && seen.size < WANTED.length; i++) {
    const line = lines[i]!;
    const key = WANTED.find((k) => line.startsWith(`${k}:`));
    if (key === undefined) continue;
    seen.add(key);
    // The kernel prints these in kibibytes, always with the "kB" suffix.
    const m = /^\w+:\s+(\d+) kB\s*$/.exec(line);
    const kib = parseCounter(m?.[1]);
    if (kib === undefined) problems.push(lineProblem(i + 1, `expected "${key}: <n> kB"`, line));
    else found.set(key, kib * 1024);
  }
  for (const key of WANTED) {
    if (!seen.has(key)) problems.push(lineProblem(0, `no ${key} line`));
  }
  const totalBytes = found.get('MemTotal');
  let availableBytes = found.get('MemAvailable');
  if (totalBytes !== undefined && availableBytes !== undefined && availableBytes > totalBytes) {
    problems.push(
      lineProblem(0, `MemAvailable (${availableBytes} B) exceeds MemTotal (${totalBytes} B)`),
    );
    availableBytes = undefined;
  }
  return { totalBytes, availableBytes, problems };
}

/** host.memory.total, .used and .usage; a value the file did not give is an 'error' sample. */
export function memorySamples(info: Meminfo): Sample[] {
  const { totalBytes: total, availableBytes: available } = info;
  if (total === undefined) {
    return ['host.memory.total', 'host.memory.used', 'host.memory.usage'].map((m) =>
      absentSample(m, 'error'),
    );
  }
  const samples = [okSample('host.memory.total', total)];
  if (available === undefined) {
    samples.push(
      absentSample('host.memory.used', 'error'),
      absentSample('host.memory.usage', 'error'),
    );
  } else {
    const used = total - available;
    samples.push(okSample('host.memory.used', used));
    samples.push(
      total > 0
        ? okSample('host.memory.usage', (used / total) * 100)
        : absentSample('host.memory.usage', 'error'),
    );
  }
  return samples;
}
