/**
 * `osprey diagnose [--kmsg FILE|-] [--nvidia-smi FILE] [--npu-smi FILE] [--json]`: the diagnoses in
 * a saved or pasted kernel log and tool outputs, for the log someone pastes into the incident
 * channel, through the engine the collector and the console use (same rules, same text).
 *
 * Exit codes: 0 the inputs were read (whether or not they hold faults: "no faults found in N
 * lines"), 1 an input could not be read (one stderr line naming it and why), 2 a usage error.
 */
import { InvalidArgumentError, type Command } from 'commander';

import { DiagnoseError } from './diagnoseInput.js';

export interface DiagnoseFlags {
  kmsg?: string;
  nvidiaSmi?: string;
  npuSmi?: string;
  json?: boolean;
  node: string;
  bootTime?: number;
}

/** `--boot-time`: an ISO time, or seconds since the epoch (`date -d "$(uptime -s)" +%s`). */
export function parseBootTime(value: string): number {
  const t = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  if (!Number.isFinite(t) || t <= 0) {
    throw new InvalidArgumentError(
      `"${value}" is not a time (give e.g. 2025-01-21T04:00:00Z, or seconds since the epoch)`,
    );
  }
  return t;
}

/** Why the flags cannot be run, or undefined. */
export function usageProblem(flags: DiagnoseFlags): string | undefined {
  const inputs = [flags.kmsg, flags.nvidiaSmi, flags.npuSmi].filter((f) => f !== undefined);
  if (inputs.length === 0) {
    return 'diagnose needs an input: --kmsg FILE (or - for standard input), --nvidia-smi FILE, --npu-smi FILE';
  }
  if (inputs.filter((f) => f === '-').length > 1) {
    return 'only one input can be standard input (-)';
  }
  return undefined;
}

/** Colour when writing to a terminal that takes it; never into a pipe or file, or with NO_COLOR. */
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.TERM === 'dumb') return false;
  return stream.isTTY === true;
}

export function addDiagnoseCommand(program: Command, setExit: (code: number) => void): Command {
  return program
    .command('diagnose')
    .description(
      'Diagnose a saved or pasted kernel log (dmesg, journalctl -k, /dev/kmsg, syslog; any prefix ' +
        'style) and nvidia-smi / npu-smi outputs: device, code, severity, what happened, cause, ' +
        'impact, action and the evidence lines, correlated faults as one incident.',
    )
    .option('--kmsg <file>', 'kernel log file, or - to read it from standard input')
    .option(
      '--nvidia-smi <file>',
      'nvidia-smi --query-gpu=… --format=csv output (with its header) or nvidia-smi -q -x: the ' +
        'GPUs by PCI address, model and driver, and their health fields',
    )
    .option(
      '--npu-smi <file>',
      '`npu-smi info` table and/or `npu-smi info -t health -i N` outputs (each after a ' +
        '`# npu-smi info -t health -i N` line)',
    )
    .option('--json', 'print the diagnoses as a JSON array')
    .option('--node <name>', 'the node the log is from, as the advice names it', 'the node')
    .option(
      '--boot-time <time>',
      'when the machine booted, to date `[12345.678]` uptime stamps (ISO time or epoch seconds)',
      parseBootTime,
    )
    .action(async (flags: DiagnoseFlags) => {
      const problem = usageProblem(flags);
      if (problem) {
        process.stderr.write(`osprey: ${problem}\n`);
        setExit(2);
        return;
      }
      const { runDiagnose } = await import('./diagnoseRun.js');
      try {
        const text = await runDiagnose(flags, {
          stdin: process.stdin,
          now: Date.now(),
          width: process.stdout.isTTY ? (process.stdout.columns ?? 100) : 100,
          color: useColor(process.stdout, process.env),
          note: (line) => process.stderr.write(`osprey: ${line}\n`),
        });
        process.stdout.write(text);
        setExit(0);
      } catch (error) {
        if (!(error instanceof DiagnoseError)) throw error;
        process.stderr.write(`osprey: ${error.message}\n`);
        setExit(1);
      }
    });
}
