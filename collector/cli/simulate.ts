/**
 * `osprey simulate`: a realistic fleet (collector/simulator) published to NATS and/or served as
 * Prometheus /metrics in the real exporters' names. Flags are checked here and named in every
 * rejection; the simulation itself lives in SimRunner.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

import { InvalidArgumentError, Option, type Command } from 'commander';

import { DCGM_LABEL_VARIANTS, type DcgmLabelVariant } from '../simulator/exposition/dcgm.js';
import type { VllmNames } from '../simulator/exposition/engines.js';
import {
  GPU_EXPORTERS,
  migNodes,
  type ExpositionOptions,
  type GpuExporterChoice,
} from '../simulator/exposition/exposition.js';
import {
  FLAVOUR_NAMES,
  parseFlavours,
  type EngineFlavour,
} from '../simulator/exposition/flavours.js';
import { deviceCount } from '../simulator/fleet.js';
import {
  FaultSpecError,
  parseDuration,
  parseFaultSchedule,
  type ScheduledFault,
} from '../simulator/faultSpec.js';
import type { SimRunner } from '../simulator/SimRunner.js';
import type { SimulatorOptions } from '../simulator/Simulator.js';
import { CliError } from './buildCollector.js';
import { addNatsFlags, natsClientOptions, type NatsFlagValues } from './natsFlags.js';
import { parsePort } from './options.js';

export interface SimulateOptions extends NatsFlagValues {
  clusters: number;
  nodes: number;
  devicesPerNode: number;
  rate: number;
  seed: number;
  metricsPort?: number;
  metricsHost: string;
  vllmNames: VllmNames;
  engineFlavours?: EngineFlavour[];
  /** Commander fills these three with their defaults. */
  gpuExporter?: GpuExporterChoice;
  dcgmLabels?: DcgmLabelVariant;
  mig?: number;
  brokenExposition?: string[];
  faults?: string;
  duration?: number;
  day: number;
  inventoryEvery: number;
  stdin: boolean;
}

function intIn(flag: string, lo: number, hi: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < lo || n > hi) {
      throw new InvalidArgumentError(
        `"${value}" is not a whole number from ${lo} to ${hi} (${flag}).`,
      );
    }
    return n;
  };
}

function parseRate(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0.1 || n > 20) {
    throw new InvalidArgumentError(`"${value}" is not a rate in Hz from 0.1 to 20.`);
  }
  return n;
}

function flavoursFlag(value: string): EngineFlavour[] {
  try {
    return parseFlavours(value);
  } catch (error) {
    throw new InvalidArgumentError(`${(error as Error).message}.`);
  }
}

function nodeList(value: string): string[] {
  const nodes = value
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  if (nodes.length === 0) throw new InvalidArgumentError(`"${value}" names no node.`);
  return nodes;
}

function durationFlag(value: string): number {
  try {
    const ms = parseDuration(value);
    if (ms <= 0) throw new FaultSpecError(`"${value}" is not a positive duration`);
    return ms;
  } catch (error) {
    throw new InvalidArgumentError(`${(error as Error).message}.`);
  }
}

export function addSimulateCommand(program: Command, setExit: (code: number) => void): void {
  const cmd = program
    .command('simulate')
    .description(
      'Publish a simulated fleet (NVIDIA and Ascend nodes, vLLM/SGLang engines, injectable faults) ' +
        'to NATS, and/or serve it as Prometheus /metrics in DCGM, NPU-exporter and vLLM names.',
    )
    .option('--clusters <n>', 'clusters, named sim-0, sim-1, …', intIn('--clusters', 1, 64), 1)
    .option(
      '--nodes <n>',
      'nodes per cluster, named node-000, … across the fleet',
      intIn('--nodes', 1, 8192),
      16,
    )
    .option(
      '--devices-per-node <n>',
      'accelerators per node',
      intIn('--devices-per-node', 1, 64),
      8,
    )
    .option('--rate <hz>', 'ticks per second: one metrics message per node per tick', parseRate, 2)
    .option(
      '--seed <n>',
      'random seed: the same seed gives the same fleet and values',
      intIn('--seed', 0, 2 ** 32 - 1),
      1,
    )
    .option(
      '--metrics-port <port>',
      'also serve Prometheus /metrics on this port (0 picks one)',
      parsePort,
    )
    .option('--metrics-host <address>', 'address for /metrics', '127.0.0.1')
    .addOption(
      new Option(
        '--vllm-names <generation>',
        'vLLM metric names on /metrics: new (0.11+) or old (gpu_cache_usage_perc, time_per_output_token_seconds)',
      )
        .choices(['new', 'old'])
        .default('new'),
    )
    .option(
      '--engine-flavours <list>',
      `engine flavours on /metrics, spread over the engines in order (${FLAVOUR_NAMES.join(', ')}); default: vLLM in --vllm-names, a quarter of NVIDIA engines SGLang`,
      flavoursFlag,
    )
    .addOption(
      new Option('--gpu-exporter <exporter>', 'the exporter NVIDIA nodes run on /metrics')
        .choices([...GPU_EXPORTERS])
        .default('dcgm'),
    )
    .addOption(
      new Option(
        '--dcgm-labels <variant>',
        'DCGM label casing: released (UUID, Hostname), main (hostname), old-namespace (uuid), or mixed across nodes',
      )
        .choices([...DCGM_LABEL_VARIANTS])
        .default('released'),
    )
    .option(
      '--mig <n>',
      'MIG-partition the GPUs of the first n H100/A100 nodes (two 3g.40gb instances each)',
      intIn('--mig', 0, 65536),
      0,
    )
    .option(
      '--broken-exposition <nodes>',
      "make these nodes' DCGM exposition fail to parse (ERROR - FAILED TO CONVERT TO STRING); comma-separated",
      nodeList,
    )
    .option(
      '--faults <schedule>',
      "faults to inject: 'at=30s node=node-005 device=2 kind=xid79; at=60s node=node-010 kind=thermal duration=30s', or a file (same text, or JSON)",
    )
    .option(
      '--duration <time>',
      'stop after this long (e.g. 90s); default: run until interrupted',
      durationFlag,
    )
    .addOption(
      new Option('--day <time>', "period of the load's daily wave")
        .argParser(durationFlag)
        .default(600_000, '10m'),
    )
    .addOption(
      new Option('--inventory-every <time>', 'how often each node re-announces its inventory')
        .argParser(durationFlag)
        .default(10_000, '10s'),
    )
    .option('--no-stdin', 'do not read fault commands from standard input');
  addNatsFlags(cmd).action(async (opts: SimulateOptions) => setExit(await runSimulate(opts)));
}

export function readFaults(value: string): ScheduledFault[] {
  const looksLikeFile = !/[=[{]/.test(value);
  if (looksLikeFile && !existsSync(value)) {
    throw new CliError(
      `--faults: no such file: ${value} (or give the schedule inline: at=30s node=… kind=…)`,
    );
  }
  const text = looksLikeFile ? readFileSync(value, 'utf8') : value;
  try {
    return parseFaultSchedule(text);
  } catch (error) {
    if (error instanceof FaultSpecError) throw new CliError(`--faults: ${error.message}`);
    throw error;
  }
}

export interface SimulateIo {
  /** Where fault commands arrive as lines (default: standard input). */
  input: NodeJS.ReadableStream;
}

/** The simulator `osprey simulate` runs for these flags and fault schedule. */
export function simulatorOptions(
  opts: SimulateOptions,
  schedule: readonly ScheduledFault[],
): SimulatorOptions {
  return {
    clusters: opts.clusters,
    nodes: opts.nodes,
    devicesPerNode: opts.devicesPerNode,
    seed: opts.seed,
    intervalMs: Math.round(1000 / opts.rate),
    daySeconds: opts.day / 1000,
    inventoryEveryMs: opts.inventoryEvery,
    schedule,
    ...(opts.engineFlavours ? { engineFlavours: opts.engineFlavours } : {}),
  };
}

/** What /metrics shows beyond the vLLM naming generation. */
export function expositionOptions(opts: SimulateOptions): Omit<ExpositionOptions, 'names'> {
  return {
    gpuExporter: opts.gpuExporter ?? 'dcgm',
    dcgmLabels: opts.dcgmLabels ?? 'released',
    ...(opts.mig ? { mig: opts.mig } : {}),
    ...(opts.brokenExposition ? { broken: new Set(opts.brokenExposition) } : {}),
  };
}

export async function runSimulate(
  opts: SimulateOptions,
  io: SimulateIo = { input: process.stdin },
): Promise<number> {
  const nats = natsClientOptions(opts);
  if (!nats && opts.metricsPort === undefined) {
    throw new CliError(
      'give --nats <url> to publish, --metrics-port <port> to serve /metrics, or both',
    );
  }
  const schedule = opts.faults === undefined ? [] : readFaults(opts.faults);
  const log = (line: string): void => void process.stderr.write(`${line}\n`);
  // Loaded here, not at the top: `osprey serve` shares this module graph and need not hold the
  // simulator (BENCHMARKS.md, "2026-12-02: bounded collector").
  const { SimRunner: Runner } = await import('../simulator/SimRunner.js');
  let runner: SimRunner;
  try {
    runner = new Runner({
      simulator: simulatorOptions(opts, schedule),
      ...(nats ? { nats } : {}),
      ...(opts.metricsPort !== undefined
        ? {
            metrics: {
              host: opts.metricsHost,
              port: opts.metricsPort,
              names: opts.vllmNames,
              exposition: expositionOptions(opts),
            },
          }
        : {}),
      log,
    });
  } catch (error) {
    throw new CliError(`--faults: ${(error as Error).message}`);
  }
  const fleet = runner.simulator.fleet;
  for (const name of opts.brokenExposition ?? []) {
    const node = fleet.nodes.find((n) => n.name === name);
    if (!node) throw new CliError(`--broken-exposition: no node ${name} in this fleet`);
    if (!node.devices.some((d) => d.info.vendor === 'nvidia'))
      throw new CliError(`--broken-exposition: ${name} has no NVIDIA GPU, so no DCGM exporter`);
  }
  const nvidia = fleet.nodes.reduce(
    (a, n) => a + n.devices.filter((d) => d.info.vendor === 'nvidia').length,
    0,
  );
  const engines = fleet.nodes.reduce((a, n) => a + n.engines.length, 0);
  const devices = deviceCount(fleet);
  let metricsUrl: string | undefined;
  try {
    ({ metricsUrl } = await runner.start());
  } catch (error) {
    throw new CliError(
      `--metrics-port: cannot listen on ${opts.metricsHost}:${opts.metricsPort}: ${(error as Error).message}`,
    );
  }
  console.log(
    `Simulating ${fleet.nodes.length} nodes in ${fleet.clusters.length} cluster(s) (${fleet.clusters.join(', ')}): ` +
      `${devices} devices (${nvidia} NVIDIA, ${devices - nvidia} Ascend), ${engines} engines, ` +
      `${opts.rate} Hz, seed ${opts.seed}${schedule.length ? `, ${schedule.length} scheduled fault(s)` : ''}`,
  );
  if (metricsUrl) {
    const flavours = opts.engineFlavours?.join(', ') ?? `${opts.vllmNames} vLLM names`;
    const mig = opts.mig ? migNodes(runner.simulator, opts.mig).size : 0;
    console.log(
      `Metrics: ${metricsUrl}/metrics (${flavours}; GPUs: ${opts.gpuExporter}` +
        `${mig ? `, ${mig} MIG node(s)` : ''}), one node: ${metricsUrl}/metrics/node/<node>`,
    );
  }
  if (!process.stdout.isTTY)
    console.log(`OSPREY_READY ${JSON.stringify(metricsUrl ? { metricsUrl } : {})}`);

  const stdinLines = opts.stdin
    ? createInterface({ input: io.input }).on('line', (line) => {
        if (line.trim() === '') return;
        const problem = runner.command(line, 'stdin');
        if (problem) log(`sim: command refused: ${problem}`);
      })
    : undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
    if (opts.duration !== undefined) timer = setTimeout(resolve, opts.duration);
  });
  clearTimeout(timer);
  stdinLines?.close();
  await runner.stop();
  // A stdin we were reading would otherwise keep the event loop, and so the process, alive.
  if (opts.stdin && io.input === process.stdin) process.stdin.destroy();
  log(`sim: stopped after ${runner.totals.ticks} ticks`);
  return 0;
}
