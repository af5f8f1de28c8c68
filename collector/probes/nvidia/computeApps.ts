/**
 * `nvidia-smi --query-compute-apps=gpu_uuid,pid,process_name,used_memory
 * --format=csv,noheader,nounits` → one `process.device.memory.used` sample per process, pure.
 * used_memory is `[N/A]` under Windows WDDM and `[Insufficient Permissions]` in restricted
 * containers and MIG: those become absent samples, the process still listed.
 */
import { absentSample, okSample } from '../../core/model.js';
import type { Sample } from '../../core/model.js';
import { parseNumber, preview, readCell, splitCsvLine } from './csv.js';
import { COMPUTE_APPS_FIELDS } from './fields.js';

export const PROCESS_MEMORY_METRIC = 'process.device.memory.used';

export interface ComputeApps {
  samples: Sample[];
  problems: string[];
}

const MIB = 1024 * 1024;
const MAX_TEXT = 256;
const WIDTH = COMPUTE_APPS_FIELDS.length;

export function parseComputeApps(
  text: string,
  what = 'nvidia-smi --query-compute-apps',
): ComputeApps {
  const samples: Sample[] = [];
  const problems: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    const where = `${what} line ${i + 1}`;
    const cells = splitAppsLine(raw);
    if (i === 0 && cells?.[1] === 'pid') return; // a header line (`--format=csv` without noheader)
    if (cells === undefined) {
      const got = splitCsvLine(raw).length;
      problems.push(`${where}: expected ${WIDTH} columns, got ${got}: ${preview(raw)}`);
      return;
    }
    // Wire names, label values and raw texts are at most 256 characters (spec.ts): cut here as
    // gpuRow.ts cuts its cells, so one garbled line cannot make the console refuse the message.
    const [fullUuid, pid, name, memory] = cells;
    const uuid = fullUuid.slice(0, MAX_TEXT);
    if (!readCell(uuid).ok || uuid === '') {
      problems.push(`${where}, column 1 (gpu_uuid): ${preview(uuid)} names no GPU`);
      return;
    }
    // Linux pids are below 2^22 (PID_MAX_LIMIT); ten digits is generous and keeps the label short.
    if (!/^\d{1,10}$/.test(pid)) {
      problems.push(`${where}, column 2 (pid): ${preview(pid)} is not a process id`);
      return;
    }
    const l = { pid, process: name.slice(0, MAX_TEXT) };
    const cell = readCell(memory.slice(0, MAX_TEXT));
    if (!cell.ok) {
      samples.push(absentSample(PROCESS_MEMORY_METRIC, cell.status, cell.raw, { d: uuid, l }));
      return;
    }
    const n = parseNumber(cell.text);
    const bytes = n === undefined ? NaN : n.v * MIB;
    // 1e308 MiB overflows to Infinity, which the wire refuses; a negative amount is no amount.
    if (
      n === undefined ||
      (n.unit !== undefined && n.unit !== 'MiB') ||
      !(bytes >= 0 && bytes < Infinity)
    ) {
      samples.push(absentSample(PROCESS_MEMORY_METRIC, 'error', cell.text, { d: uuid, l }));
      problems.push(`${where}, column 4 (used_memory): ${preview(cell.text)} is not MiB`);
      return;
    }
    samples.push(okSample(PROCESS_MEMORY_METRIC, bytes, { d: uuid, l }));
  });
  return { samples, problems };
}

/**
 * The four cells of a line. A process name may itself hold commas; the other three columns never
 * do, so the name is everything between the second and the last comma, kept as printed.
 */
function splitAppsLine(raw: string): [string, string, string, string] | undefined {
  const first = raw.indexOf(',');
  const second = raw.indexOf(',', first + 1);
  const last = raw.lastIndexOf(',');
  if (first < 0 || second < 0 || last <= second) return undefined;
  const cut = [raw.slice(0, first), raw.slice(first + 1, second), raw.slice(second + 1, last)];
  return [...cut, raw.slice(last + 1)].map((c) => c.trim()) as [string, string, string, string];
}
