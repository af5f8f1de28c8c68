import { describe, expect, it } from 'vitest';

import { exited, FakeCommandRunner, notFound, ok } from '../FakeCommandRunner.js';
import { detect, queryArgs } from './detect.js';
import { allQueryNames } from './fields.js';
import { createNvidiaReplayRunner } from './NvidiaReplayRunner.js';
import { rejectedField } from './smiErrors.js';

const line = (names: readonly string[]): string => ['nvidia-smi', ...queryArgs(names)].join(' ');
const ALL = allQueryNames();
const without = (...drop: string[]): string[] => ALL.filter((n) => !drop.includes(n));
const invalid = (name: string): ReturnType<typeof exited> =>
  exited(2, '', `Field "${name}" is not a valid field to query.\n\n`);

/**
 * Hand-written, modelled on a pre-535 driver's --query-gpu capture: clocks_throttle_reasons.*, no
 * power.draw.average/.instant, no pcie.link.gen.gpucurrent, no enforced.power.limit.
 */
const OLD_DRIVER = [
  'index, uuid, name, pci.bus_id, driver_version, vbios_version, memory.total [MiB], memory.used [MiB], ' +
    'utilization.gpu [%], utilization.memory [%], temperature.gpu, power.draw [W], power.limit [W], ' +
    'clocks.current.sm [MHz], clocks_throttle_reasons.active, ecc.errors.uncorrected.volatile.total, ' +
    'pcie.link.gen.current, fan.speed [%], pstate',
  '0, GPU-old, Tesla V100-SXM2-32GB, 00000000:1A:00.0, 470.182.03, 88.00.80.00.01, 32510 MiB, 1024 MiB, ' +
    '37 %, 5 %, 41, 61.25 W, 300.00 W, 1530 MHz, 0x0000000000000001, 0, 3, [N/A], P0',
].join('\n');

describe('detect', () => {
  it('drops each name the driver rejects, retries, and falls back to the older name', async () => {
    const row =
      '0, GPU-a, A100, 00000000:07:00.0, 470.1, 92.1, 40536, 3, 4, 5, 30, [N/A], 250.1, 300, 1410, 0x1, 0, 4, [N/A], P0';
    const accepted = without(
      'power.draw.average',
      'power.draw.instant',
      'clocks_event_reasons.active',
      'enforced.power.limit',
      'pcie.link.gen.gpucurrent',
    );
    const runner = new FakeCommandRunner()
      .on(line(ALL), invalid('power.draw.average'))
      .on(line(without('power.draw.average')), invalid('power.draw.instant'))
      .on(
        line(without('power.draw.average', 'power.draw.instant')),
        invalid('enforced.power.limit'),
      )
      .on(
        line(without('power.draw.average', 'power.draw.instant', 'enforced.power.limit')),
        invalid('clocks_event_reasons.active'),
      )
      .on(
        line(
          without(
            'power.draw.average',
            'power.draw.instant',
            'enforced.power.limit',
            'clocks_event_reasons.active',
          ),
        ),
        invalid('pcie.link.gen.gpucurrent'),
      )
      .on(line(accepted), ok(`${row}\n`));
    const found = await detect(runner, 1000);
    if (found.state !== 'ok') throw new Error(found.message);
    expect(found.rejected).toEqual([
      'power.draw.average',
      'power.draw.instant',
      'enforced.power.limit',
      'clocks_event_reasons.active',
      'pcie.link.gen.gpucurrent',
    ]);
    expect(runner.calls.map((c) => c.timeoutMs)).toEqual([1000, 1000, 1000, 1000, 1000, 1000]);
    expect(found.chosen.get('power')).toBe('power.draw');
    expect(found.chosen.get('power.limit')).toBe('power.limit');
    expect(found.chosen.get('throttle')).toBe('clocks_throttle_reasons.active');
    expect(found.chosen.get('pcie.link.gen')).toBe('pcie.link.gen.current');
    expect(found.table.rows).toHaveLength(1);
  });

  it('falls back the same way against a replayed older driver', async () => {
    const found = await detect(createNvidiaReplayRunner(OLD_DRIVER), 1000);
    if (found.state !== 'ok') throw new Error(found.message);
    expect(found.rejected).toEqual([
      'power.draw.average',
      'power.draw.instant',
      'enforced.power.limit',
      'pcie.link.gen.gpucurrent',
    ]);
    expect(found.chosen.get('power')).toBe('power.draw');
    expect(found.chosen.get('power.limit')).toBe('power.limit');
    // The two throttle names are aliases of one field, so the replay answers the new one too.
    expect(found.chosen.get('throttle')).toBe('clocks_event_reasons.active');
    expect(found.chosen.get('pcie.link.gen')).toBe('pcie.link.gen.current');
    expect(found.chosen.get('clocks.sm')).toBe('clocks.sm');
    // Not in the capture and no other name to fall back to: the replay answers [N/A].
    expect(found.chosen.get('temperature.memory')).toBe('temperature.memory');
  });

  it('keeps the newest name that holds a value, on a driver that accepts all', async () => {
    // power.draw.average is accepted but [N/A] on Turing: the next name is used.
    const runner = new FakeCommandRunner().on(line(ALL), (call) => {
      const names = call.args[0]!.slice('--query-gpu='.length).split(',');
      const cells = names.map((n) =>
        n === 'index' ? '0' : n === 'power.draw.average' ? '[N/A]' : n === 'pstate' ? 'P8' : '1',
      );
      return ok(`${cells.join(', ')}\n`);
    });
    const found = await detect(runner, 1000);
    if (found.state !== 'ok') throw new Error(found.message);
    expect(found.rejected).toEqual([]);
    expect(found.chosen.get('power')).toBe('power.draw.instant');
    expect(found.chosen.get('throttle')).toBe('clocks_event_reasons.active');
    expect(found.chosen.get('pcie.link.gen')).toBe('pcie.link.gen.gpucurrent');
  });

  it('says absent when nvidia-smi is not installed, has no driver, or sees no GPU', async () => {
    const driver =
      "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.\n\n";
    const cases = [
      [notFound('nvidia-smi'), 'nvidia-smi not found'],
      [exited(9, '', driver), driver.trim()],
      [exited(6, '', 'No devices were found\n'), 'No devices were found'],
      [ok(''), 'nvidia-smi lists no GPUs'],
    ] as const;
    for (const [answer, message] of cases) {
      const found = await detect(new FakeCommandRunner().on(line(ALL), answer), 1000);
      expect(found).toEqual({ state: 'absent', message });
    }
  });

  it('says error, with nvidia-smi words, when GPUs exist but cannot be read', async () => {
    const cases = [
      [
        exited(18, 'Failed to initialize NVML: Driver/library version mismatch\n'),
        'nvidia-smi exited with code 18: Failed to initialize NVML: Driver/library version mismatch',
      ],
      [exited(null, ''), 'nvidia-smi gave no answer within 1 s and was stopped'],
      // A rejected name the probe never asked for must not loop.
      [
        invalid('device_minor'),
        'nvidia-smi exited with code 2: Field "device_minor" is not a valid field to query.',
      ],
      [new Error('spawn EACCES'), 'nvidia-smi could not run: spawn EACCES'],
    ] as const;
    for (const [answer, message] of cases) {
      const runner = new FakeCommandRunner().on(line(ALL), answer);
      expect(await detect(runner, 1000)).toEqual({ state: 'error', message });
      expect(runner.calls).toHaveLength(1);
    }
  });
});

describe('rejectedField', () => {
  it('reads the field from straight and curly quotes', () => {
    expect(rejectedField('Field "power.draw.instant" is not a valid field to query.\n\n')).toBe(
      'power.draw.instant',
    );
    expect(rejectedField('Field “encoder.stats.sessionCount” is not a valid field to query.')).toBe(
      'encoder.stats.sessionCount',
    );
    expect(rejectedField('No devices were found')).toBeUndefined();
  });
});
