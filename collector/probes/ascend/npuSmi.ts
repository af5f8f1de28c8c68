/**
 * Running npu-smi and turning what went wrong into status text. A missing tool is `absent`, not an
 * error: most machines have no NPU. Anything else that keeps npu-smi from answering (non-zero exit,
 * e.g. "dcmi module initialize failed" when the driver is not loaded, or a hang past the timeout) is
 * an error carrying npu-smi's own words.
 */
import { absentSample, type DeviceInfo, type Sample, type SampleStatus } from '../../core/model.js';
import { isNotFound, type CommandRunner } from '../types.js';
import type { ParseProblem } from './cells.js';

export type NpuSmiRun =
  { ok: true; stdout: string } | { ok: false; notFound: boolean; message: string };

export async function runNpuSmi(
  runner: CommandRunner,
  args: readonly string[],
  timeoutMs: number,
): Promise<NpuSmiRun> {
  const what = `npu-smi ${args.join(' ')}`;
  try {
    const r = await runner.run('npu-smi', args, { timeoutMs });
    if (r.exceededBytes !== undefined) {
      const mb = r.exceededBytes / 1024 / 1024;
      return {
        ok: false,
        notFound: false,
        message: `${what}: output exceeded ${mb} MB and was stopped`,
      };
    }
    if (r.code === 0) return { ok: true, stdout: r.stdout };
    if (r.code === null) {
      return {
        ok: false,
        notFound: false,
        message: `${what} did not finish within ${timeoutMs} ms`,
      };
    }
    const said = firstLine(r.stderr) || firstLine(r.stdout) || 'no output';
    return { ok: false, notFound: false, message: `${what} exited with code ${r.code}: ${said}` };
  } catch (error) {
    if (isNotFound(error)) return { ok: false, notFound: true, message: 'npu-smi not found' };
    return { ok: false, notFound: false, message: `${what} failed: ${(error as Error).message}` };
  }
}

/** `npu-smi info: line 11: unexpected text "..."`: what, where, and what was wrong. */
export function describeProblems(what: string, problems: readonly ParseProblem[]): string[] {
  return problems.map((p) =>
    p.line > 0 ? `${what}: line ${p.line}: ${p.message}` : `${what}: ${p.message}`,
  );
}

/** The table's metrics of devices kept from an earlier reading, absent because this one lost them. */
export function lostSamples(devices: readonly DeviceInfo[], s: SampleStatus): Sample[] {
  const metrics = [
    'device.health',
    'device.power',
    'device.temperature',
    'device.utilization',
    'device.memory.used',
    'device.memory.total',
    'device.memory.usage',
  ];
  return devices.flatMap((dev) => metrics.map((m) => absentSample(m, s, undefined, { d: dev.id })));
}

function firstLine(text: string): string {
  return (text.split(/\r?\n/).find((l) => l.trim() !== '') ?? '').trim().slice(0, 300);
}
