import { describe, expect, it } from 'vitest';

import type { FleetCell } from './types.js';
import { deviceKeyOf, type OpenDiagnosis } from '../../lib/diagnoses.js';
import {
  categoricalScale,
  colourable,
  stateChanges,
  stateSpans,
  stateText,
  throttleText,
} from './deviceStates.js';
import { badgeLevels } from './fleetBadges.js';
import { BADGE_CRITICAL, BADGE_NONE, BADGE_WARNING } from './paintFleet.js';

describe('state metrics in words', () => {
  it('names health 0–3 in the core’s words, with the tool’s own where it differs', () => {
    // catalog.ts: 0 OK, 1 Warning, 2 Alarm, 3 Critical as the tool says; severity.ts: level 2 is
    // an Error like every other level-2 fact.
    expect([0, 1, 2, 3].map((v) => stateText('device.health', v))).toEqual([
      'OK',
      'Warning',
      'Error (reported as Alarm)',
      'Critical',
    ]);
    expect(stateText('device.health', 7)).toBe('unknown state 7');
  });

  it('decodes throttle masks by nvml.h bits, never the decimal', () => {
    // 96 = 0x20 | 0x40; 0x8 | 0x20 = 40; 0 = nothing.
    expect(throttleText(96)).toBe('SW thermal slowdown + HW thermal slowdown');
    expect(throttleText(0x8 | 0x20)).toBe('HW slowdown + SW thermal slowdown');
    expect(throttleText(0)).toBe('None');
    expect(throttleText(0x1000)).toBe('Unknown reason bits 0x1000');
    expect(stateText('device.pstate', 0)).toBe('P0');
    expect(stateText('device.power', 300)).toBeUndefined();
  });

  it('offers health and throttle reasons as categories, and not the performance state', () => {
    expect(categoricalScale('device.health')!.categories.map((c) => c.label)).toEqual([
      'OK',
      'Warning',
      'Error',
      'Critical',
    ]);
    const throttle = categoricalScale('device.throttle.reasons')!;
    expect(throttle.categories.map((c) => c.label)).toEqual([
      'No slowdown',
      'Power cap',
      'Thermal slowdown',
      'HW slowdown',
    ]);
    // Idle (0x1), SW power cap (0x4), SW+HW thermal (0x60), HW slowdown (0x8), unknown bit.
    expect([0, 1, 4, 0x60, 0x8, 0x1000].map(throttle.classify)).toEqual([0, 0, 1, 2, 3, 3]);
    expect(['device.pstate', 'device.health', 'device.power'].map(colourable)).toEqual([
      false,
      true,
      true,
    ]);
  });

  it('turns points into spans of one state and lists the changes newest first', () => {
    const points: Array<[number, number | null]> = [
      [0, 0],
      [1, 0],
      [2, null],
      [3, 2],
      [4, 3],
    ];
    expect(stateSpans('device.health', points).map((s) => [s.text, s.from, s.to])).toEqual([
      ['OK', 0, 2],
      ['no data', 2, 3],
      ['Error (reported as Alarm)', 3, 4],
      ['Critical', 4, 4],
    ]);
    expect(stateChanges('device.health', points)).toEqual([
      { at: 4, from: 'Error (reported as Alarm)', to: 'Critical' },
      { at: 3, from: 'OK', to: 'Error (reported as Alarm)' },
    ]);
  });
});

describe('badgeLevels', () => {
  it('gives each cell its worst open diagnosis', () => {
    const cell = (node: string, id: string) =>
      ({
        node,
        device: { id, label: id, model: 'm', inferred: false },
        col: 0,
        match: true,
      }) as FleetCell;
    const d = (severity: OpenDiagnosis['severity']): OpenDiagnosis => ({
      id: severity,
      node: 'n',
      device: 'a',
      severity,
      title: severity,
      advice: 'Reset the GPU',
      kind: 'xid',
      ts: 0,
      lastTs: 0,
      count: 1,
    });
    const map = new Map([
      [deviceKeyOf('n', 'a'), [d('critical'), d('warning')]],
      [deviceKeyOf('n', 'b'), [d('warning')]],
    ]);
    expect([...badgeLevels([cell('n', 'a'), cell('n', 'b'), cell('m', 'a')], map)]).toEqual([
      BADGE_CRITICAL,
      BADGE_WARNING,
      BADGE_NONE,
    ]);
  });
});
