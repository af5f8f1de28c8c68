import { describe, expect, it } from 'vitest';

import { LiveStore } from '../../store/LiveStore.js';
import { H100, inventory, metrics } from '../../testing/messages.js';
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

  it('scales power to the largest power limit, and derives memory % from bytes', () => {
    const s = store();
    s.ingest({
      receivedAt: 21_000,
      messages: [
        metrics(21_000, [
          { m: 'device.power', v: 350, d: H100.id },
          { m: 'device.power.limit', v: 700, d: H100.id },
          { m: 'device.memory.used', v: H100.memoryTotalBytes! / 4, d: H100.id },
        ]),
      ],
    });
    const power = readFleetFrame(s, cells(s), 'device.power', 21_000, true);
    expect(power.range).toEqual([0, 700]);
    expect(power.t[0]).toBeCloseTo(0.5);
    const memory = readFleetFrame(s, cells(s), 'device.memory.usage', 21_000, true);
    expect(memory.t[0]).toBeCloseTo(0.25);
    expect(memory.state[1]).toBe(CELL_MISSING);
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
