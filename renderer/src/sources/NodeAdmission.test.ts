import { describe, expect, it } from 'vitest';

import { NodeAdmission } from './NodeAdmission.js';

function setup(opts: { perSecond?: number; burst?: number; maxKnown?: number } = {}) {
  const clock = { now: 0 };
  const admission = new NodeAdmission({ now: () => clock.now, ...opts });
  return { clock, admission };
}

describe('NodeAdmission', () => {
  it('admits a burst of new nodes at once, then refuses new ones until tokens refill', () => {
    const { clock, admission } = setup({ perSecond: 4, burst: 3 });
    expect(['a', 'b', 'c', 'd'].map((n) => admission.admit(n))).toEqual([true, true, true, false]);
    clock.now = 249;
    expect(admission.admit('d')).toBe(false);
    clock.now = 250;
    expect(admission.admit('d')).toBe(true);
    expect(admission.admit('e')).toBe(false);
    expect(admission.refused).toBe(3);
  });

  it('lets nodes it knows through whatever the bucket holds', () => {
    const { admission } = setup({ perSecond: 1, burst: 2 });
    admission.admit('a');
    admission.admit('b');
    expect(admission.admit('new')).toBe(false);
    expect([admission.admit('a'), admission.admit('b'), admission.admit('a')]).toEqual([
      true,
      true,
      true,
    ]);
  });

  it('refills no further than the burst, however long it was quiet', () => {
    const { clock, admission } = setup({ perSecond: 10, burst: 2 });
    admission.admit('a');
    admission.admit('b');
    clock.now = 3_600_000;
    expect(['c', 'd', 'e'].map((n) => admission.admit(n))).toEqual([true, true, false]);
  });

  it('admits a 512-node fleet connecting at once with the defaults, and 64 a second after 1,024', () => {
    const { clock, admission } = setup();
    const fleet = Array.from({ length: 512 }, (_, i) => admission.admit(`node-${i}`));
    expect(fleet.every(Boolean)).toBe(true);
    const flood = Array.from({ length: 1000 }, (_, i) => admission.admit(`flood-${i}`));
    expect(flood.filter(Boolean)).toHaveLength(512);
    clock.now = 1000;
    const next = Array.from({ length: 100 }, (_, i) => admission.admit(`later-${i}`));
    expect(next.filter(Boolean)).toHaveLength(64);
  });

  it('forgets the least recently seen node past maxKnown, which then needs a token again', () => {
    const { admission } = setup({ perSecond: 1, burst: 3, maxKnown: 2 });
    admission.admit('a');
    admission.admit('b');
    admission.admit('a');
    admission.admit('c'); // forgets b, the least recently seen
    expect(admission.admit('a')).toBe(true);
    expect(admission.admit('b')).toBe(false);
  });

  it('names the limit and the count in its problem', () => {
    const { admission } = setup({ burst: 0 });
    for (let i = 0; i < 1204; i++) admission.admit(`n${i}`);
    expect(admission.problem).toBe(
      '1,204 messages from new nodes refused: more than 64 new nodes a second on this connection',
    );
  });
});
