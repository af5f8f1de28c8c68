/**
 * The fault schedules the README and `osprey simulate --help` show are accepted as written, with
 * the default fleet and seed: a reader who pastes one gets faults, not "xid79 is an NVIDIA fault".
 */
import { readFileSync } from 'node:fs';

import { Command } from 'commander';
import { describe, expect, it } from 'vitest';

import { Simulator } from '../simulator/Simulator.js';
import {
  addSimulateCommand,
  readFaults,
  simulatorOptions,
  type SimulateOptions,
} from './simulate.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

function simulateCommand(): Command {
  const program = new Command('osprey').exitOverride();
  addSimulateCommand(program, () => {});
  return program.commands.find((c) => c.name() === 'simulate')!.exitOverride();
}

/** The options `osprey simulate --nats … --faults <schedule>` runs with (defaults for the rest). */
async function flags(schedule: string): Promise<SimulateOptions> {
  const program = new Command('osprey').exitOverride();
  addSimulateCommand(program, () => {});
  let opts: SimulateOptions | undefined;
  program.commands
    .find((c) => c.name() === 'simulate')!
    .action((o: SimulateOptions) => void (opts = o));
  await program.parseAsync([
    'node',
    'osprey',
    'simulate',
    '--nats',
    'nats://n:4222',
    '--faults',
    schedule,
  ]);
  return opts!;
}

async function simulatorFor(schedule: string): Promise<Simulator> {
  const opts = await flags(schedule);
  return new Simulator(simulatorOptions(opts, readFaults(opts.faults!)));
}

const quoted = (text: string) => [...text.matchAll(/--faults '([^']+)'/g)].map((m) => m[1]!);

describe('the documented fault examples', () => {
  const help = simulateCommand().options.find((o) => o.long === '--faults')!.description;
  const examples = [...quoted(README), ...[...help.matchAll(/'([^']+)'/g)].map((m) => m[1]!)];

  it('are found in the README and the --faults help', () => {
    expect(quoted(README).length).toBeGreaterThan(0);
    expect(examples.length).toBeGreaterThan(1);
  });

  it('run with the default fleet and seed, every fault scheduled', async () => {
    for (const example of examples) {
      const sim = await simulatorFor(example);
      expect(sim.options.schedule).toHaveLength(example.split(';').length);
    }
  });

  it('would be refused naming the node when a fault does not fit it (control)', async () => {
    // node-003 holds Ascend 910B3 with seed 1: the README's example as it was before.
    await expect(
      simulatorFor(
        'at=30s node=node-003 device=2 kind=xid79; at=60s node=node-010 kind=thermal duration=30s',
      ),
    ).rejects.toThrow(/fault schedule: xid79 is an NVIDIA fault; node-003 holds 910B3/);
  });
});
