import { describe, expect, it } from 'vitest';

import {
  deviceState,
  DEVICE_STATE_LABEL,
  healthState,
  healthWordLevel,
  SEVERITY_LABEL,
  stateSeverity,
  worstSeverity,
} from './severity.js';

describe('the one severity vocabulary', () => {
  it('npu-smi health words 0–3 are states with the severity words', () => {
    expect(
      ['OK', 'Warning', 'Alarm', 'Critical'].map((w) => healthState(healthWordLevel(w))),
    ).toEqual(['ok', 'warning', 'error', 'critical']);
    expect(healthState(null)).toBe('unknown');
    expect(healthState(7)).toBe('unknown');
    expect(DEVICE_STATE_LABEL.error).toBe(SEVERITY_LABEL.error);
    expect(stateSeverity('unknown')).toBe('warning');
  });
  it('a device’s state is the worse of its health and its open diagnoses (Xid 48 critical, health 2 → Critical)', () => {
    expect(deviceState(2, ['critical'])).toBe('critical');
    expect(deviceState(3, ['warning'])).toBe('critical');
    expect(deviceState(0, ['info'])).toBe('ok');
    expect(deviceState(undefined, ['error'])).toBe('error');
    expect(deviceState(undefined)).toBe('unknown');
    expect(deviceState(0, [], true)).toBe('critical');
    expect(worstSeverity(['info', 'error', 'warning'])).toBe('error');
  });
});
