import { describe, expect, it } from 'vitest';

import { HealthMarks, MARKS_KEY_PREFIX, MAX_MARKS } from './healthMarks.js';
import { groupIncidents, incidentState } from './incidents.js';
import type { StoredDiagnosis } from './storedDiagnoses.js';

/** localStorage's two calls over a Map. */
class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

const d = (id: string, lastTs: number, over: Partial<StoredDiagnosis> = {}): StoredDiagnosis =>
  ({
    id,
    incident: 'inc',
    ts: 1000,
    lastTs,
    count: 1,
    severity: 'error',
    nodeKey: 'n1',
    nodeName: 'n1',
    cluster: 'c',
    ...over,
  }) as StoredDiagnosis;

describe('HealthMarks', () => {
  it('keeps marks per connection across instances (a reload) under its own key', () => {
    const storage = new MemoryStorage();
    new HealthMarks('conn-a', storage).mark(['d1', 'd2'], 'acknowledged', 5000);
    new HealthMarks('conn-b', storage).mark(['d1'], 'resolved', 6000);
    const reloaded = new HealthMarks('conn-a', storage);
    expect(reloaded.get('d1')).toEqual({ state: 'acknowledged', at: 5000 });
    expect(reloaded.get('d2')).toEqual({ state: 'acknowledged', at: 5000 });
    expect(new HealthMarks('conn-b', storage).get('d1')).toEqual({ state: 'resolved', at: 6000 });
    expect([...storage.items.keys()].sort()).toEqual([
      `${MARKS_KEY_PREFIX}conn-a`,
      `${MARKS_KEY_PREFIX}conn-b`,
    ]);
  });

  it('reads malformed storage as no marks, and skips malformed entries', () => {
    const storage = new MemoryStorage();
    storage.setItem(`${MARKS_KEY_PREFIX}x`, '{not json');
    expect(new HealthMarks('x', storage).get('a')).toBeUndefined();
    storage.setItem(
      `${MARKS_KEY_PREFIX}y`,
      JSON.stringify({ a: { state: 'resolved', at: 1 }, b: { state: 'gone', at: 1 }, c: 7 }),
    );
    const marks = new HealthMarks('y', storage);
    expect([marks.get('a'), marks.get('b'), marks.get('c')]).toEqual([
      { state: 'resolved', at: 1 },
      undefined,
      undefined,
    ]);
  });

  it('notifies subscribers and clears marks', () => {
    const marks = new HealthMarks('z', undefined);
    let calls = 0;
    marks.subscribe(() => calls++);
    marks.mark(['a'], 'resolved', 1);
    marks.clear(['a']);
    expect(calls).toBe(2);
    expect(marks.get('a')).toBeUndefined();
  });

  it(`keeps the newest ${MAX_MARKS} marks`, () => {
    const marks = new HealthMarks('big', undefined);
    for (let i = 0; i <= MAX_MARKS; i++) marks.mark([`d${i}`], 'acknowledged', i);
    expect(marks.get('d0')).toBeUndefined();
    expect(marks.get(`d${MAX_MARKS}`)).toEqual({ state: 'acknowledged', at: MAX_MARKS });
  });
});

describe('incidentState', () => {
  it('is open while a diagnosis newer than the marks has none', () => {
    const marks = new HealthMarks('s', undefined);
    marks.mark(['a'], 'acknowledged', 2000);
    // b started after the acknowledgement and is worse than what was acknowledged: news.
    expect(
      incidentState([d('a', 1500), d('b', 3000, { ts: 3000, severity: 'critical' })], marks),
    ).toBe('open');
    expect(incidentState([d('a', 1500)], marks)).toBe('acknowledged');
  });

  it('stays acknowledged while a storm goes on, but reopens a resolved one seen again', () => {
    const marks = new HealthMarks('s', undefined);
    marks.mark(['a'], 'acknowledged', 2000);
    marks.mark(['b'], 'resolved', 2000);
    expect(incidentState([d('a', 9000)], marks)).toBe('acknowledged');
    expect(incidentState([d('b', 2000)], marks)).toBe('resolved');
    expect(incidentState([d('b', 2001)], marks)).toBe('open');
  });

  it('covers a diagnosis heard after the mark but older than it; after an acknowledgement only a more severe one opens', () => {
    const marks = new HealthMarks('s', undefined);
    marks.mark(['a'], 'acknowledged', 5000);
    const late = (ts: number, severity: 'warning' | 'error' | 'critical' = 'error') =>
      d('b', ts, { ts, severity });
    expect(incidentState([d('a', 1500), late(4000, 'critical')], marks)).toBe('acknowledged');
    expect(incidentState([d('a', 1500), late(6000, 'warning')], marks)).toBe('acknowledged');
    expect(incidentState([d('a', 1500), late(6000, 'error')], marks)).toBe('acknowledged');
    expect(incidentState([d('a', 1500), late(6000, 'critical')], marks)).toBe('open');
    marks.mark(['a'], 'resolved', 5000);
    expect(incidentState([d('a', 1500), late(4000)], marks)).toBe('resolved');
    expect(incidentState([d('a', 1500), late(6000)], marks)).toBe('open');
  });

  it('puts the worst first among incidents of the same moment', () => {
    const incidents = groupIncidents(
      [
        d('info', 1000, { incident: 'a', severity: 'info' }),
        d('crit', 1000, { incident: 'b', severity: 'critical', nodeKey: 'n2' }),
      ],
      new HealthMarks('s', undefined),
    );
    expect(incidents.map((i) => i.primary.id)).toEqual(['crit', 'info']);
  });

  it('never merges incidents of two nodes that share an incident id', () => {
    const incidents = groupIncidents(
      [d('a', 1000), d('b', 1000, { nodeKey: 'n2', nodeName: 'n2' })],
      new HealthMarks('s', undefined),
    );
    expect(incidents.map((i) => i.diagnoses.map((x) => x.id))).toEqual([['a'], ['b']]);
  });
});
