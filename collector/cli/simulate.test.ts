import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';

import { CliError } from './buildCollector.js';
import { addSimulateCommand, readFaults, runSimulate, type SimulateOptions } from './simulate.js';

/** Parses `args` with only the simulate command, stopping before it runs. */
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
  return { opts };
}

describe('osprey simulate flags', () => {
  it('has defaults for a small fleet at 2 Hz', async () => {
    const { opts } = await parse(['--nats', 'nats://127.0.0.1:4222']);
    expect(opts).toMatchObject({
      clusters: 1,
      nodes: 16,
      devicesPerNode: 8,
      rate: 2,
      seed: 1,
      metricsHost: '127.0.0.1',
      vllmNames: 'new',
      day: 600_000,
      inventoryEvery: 10_000,
      stdin: true,
    });
  });

  it('reads sizes, rate, seed, durations and naming', async () => {
    const { opts } = await parse([
      '--clusters=2',
      '--nodes=256',
      '--devices-per-node=4',
      '--rate=0.5',
      '--seed=99',
      '--metrics-port=0',
      '--vllm-names=old',
      '--duration=90s',
      '--day=1h',
      '--no-stdin',
    ]);
    expect(opts).toMatchObject({
      clusters: 2,
      nodes: 256,
      devicesPerNode: 4,
      rate: 0.5,
      seed: 99,
      metricsPort: 0,
      vllmNames: 'old',
      duration: 90_000,
      day: 3_600_000,
      stdin: false,
    });
  });

  it('names the flag and the value it refuses', async () => {
    expect((await parse(['--rate', '0'])).error).toMatch(
      /--rate.*"0" is not a rate in Hz from 0\.1 to 20/,
    );
    expect((await parse(['--nodes', '1.5'])).error).toMatch(
      /"1\.5" is not a whole number from 1 to 8192 \(--nodes\)/,
    );
    expect((await parse(['--seed', '-1'])).error).toMatch(/--seed/);
    expect((await parse(['--vllm-names', 'v2'])).error).toMatch(
      /--vllm-names.*Allowed choices are new, old/,
    );
    expect((await parse(['--duration', 'soon'])).error).toMatch(/"soon" is not a duration/);
    expect((await parse(['--metrics-port', '70000'])).error).toMatch(/"70000" is not a TCP port/);
  });
});

describe('runSimulate', () => {
  const base: SimulateOptions = {
    clusters: 1,
    nodes: 2,
    devicesPerNode: 8,
    rate: 2,
    seed: 1,
    metricsHost: '127.0.0.1',
    vllmNames: 'new',
    day: 600_000,
    inventoryEvery: 10_000,
    stdin: false,
  };

  it('needs somewhere to send the fleet', async () => {
    await expect(runSimulate(base)).rejects.toThrow(
      new CliError(
        'give --nats <url> to publish, --metrics-port <port> to serve /metrics, or both',
      ),
    );
  });

  it('refuses a schedule that does not parse or does not fit the fleet', async () => {
    const nats = 'nats://127.0.0.1:1';
    await expect(
      runSimulate({ ...base, nats, faults: 'at=1s node=node-000 kind=boom' }),
    ).rejects.toThrow(/--faults: fault 1 .*kind "boom" is not one of/);
    await expect(
      runSimulate({ ...base, nats, faults: 'at=1s node=node-007 kind=thermal' }),
    ).rejects.toThrow(
      /--faults: fault schedule: no node "node-007" in the fleet \(node-000…node-001\)/,
    );
  });
});

describe('readFaults', () => {
  it('reads a schedule file, inline text or JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'osprey-faults-'));
    try {
      const file = join(dir, 'faults.json');
      writeFileSync(file, '[{"at": "30s", "node": "node-003", "device": 2, "kind": "xid79"}]');
      expect(readFaults(file)).toEqual([
        { atMs: 30_000, node: 'node-003', device: 2, kind: 'xid79' },
      ]);
      expect(() => readFaults(join(dir, 'missing.txt'))).toThrow(
        /--faults: no such file: .*missing\.txt/,
      );
      expect(readFaults('at=1m node=node-001 kind=power')).toEqual([
        { atMs: 60_000, node: 'node-001', kind: 'power' },
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
