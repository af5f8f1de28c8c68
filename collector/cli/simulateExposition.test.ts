/** `osprey simulate`'s exposition flags: flavours, GPU exporter, DCGM casing, MIG, broken nodes. */
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';

import { buildFleet } from '../simulator/fleet.js';
import {
  addSimulateCommand,
  expositionOptions,
  runSimulate,
  simulatorOptions,
  type SimulateOptions,
} from './simulate.js';

async function parse(args: string[]): Promise<{ opts?: SimulateOptions; error?: string }> {
  const program = new Command('osprey').exitOverride();
  let err = '';
  program.configureOutput({ writeErr: (s) => (err += s), writeOut: () => {} });
  addSimulateCommand(program, () => {});
  const sim = program.commands.find((c) => c.name() === 'simulate')!;
  sim.exitOverride().configureOutput({ writeErr: (s) => (err += s), writeOut: () => {} });
  let opts: SimulateOptions | undefined;
  sim.action((o: SimulateOptions) => void (opts = o));
  try {
    await program.parseAsync(['node', 'osprey', 'simulate', ...args]);
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    return { error: err };
  }
  return { opts: opts! };
}

describe('osprey simulate exposition flags', () => {
  it('defaults to today’s /metrics: DCGM as released, no MIG, no flavours', async () => {
    const { opts } = await parse(['--metrics-port', '0']);
    expect(opts).toMatchObject({ gpuExporter: 'dcgm', dcgmLabels: 'released', mig: 0 });
    expect(opts!.engineFlavours).toBeUndefined();
    expect(expositionOptions(opts!)).toEqual({ gpuExporter: 'dcgm', dcgmLabels: 'released' });
    expect(simulatorOptions(opts!, []).engineFlavours).toBeUndefined();
  });

  it('reads every flavour, exporter, casing, MIG count and broken node', async () => {
    const { opts } = await parse([
      '--metrics-port=0',
      '--engine-flavours=vllm,vllm-old,ray-vllm,nim,sglang,tgi',
      '--gpu-exporter=both',
      '--dcgm-labels=mixed',
      '--mig=2',
      '--broken-exposition=node-001, node-003',
    ]);
    expect(opts!.engineFlavours).toEqual(['vllm', 'vllm-old', 'ray_vllm', 'nim', 'sglang', 'tgi']);
    expect(simulatorOptions(opts!, []).engineFlavours).toEqual(opts!.engineFlavours);
    expect(expositionOptions(opts!)).toEqual({
      gpuExporter: 'both',
      dcgmLabels: 'mixed',
      mig: 2,
      broken: new Set(['node-001', 'node-003']),
    });
  });

  it('names the flag and the value it refuses', async () => {
    expect((await parse(['--engine-flavours', 'vllm,triton'])).error).toMatch(
      /--engine-flavours.*"triton" is not an engine flavour \(vllm, vllm-old, ray_vllm, nim, sglang, tgi\)/,
    );
    expect((await parse(['--gpu-exporter', 'nvml'])).error).toMatch(
      /--gpu-exporter.*Allowed choices are dcgm, nvidia_gpu_exporter, both/,
    );
    expect((await parse(['--dcgm-labels', 'UPPER'])).error).toMatch(/--dcgm-labels/);
    expect((await parse(['--mig', '-1'])).error).toMatch(/--mig/);
  });

  it('refuses a broken node that is not in the fleet or has no DCGM exporter', async () => {
    const base: SimulateOptions = {
      clusters: 1,
      nodes: 6,
      devicesPerNode: 2,
      rate: 2,
      seed: 25,
      metricsHost: '127.0.0.1',
      metricsPort: 0,
      vllmNames: 'new',
      day: 600_000,
      inventoryEvery: 10_000,
      stdin: false,
    };
    await expect(runSimulate({ ...base, brokenExposition: ['node-042'] })).rejects.toThrow(
      '--broken-exposition: no node node-042 in this fleet',
    );
    const ascend = buildFleet(base).nodes.find((n) => n.devices[0]!.info.vendor === 'ascend')!;
    await expect(runSimulate({ ...base, brokenExposition: [ascend.name] })).rejects.toThrow(
      `--broken-exposition: ${ascend.name} has no NVIDIA GPU, so no DCGM exporter`,
    );
  });
});
