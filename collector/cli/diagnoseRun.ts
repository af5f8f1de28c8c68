/**
 * The work of `osprey diagnose`: the tool outputs first (they say which devices the PCI addresses
 * of kernel lines are), then the kernel log line by line through KernelLineReader (any prefix
 * style, multi-line messages, `GPU at PCI:` UUID lines), all Signals into one DiagnosisLog (the
 * collector's: correlation into incidents, storms counted), and the diagnoses printed. The log's
 * own times drive the log, so a capture from last year correlates as it did then.
 */
import type { Readable } from 'node:stream';

import { DiagnosisLog } from '../core/diagnosis/DiagnosisLog.js';
import { shortPci } from '../core/diagnosis/diagnose.js';
import { attachDevices } from '../core/diagnosis/kernelLineDevices.js';
import { KernelLineReader } from '../core/diagnosis/KernelLineReader.js';
import type { KernelLineOptions } from '../core/diagnosis/kernelLine.js';
import type { DeviceContext, Diagnosis, NodeContext, Signal } from '../core/diagnosis/types.js';
import type { DeviceInfo } from '../core/model.js';
import type { DiagnoseFlags } from './diagnose.js';
import { diagnosesJson, formatReport, type InputSummary } from './diagnoseFormat.js';
import { inputName, readLines, readToolLines } from './diagnoseInput.js';
import { readNpuSmi, readNvidiaSmi, type ToolRead } from './diagnoseTools.js';

export interface RunEnv {
  stdin: Readable & { isTTY?: boolean };
  /** Wall clock: the time of lines that carry none, and the year of syslog stamps. */
  now: number;
  width: number;
  color: boolean;
  /** One line for stderr (what was skipped, what could not be matched). */
  note(line: string): void;
}

/** Signals handed to the log at once; a storm of 100,000 lines is fed in pieces. */
const BATCH = 1000;

export interface DiagnoseResult {
  diagnoses: Diagnosis[];
  inputs: InputSummary[];
}

export async function diagnoseInputs(flags: DiagnoseFlags, env: RunEnv): Promise<DiagnoseResult> {
  const inputs: InputSummary[] = [];
  const devices: DeviceContext[] = [];
  const inventory: DeviceInfo[] = [];
  const toolSignals: Signal[] = [];
  const tools: [string | undefined, 'nvidia-smi' | 'npu-smi'][] = [
    [flags.nvidiaSmi, 'nvidia-smi'],
    [flags.npuSmi, 'npu-smi'],
  ];
  for (const [path, kind] of tools) {
    if (path === undefined) continue;
    if (path === '-' && env.stdin.isTTY)
      env.note(`reading ${kind} output from standard input (end with Ctrl-D)`);
    const lines = await readToolLines(path, env.stdin);
    const read: ToolRead =
      kind === 'nvidia-smi'
        ? readNvidiaSmi(path, lines, env.now)
        : readNpuSmi(path, lines, env.now);
    for (const n of read.notes) env.note(n);
    devices.push(...read.devices);
    inventory.push(...read.inventory);
    toolSignals.push(...read.signals);
    inputs.push({ kind, path, lines: lines.length, devices: read.devices.length });
  }

  const ctx: NodeContext = { node: flags.node, devices };
  // Without an nvidia-smi capture the log is the only inventory: each GPU address an NVIDIA line
  // names is a GPU (named by that address), so its Xids can join one incident (the rules
  // correlate by device) and count towards the node's GPUs.
  const logGpus = flags.nvidiaSmi === undefined ? devices : undefined;
  // Every change returned (the collector rate-limits updates to every 10 s; a printout wants
  // the final count of a storm).
  const log = new DiagnosisLog({ updateEveryMs: 0 });
  const found = new Map<string, Diagnosis>();
  const feed = (batch: readonly Signal[]): void => {
    let signals = [...batch];
    if (signals.length === 0) return;
    // Named as the collector names them (PCI address in one form, the driver's UUID line, Ascend
    // logical device ids; AER lines of non-accelerators left out).
    signals = attachDevices(signals, inventory).map((s) => known(s, logGpus));
    const now = signals.reduce((t, s) => Math.max(t, s.ts), -Infinity);
    for (const d of log.add(signals, ctx, now)) found.set(d.id, d);
  };

  if (flags.kmsg !== undefined) {
    const path = flags.kmsg;
    if (path === '-' && env.stdin.isTTY) {
      env.note('reading the kernel log from standard input (paste it, then Ctrl-D)');
    }
    const reader = new KernelLineReader();
    const opts: KernelLineOptions = { now: env.now, source: 'file' };
    if (flags.bootTime !== undefined) opts.bootTimeMs = flags.bootTime;
    let lines = 0;
    let batch: Signal[] = [];
    for await (const line of readLines(path, env.stdin)) {
      lines++;
      batch.push(...reader.push(line, opts));
      if (batch.length >= BATCH) {
        feed(batch);
        batch = [];
      }
    }
    batch.push(...reader.flush());
    feed(batch);
    inputs.unshift({ kind: 'kmsg', path, lines });
    if (lines === 0) env.note(`${inputName(path)}: empty`);
  }
  feed(toolSignals.sort((a, b) => a.ts - b.ts));
  for (const d of log.list(flags.node)) found.set(d.id, d);
  return { diagnoses: [...found.values()], inputs };
}

/** Kernel line kinds that name a GPU by its PCI address (an SXid names an NVSwitch). */
const GPU_KINDS: ReadonlySet<Signal['kind']> = new Set(['xid', 'fallen-off-bus', 'gsp-timeout']);

/** Adds the GPU at a signal's address to `gpus` (when given) if no device there is known. */
function known(signal: Signal, gpus: DeviceContext[] | undefined): Signal {
  const pci = signal.pci;
  if (gpus === undefined || pci === undefined || !GPU_KINDS.has(signal.kind)) return signal;
  if (!gpus.some((d) => shortPci(d.pciBusId) === pci)) {
    gpus.push({ id: pci, vendor: 'nvidia', pciBusId: pci });
  }
  return signal;
}

export async function runDiagnose(flags: DiagnoseFlags, env: RunEnv): Promise<string> {
  const { diagnoses, inputs } = await diagnoseInputs(flags, env);
  if (flags.json) return diagnosesJson(diagnoses);
  return formatReport({ diagnoses, inputs }, { width: env.width, color: env.color });
}
