import { describe, expect, it } from 'vitest';

import { THRESHOLDS } from '../../../../collector/core/diagnosis/thresholds.js';

import { LiveStore } from '../../store/LiveStore.js';
import { deviceDiagnoses, deviceKeyOf } from '../../lib/diagnoses.js';
import { events, H100, inventory, metrics } from '../../testing/messages.js';
import { prepareEvents } from './prepareEvents.js';
import { describeCell, formatOld } from './describeCell.js';
import { CELL_ABSENT, CELL_FRESH, CELL_MISSING, CELL_STALE, readFleetFrame } from './fleetCells.js';
import { prepareFleetLayout } from './prepareFleetLayout.js';
import type { FleetCell } from './types.js';

const B = { ...H100, id: 'GPU-b', uuid: 'GPU-b', index: 1 };
const C = { ...H100, id: 'GPU-c', uuid: 'GPU-c', index: 2 };
const D = { ...H100, id: 'GPU-d', uuid: 'GPU-d', index: 3 };

/** One node of four GPUs: fresh, stale, unsupported and never reported, on a 1 s interval. */
function store(): LiveStore {
  const s = new LiveStore();
  s.ingest({ receivedAt: 0, messages: [inventory([H100, B, C, D])] });
  s.ingest({
    receivedAt: 10_000,
    messages: [metrics(10_000, [{ m: 'device.utilization', v: 10, d: B.id }])],
  });
  s.ingest({
    receivedAt: 20_000,
    messages: [
      metrics(20_000, [
        { m: 'device.utilization', v: 75, d: H100.id },
        { m: 'device.utilization', v: null, d: C.id, s: 'unsupported', raw: '[N/A]' },
      ]),
    ],
  });
  return s;
}

function cells(s: LiveStore): FleetCell[] {
  const layout = prepareFleetLayout(s, {
    metric: 'device.utilization',
    group: 'none',
    sort: 'node',
    filter: {},
  });
  return layout.sections.flatMap((sec) => sec.rows.flatMap((r) => r.cells));
}

describe('readFleetFrame', () => {
  it('tells fresh, stale, absent and missing values apart, and places values on the scale', () => {
    const s = store();
    const frame = readFleetFrame(s, cells(s), 'device.utilization', 20_500, true);
    expect([...frame.state]).toEqual([CELL_FRESH, CELL_STALE, CELL_ABSENT, CELL_MISSING]);
    expect(frame.range).toEqual([0, 100]);
    expect(frame.t[0]).toBeCloseTo(0.75);
    expect(frame.t[1]).toBeCloseTo(0.1);
    expect(Number.isNaN(frame.t[2])).toBe(true);
    expect(Number.isNaN(frame.t[3])).toBe(true);
  });

  it('shows no value as fresh while the source is not live', () => {
    const s = store();
    const frame = readFleetFrame(s, cells(s), 'device.utilization', 20_500, false);
    expect(frame.state[0]).toBe(CELL_STALE);
  });

  it('makes a value stale past two sender intervals plus 1 s (core isStale)', () => {
    const s = store();
    const c = cells(s);
    expect(readFleetFrame(s, c, 'device.utilization', 23_000, true).state[0]).toBe(CELL_FRESH);
    expect(readFleetFrame(s, c, 'device.utilization', 23_001, true).state[0]).toBe(CELL_STALE);
  });

  it('colours power as a share of each device’s own limit, and derives memory % from bytes', () => {
    const s = store();
    s.ingest({
      receivedAt: 21_000,
      messages: [
        metrics(21_000, [
          // A 700 W board at half its limit and a 350 W board at its limit.
          { m: 'device.power', v: 350, d: H100.id },
          { m: 'device.power.limit', v: 700, d: H100.id },
          { m: 'device.power', v: 350, d: B.id },
          { m: 'device.power.limit', v: 350, d: B.id },
          // Drawing power without a reported limit: no share of it to show.
          { m: 'device.power', v: 200, d: C.id },
          { m: 'device.memory.used', v: H100.memoryTotalBytes! / 4, d: H100.id },
        ]),
      ],
    });
    const power = readFleetFrame(s, cells(s), 'device.power', 21_000, true);
    expect(power.scale.kind).toBe('relative');
    expect(power.range).toEqual([0, 100]);
    expect(power.t[0]).toBeCloseTo(0.5);
    expect(power.t[1]).toBeCloseTo(1);
    expect([power.state[2], power.t[2]]).toEqual([CELL_ABSENT, Number.NaN]);
    const c = cells(s);
    expect(describeCell(s, c[0]!, 'device.power', 21_000, 'live').valueText).toBe(
      '350 W · 50 % of its 700 W power limit',
    );
    expect(describeCell(s, c[1]!, 'device.power', 21_000, 'live').valueText).toBe(
      '350 W · 100 % of its 350 W power limit',
    );
    expect(describeCell(s, c[2]!, 'device.power', 21_000, 'live').valueText).toBe(
      '200 W · no power limit reported',
    );
    // Memory in bytes against the inventory's capacity (81,559 MiB).
    const used = readFleetFrame(s, c, 'device.memory.used', 21_000, true);
    expect(used.t[0]).toBeCloseTo(0.25);
    expect(describeCell(s, c[0]!, 'device.memory.used', 21_000, 'live').valueText).toBe(
      '19.9 GiB · 25 % of its 79.6 GiB capacity',
    );
    const memory = readFleetFrame(s, c, 'device.memory.usage', 21_000, true);
    expect(memory.t[0]).toBeCloseTo(0.25);
    expect(memory.state[1]).toBe(CELL_MISSING);
  });

  it('colours temperature against the slowdown temperature a device reports, else in °C', () => {
    const s = store();
    s.ingest({
      receivedAt: 21_000,
      messages: [metrics(21_000, [{ m: 'device.temperature', v: 60, d: H100.id }])],
    });
    const c = cells(s);
    const absolute = readFleetFrame(s, c, 'device.temperature', 21_000, true);
    // The catalog's 20–100 °C: 60 °C is half way.
    expect([absolute.scale.kind, absolute.range, absolute.t[0]]).toEqual([
      'absolute',
      [20, 100],
      0.5,
    ]);
    s.ingest({
      receivedAt: 22_000,
      messages: [
        metrics(22_000, [
          { m: 'device.temperature', v: 60, d: H100.id },
          { m: 'device.temperature.slowdown', v: 80, d: H100.id },
        ]),
      ],
    });
    const relative = readFleetFrame(s, c, 'device.temperature', 22_000, true, absolute);
    expect([relative.scale.kind, relative.range, relative.t[0]]).toEqual([
      'relative',
      [0, 100],
      0.75,
    ]);
    expect(describeCell(s, c[0]!, 'device.temperature', 22_000, 'live').valueText).toBe(
      '60 °C · 75 % of its 80 °C slowdown temperature',
    );
  });

  it('a device without its own slowdown temperature beside one that reports it: coloured against the rules’ default hot line, and says so', () => {
    const s = store();
    s.ingest({
      receivedAt: 22_000,
      messages: [
        metrics(22_000, [
          { m: 'device.temperature', v: 60, d: H100.id },
          { m: 'device.temperature.slowdown', v: 80, d: H100.id },
          { m: 'device.temperature', v: 68, d: B.id },
        ]),
      ],
    });
    const c = cells(s);
    const frame = readFleetFrame(s, c, 'device.temperature', 22_000, true);
    const b = c.findIndex((x) => x.device.id === B.id);
    expect(frame.t[b]).toBeCloseTo(68 / THRESHOLDS.defaultHotC);
    expect(describeCell(s, c[b]!, 'device.temperature', 22_000, 'live').valueText).toBe(
      `68 °C · 80 % of Osprey’s default hot line (${THRESHOLDS.defaultHotC} °C; no slowdown temperature reported)`,
    );
  });

  it('speaks one severity: an Xid 48 the event calls critical makes its health-2 device Critical', () => {
    const s = store();
    s.ingest({
      receivedAt: 21_000,
      messages: [
        metrics(21_000, [
          { m: 'device.health', v: 2, d: H100.id },
          { m: 'device.health', v: 2, d: B.id },
        ]),
        events(21_000, [
          {
            ts: 21_000,
            kind: 'xid',
            severity: 'critical',
            code: '48',
            d: H100.id,
            message: 'Double-bit ECC error',
            id: 'box/GPU-0/xid/48',
            action: { bucket: 'reset-device', summary: 'Reset the GPU', steps: [] },
            ref: { catalog: 'nvsentinel-xid', id: '48' },
          },
        ]),
      ],
    });
    const c = cells(s);
    const frame = readFleetFrame(s, c, 'device.health', 21_000, true);
    // Critical (3 of 3) with the diagnosis; Error (2 of 3) on health 2 alone.
    expect([frame.t[0], frame.t[1]]).toEqual([1, Math.fround(2 / 3)]);
    const d = describeCell(s, c[0]!, 'device.health', 21_000, 'live', [
      ...(deviceDiagnoses(s).get(deviceKeyOf('box', H100.id)) ?? []),
    ]);
    expect(d.valueText).toBe('Critical (tool reports Alarm)');
    expect(d.diagnoses).toEqual([{ severity: 'critical', text: 'Critical: Double-bit ECC error' }]);
    expect(describeCell(s, c[0]!, 'device.utilization', 21_000, 'live').lines).toContain(
      'Health: Critical',
    );
    expect(describeCell(s, c[1]!, 'device.health', 21_000, 'live').valueText).toBe(
      'Error (tool reports Alarm)',
    );
    expect(prepareEvents(s)[0]!.severityText).toBe('Critical');
  });

  it('colours health and throttle reasons by category, and says them in words', () => {
    const s = store();
    s.ingest({
      receivedAt: 21_000,
      messages: [
        metrics(21_000, [
          { m: 'device.health', v: 3, d: H100.id },
          { m: 'device.health', v: 2, d: B.id },
          // 0x60 = 96: SW and HW thermal slowdown; 0x1: idle; 0x4: SW power cap; 0x8: HW slowdown.
          { m: 'device.throttle.reasons', v: 96, d: H100.id },
          { m: 'device.throttle.reasons', v: 1, d: B.id },
          { m: 'device.throttle.reasons', v: 4 | 1, d: C.id },
          { m: 'device.throttle.reasons', v: 8 | 32, d: D.id },
        ]),
      ],
    });
    const c = cells(s);
    const health = readFleetFrame(s, c, 'device.health', 21_000, true);
    expect(health.scale.kind).toBe('categorical');
    expect(health.range).toEqual([0, 3]);
    expect([health.t[0], health.t[1]]).toEqual([1, Math.fround(2 / 3)]);
    expect(describeCell(s, c[0]!, 'device.health', 21_000, 'live').valueText).toBe('Critical');
    const throttle = readFleetFrame(s, c, 'device.throttle.reasons', 21_000, true);
    // Categories: no slowdown, power cap, thermal, HW slowdown (0–3, of 3).
    expect([...throttle.t].map((t) => Math.round(t * 3))).toEqual([2, 0, 1, 3]);
    expect(
      c.map((cell) => describeCell(s, cell, 'device.throttle.reasons', 21_000, 'live').valueText),
    ).toEqual([
      'SW thermal slowdown + HW thermal slowdown',
      'Idle',
      'Idle + SW power cap',
      'HW slowdown + SW thermal slowdown',
    ]);
  });
});

describe('describeCell', () => {
  it('says what a cell shows, its age, and when it is stale', () => {
    const s = store();
    const [fresh, stale, absent, missing] = cells(s);
    expect(describeCell(s, fresh!, 'device.utilization', 21_000, 'live')).toMatchObject({
      title: 'box · GPU 0',
      state: 'fresh',
      valueText: '75 %',
    });
    expect(describeCell(s, fresh!, 'device.utilization', 21_000, 'live').lines).toEqual([
      'box · GPU 0',
      'NVIDIA H100 80GB HBM3',
      H100.uuid,
      'Utilization: 75 %',
      'updated 1 s ago',
    ]);
    expect(describeCell(s, stale!, 'device.utilization', 24_000, 'live').lines).toContain(
      'stale: 14 s old',
    );
    expect(describeCell(s, absent!, 'device.utilization', 21_000, 'live').lines).toContain(
      'Utilization: no data: unsupported ([N/A])',
    );
    expect(describeCell(s, missing!, 'device.utilization', 21_000, 'live').valueText).toBe(
      'no data: not reported',
    );
  });

  it('never calls a value current while the source reconnects', () => {
    const s = store();
    const d = describeCell(s, cells(s)[0]!, 'device.utilization', 21_000, 'reconnecting');
    expect(d.state).toBe('stale');
    expect(d.lines).toContain('source reconnecting: value 1 s old');
  });

  it('writes ages in seconds, then minutes, then hours', () => {
    expect([formatOld(14_200), formatOld(125_000), formatOld(3 * 3600_000)]).toEqual([
      '14 s old',
      '2 min old',
      '3 h old',
    ]);
  });
});

describe('readFleetFrame, frame after frame', () => {
  it('follows new values of the series it found, and finds series that appear later', () => {
    const s = store();
    const c = cells(s);
    const first = readFleetFrame(s, c, 'device.utilization', 20_500, true);
    s.ingest({
      receivedAt: 21_000,
      messages: [
        metrics(21_000, [
          { m: 'device.utilization', v: 20, d: H100.id },
          { m: 'device.utilization', v: 50, d: D.id },
        ]),
      ],
    });
    const next = readFleetFrame(s, c, 'device.utilization', 21_000, true, first);
    expect(next).toBe(first);
    expect(next.t[0]).toBeCloseTo(0.2);
    expect([next.state[3], next.t[3]]).toEqual([CELL_FRESH, 0.5]);
    const power = readFleetFrame(s, c, 'device.power', 21_000, true, next);
    expect([...power.state]).toEqual([CELL_MISSING, CELL_MISSING, CELL_MISSING, CELL_MISSING]);
  });
});
