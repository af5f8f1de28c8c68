/**
 * Assembles a Collector from the command line: the system runner, replays routed in per tool, and
 * the probes for this host.
 */
import { accessSync, constants } from 'node:fs';
import { hostname } from 'node:os';

import { Collector } from '../agent/Collector.js';
import { createAscendProbe, createNpuReplayRunner } from '../probes/ascend/index.js';
import { createHostProbe, readHostInfo } from '../probes/host/index.js';
import { createKernelProbe, defaultPositionPath } from '../probes/kernel/index.js';
import { createNvidiaProbe, createNvidiaReplayRunner } from '../probes/nvidia/index.js';
import { fileLines } from '../probes/replayLines.js';
import { createRoutingRunner } from '../probes/routingRunner.js';
import { createSystemRunner } from '../probes/systemRunner.js';
import type { CommandRunner } from '../probes/types.js';
import type { ReplaySpec } from './options.js';

export interface BuildOptions {
  intervalMs: number;
  replay: readonly ReplaySpec[];
  cluster?: string;
  node?: string;
  /** Where the kernel probe keeps its read position (default defaultPositionPath()). */
  kernelPositionPath?: string;
  /**
   * false: the kernel log is read from the start of its buffer and no position is kept (a one-shot
   * `osprey collect` must not make the next `osprey serve` skip what it read).
   */
  keepKernelPosition?: boolean;
}

export class CliError extends Error {}

export async function buildCollector(opts: BuildOptions): Promise<Collector> {
  const routes = new Map<string, CommandRunner>();
  let kmsgReplay: string | undefined;
  for (const spec of opts.replay) {
    if (spec.tool === 'kmsg') {
      try {
        accessSync(spec.file, constants.R_OK);
      } catch (error) {
        throw new CliError(
          `--replay kmsg=${spec.file}: cannot read file (${(error as Error).message})`,
        );
      }
      kmsgReplay = spec.file;
      continue;
    }
    // Read as the replay goes, never whole: a 300 MB capture read into one string took the
    // collector to 1.46 GB (issue 10). Opening it here still fails at start on a bad path.
    let runner: CommandRunner;
    try {
      runner =
        spec.tool === 'nvidia-smi'
          ? createNvidiaReplayRunner(fileLines(spec.file))
          : createNpuReplayRunner({ file: spec.file });
    } catch (error) {
      throw new CliError(
        `--replay ${spec.tool}=${spec.file}: cannot read file (${(error as Error).message})`,
      );
    }
    routes.set(spec.tool, runner);
  }
  const runner = createRoutingRunner(createSystemRunner(), routes);
  return new Collector({
    cluster: opts.cluster ?? 'local',
    node: opts.node ?? hostname(),
    intervalMs: opts.intervalMs,
    host: await readHostInfo(),
    probes: [
      createHostProbe(),
      createNvidiaProbe(runner, { intervalMs: opts.intervalMs }),
      createAscendProbe(runner, { intervalMs: opts.intervalMs }),
      // A replayed kernel log keeps no position: the recording is read whole each time.
      createKernelProbe(
        runner,
        kmsgReplay !== undefined
          ? { replayFile: kmsgReplay }
          : opts.keepKernelPosition === false
            ? {}
            : { positionPath: opts.kernelPositionPath ?? defaultPositionPath() },
      ),
    ],
  });
}
