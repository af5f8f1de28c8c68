import { describe, expect, it } from 'vitest';

import type { DeviceInfo, Sample } from '../protocol/spec.js';
import { DiagnosisLog } from './DiagnosisLog.js';
import { THRESHOLDS, thresholdSignals } from './thresholds.js';
import { nvidiaNode } from './testContext.js';

const T = 1_764_000_000_000;
const gpu: DeviceInfo = { id: 'GPU-1', vendor: 'nvidia', index: 1, name: 'NVIDIA H100 80GB HBM3' };
const npu: DeviceInfo = { id: 'ascend:2:0', vendor: 'ascend', index: 2, chip: 0, name: '910B3' };
const s = (m: string, v: number | null, d = 'GPU-1'): Sample => ({ m, v, d });
const over = (list: ReturnType<typeof thresholdSignals>) => list.filter((x) => !x.ok);

describe('thresholdSignals', () => {
  it('judges temperature against the device’s own slowdown and shutdown limits when reported', () => {
    const out = thresholdSignals(
      [
        s('device.temperature', 88),
        s('device.temperature.slowdown', 87),
        s('device.temperature.shutdown', 92),
      ],
      [gpu],
      T,
    );
    expect(out.map((x) => [x.code, x.ok === true])).toEqual([
      ['shutdown', true],
      ['slowdown', false],
    ]);
    expect(over(out)[0]).toMatchObject({
      kind: 'temperature',
      value: 88,
      limit: 87,
      device: 'GPU-1',
      ts: T,
    });
  });

  it('falls back to Osprey’s named default limit', () => {
    const [hot] = thresholdSignals([s('device.temperature', THRESHOLDS.defaultHotC)], [gpu], T);
    expect(hot).toMatchObject({ code: 'high', limit: 85, detail: { limitSource: 'default' } });
    expect(hot!.ok).toBeUndefined();
    expect(thresholdSignals([s('device.temperature', 60)], [gpu], T)[0]!.ok).toBe(true);
  });

  it('power at 98 % of the enforced limit is capped; below is clear', () => {
    expect(
      over(thresholdSignals([s('device.power', 690), s('device.power.limit', 700)], [gpu], T)),
    ).toHaveLength(1);
    expect(
      over(thresholdSignals([s('device.power', 600), s('device.power.limit', 700)], [gpu], T)),
    ).toHaveLength(0);
  });

  it('decodes the throttle mask: 0x60 sets the two thermal reasons, clears the others', () => {
    const out = thresholdSignals([s('device.throttle.reasons', 0x60)], [gpu], T);
    expect(over(out).map((x) => x.code)).toEqual(['sw_thermal_slowdown', 'hw_thermal_slowdown']);
    expect(out.filter((x) => x.ok).map((x) => x.code)).toEqual([
      'sw_power_cap',
      'hw_slowdown',
      'hw_power_brake_slowdown',
    ]);
  });

  it('link width below its maximum always; generation only under load', () => {
    expect(
      over(
        thresholdSignals(
          [s('device.pcie.link.width', 8), s('device.pcie.link.width.max', 16)],
          [gpu],
          T,
        ),
      )[0],
    ).toMatchObject({ code: 'width', value: 8, limit: 16 });
    const idle = [
      s('device.pcie.link.gen', 1),
      s('device.pcie.link.gen.max', 4),
      s('device.utilization', 0),
    ];
    expect(thresholdSignals(idle, [gpu], T)).toEqual([]);
    const busy = [
      s('device.pcie.link.gen', 3),
      s('device.pcie.link.gen.max', 4),
      s('device.utilization', 80),
    ];
    expect(over(thresholdSignals(busy, [gpu], T))[0]).toMatchObject({
      code: 'gen',
      value: 3,
      limit: 4,
    });
  });

  it('ECC, remap pending/failure, and npu-smi health (Ascend only)', () => {
    const out = over(
      thresholdSignals(
        [
          s('device.ecc.uncorrected', 2),
          s('device.remap.pending', 1),
          s('device.remap.failure', 0),
          s('device.health', 2),
          s('device.health', 2, 'ascend:2:0'),
        ],
        [gpu, npu],
        T,
      ),
    );
    expect(out.map((x) => `${x.kind}.${x.code}@${x.device}`)).toEqual([
      'ecc.uncorrected.volatile@GPU-1',
      'remap.pending@GPU-1',
      'npu-health.health@ascend:2:0',
    ]);
  });

  it('skips absent values and unknown devices', () => {
    expect(
      thresholdSignals(
        [s('device.temperature', null), s('device.temperature', 99, 'GPU-9')],
        [gpu],
        T,
      ),
    ).toEqual([]);
  });

  it('through DiagnosisLog: 0x40 held 10 s is one diagnosis; the mask clearing resolves it', () => {
    const log = new DiagnosisLog();
    const got = [];
    for (let i = 0; i <= 12; i++)
      got.push(
        ...log.add(
          thresholdSignals([s('device.throttle.reasons', 0x40)], [gpu], T + i * 1000),
          nvidiaNode,
          T + i * 1000,
        ),
      );
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({
      kind: 'throttle',
      code: 'hw_thermal_slowdown',
      severity: 'warning',
      title: 'GPU 1 clocks held back: hardware thermal slowdown for 10 s',
    });
    const [done] = log.add(
      thresholdSignals([s('device.throttle.reasons', 0)], [gpu], T + 13_000),
      nvidiaNode,
      T + 13_000,
    );
    expect(done).toMatchObject({ resolved: T + 13_000 });
  });
});
