import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { exited, FakeCommandRunner, ok, type FakeCall } from '../FakeCommandRunner.js';
import type { CommandResult } from '../types.js';
import { queryArgs } from './detect.js';
import { allHealthNames } from './healthFields.js';
import { HealthPoller, NVLINK_ARGS } from './HealthPoller.js';
import { createNvidiaReplayRunner } from './NvidiaReplayRunner.js';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const H100_LOAD = 'linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__load__query-gpu.csv';
const H100_FAULTS = 'derived__h100-load__faults__query-gpu.csv';
const H100_NVLINK = 'linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__capabilities__nvlink-s.txt';
const RTX2080_IDLE = 'linux-x86_64__nvidia-geforce-rtx-2080-super__595.71.05__idle__query-gpu.csv';
const RTX2080_NVLINK =
  'linux-x86_64__nvidia-geforce-rtx-2080-super__595.71.05__capabilities__nvlink-s.txt';

const line = (args: readonly string[]): string => ['nvidia-smi', ...args].join(' ');
const HEALTH = line(queryArgs(allHealthNames()));
const NVLINK = line(NVLINK_ARGS);

/** nvidia-smi's answer to the call, from a recorded --query-gpu capture. */
const from =
  (file: string) =>
  (call: FakeCall): Promise<CommandResult> =>
    createNvidiaReplayRunner(fixture(file)).run(call.cmd, call.args);

function poller(runner: FakeCommandRunner, clock: { t: number }): HealthPoller {
  // `-q -x` off here: its own tests are below (xmlEvery).
  return new HealthPoller(runner, {
    everyMs: 30_000,
    timeoutMs: 10_000,
    now: () => clock.t,
    xmlEvery: 0,
  });
}

describe('HealthPoller', () => {
  it('asks once per 30 s on a fake clock, however often it is polled', async () => {
    const runner = new FakeCommandRunner()
      .on(HEALTH, from(H100_LOAD))
      .on(NVLINK, ok(fixture(H100_NVLINK)));
    const clock = { t: 0 };
    const p = poller(runner, clock);
    for (const t of [0, 1_000, 10_000, 29_999]) {
      clock.t = t;
      p.poll(t);
      await p.settle();
    }
    expect(runner.callsOf(HEALTH)).toHaveLength(1);
    expect(runner.callsOf(NVLINK)).toHaveLength(1);
    clock.t = 30_000;
    p.poll(30_000);
    await p.settle();
    expect(runner.callsOf(HEALTH)).toHaveLength(2);
    expect(runner.callsOf(HEALTH)[0]!.timeoutMs).toBe(10_000);
  });

  it('H100 healthy, then the edited row 30 s later: the six signals once, with the second read time', async () => {
    const runner = new FakeCommandRunner()
      .on(HEALTH, from(H100_LOAD), from(H100_FAULTS))
      .on(NVLINK, ok(fixture(H100_NVLINK)));
    const clock = { t: 1_000 };
    const p = poller(runner, clock);
    p.poll(1_000);
    await p.settle();
    expect(p.take()).toEqual([]);
    expect(p.note()).toBe('health checks not present here: retired pages ([N/A])');
    clock.t = 31_000;
    p.poll(31_000);
    await p.settle();
    const signals = p.take();
    expect(signals.map((s) => `${s.kind}/${s.code}=${s.value}`).sort()).toEqual([
      'ecc/uncorrected.aggregate=2',
      'ecc/uncorrected.volatile=2',
      'pcie-link/width=8',
      'power/cap-below-default=500',
      'remap/pending=1',
      'remap/uncorrectable=1',
    ]);
    expect(signals.every((s) => s.ts === 31_000)).toBe(true);
    expect(p.take()).toEqual([]);
  });

  it('RTX 2080 SUPER: ECC, remapping and retired pages [N/A] and NVLink inactive are "not present here", not errors', async () => {
    const runner = new FakeCommandRunner()
      .on(HEALTH, from(RTX2080_IDLE))
      .on(NVLINK, ok(fixture(RTX2080_NVLINK)));
    const p = poller(runner, { t: 0 });
    p.poll(0);
    await p.settle();
    expect(p.note()).toBe(
      'health checks not present here: retired pages ([N/A]), row remapping ([N/A]), ' +
        'row remapping histogram ([N/A]), ECC ([N/A]); ' +
        'NVLink not present here: NVML: Unable to retrieve Nvlink information as all links are inActive',
    );
    expect(p.take().map((s) => `${s.kind}/${s.code}`)).toEqual(['persistence/disabled']);
  });

  it('a driver that rejects the clock-event counters: each name dropped in turn, then "not a field of this driver"', async () => {
    const counters = allHealthNames().filter((n) => n.startsWith('clocks_event_reasons_counters.'));
    const runner = new FakeCommandRunner().on(NVLINK, ok(fixture(H100_NVLINK)));
    let names = allHealthNames();
    for (const name of counters) {
      // nvidia-smi's own words for an unknown field, exit code 2, on stdout (smiErrors.ts).
      runner.on(
        line(queryArgs(names)),
        exited(2, '', `Field "${name}" is not a valid field to query.\n\n`),
      );
      names = names.filter((n) => n !== name);
    }
    runner.on(line(queryArgs(names)), from(H100_LOAD));
    const clock = { t: 0 };
    const p = poller(runner, clock);
    p.poll(0);
    await p.settle();
    expect(p.note()).toBe(
      'health checks not present here: retired pages ([N/A]), clock event counters (not a field of this driver)',
    );
    // The next round asks the accepted names straight away.
    clock.t = 30_000;
    p.poll(30_000);
    await p.settle();
    expect(runner.callsOf(line(queryArgs(names)))).toHaveLength(2);
    expect(runner.callsOf(HEALTH)).toHaveLength(1);
  });

  it('a hung query (killed at the timeout) and a replay without an nvlink recording: one note each, no signal', async () => {
    const replay = createNvidiaReplayRunner(fixture(H100_LOAD));
    const runner = new FakeCommandRunner()
      .on(HEALTH, exited(null, ''))
      .on(NVLINK, (call) => replay.run(call.cmd, call.args));
    const p = poller(runner, { t: 0 });
    p.poll(0);
    await p.settle();
    expect(p.take()).toEqual([]);
    expect(p.note()).toBe(
      'nvidia-smi health query: nvidia-smi gave no answer within 10 s and was stopped; ' +
        'NVLink not present here: nvidia-smi exited with code 2: nvidia-smi replay: no recording of nvidia-smi nvlink -s',
    );
  });

  it('never holds up its caller: poll returns while nvidia-smi has not answered', async () => {
    let answer: (r: CommandResult) => void = () => undefined;
    const pending = new Promise<CommandResult>((resolve) => (answer = resolve));
    const runner = new FakeCommandRunner().on(HEALTH, () => pending).on(NVLINK, ok(''));
    const p = poller(runner, { t: 0 });
    p.poll(0);
    expect(p.take()).toEqual([]);
    expect(p.note()).toBeUndefined();
    answer(
      await from(H100_FAULTS)({
        cmd: 'nvidia-smi',
        args: queryArgs(allHealthNames()),
        line: HEALTH,
      }),
    );
    await p.settle();
    expect(p.take()).toHaveLength(6);
  });
});
