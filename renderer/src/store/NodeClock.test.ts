import { describe, expect, it } from 'vitest';

import { NodeClock } from './NodeClock.js';

const SKEW = 300_000;
const INTERVAL = 1000;

/** A sender at 1 Hz whose messages arrive 50 ms after their stamp (plus `skew` on our clock). */
function sender(clock: NodeClock, skew = 0) {
  let ts = 1_000_000;
  const send = (stamp = ts, delay = 50) => {
    const receivedAt = ts + skew + delay;
    clock.observe(stamp, receivedAt);
    const at = clock.place(stamp, receivedAt, INTERVAL);
    ts += INTERVAL;
    return { at, receivedAt, how: clock.lastPlacement };
  };
  return { send, now: () => ts };
}

describe('NodeClock', () => {
  it('keeps a steady sender’s own stamps, and its offset turns them into local times', () => {
    const clock = new NodeClock(SKEW);
    const s = sender(clock, 120_000);
    const placed = [s.send(), s.send(), s.send()];
    expect(placed.map((p) => p.how)).toEqual(['own', 'own', 'own']);
    expect(placed.map((p) => p.at)).toEqual([1_000_000, 1_001_000, 1_002_000]);
    expect(clock.clockOffset).toBe(120_050);
    expect(clock.newest).toBe(1_002_000);
  });

  it('places a message stamped an hour ahead at its arrival, and keeps the good ones after it', () => {
    const clock = new NodeClock(SKEW);
    const s = sender(clock);
    s.send();
    s.send();
    const spoofed = s.send(s.now() + 3_600_000);
    expect(spoofed.how).toBe('skewed');
    // Arrival on the node's timeline: receipt minus the offset (50 ms).
    expect(spoofed.at).toBe(spoofed.receivedAt - 50);
    const next = s.send();
    expect(next.how).toBe('own');
    expect(next.at).toBeGreaterThan(spoofed.at);
    expect(clock.newest).toBe(next.at);
    expect(clock.clockOffset).toBe(50);
  });

  it('places 1e300 and NaN stamps at arrival, with every time finite', () => {
    const clock = new NodeClock(SKEW);
    const s = sender(clock);
    s.send();
    const huge = s.send(1e300);
    const nan = s.send(Number.NaN);
    expect([huge.how, nan.how]).toEqual(['skewed', 'skewed']);
    expect([huge.at, nan.at]).toEqual([huge.receivedAt - 50, nan.receivedAt - 50]);
    expect([clock.clockOffset, clock.lag, clock.newest].every(Number.isFinite)).toBe(true);
  });

  it('places messages of a sender with no plausible stamp at all at their arrival', () => {
    const clock = new NodeClock(SKEW);
    const s = sender(clock, -3_600_000);
    const placed = [s.send(), s.send()];
    expect(placed.map((p) => [p.how, p.at])).toEqual([
      ['skewed', placed[0]!.receivedAt],
      ['skewed', placed[1]!.receivedAt],
    ]);
    expect(clock.clockOffset).toBe(0);
  });

  it('places one stamp ahead within the skew limit at its arrival, not as the newest for 4 min', () => {
    const clock = new NodeClock(SKEW);
    const s = sender(clock);
    s.send();
    s.send();
    const ahead = s.send(s.now() + 240_000);
    expect(ahead.how).toBe('ahead');
    expect(ahead.at).toBe(ahead.receivedAt - 50);
    const next = s.send();
    expect([next.how, next.at]).toEqual(['own', next.receivedAt - 50]);
  });

  it('continues the timeline when the sender’s clock steps back, once the step persists', () => {
    const clock = new NodeClock(SKEW);
    const s = sender(clock);
    for (let i = 0; i < 5; i++) s.send();
    const before = clock.newest!;
    const offsetBefore = clock.clockOffset;
    // From now on the sender stamps 30 s less.
    const after = [0, 1, 2, 3].map(() => s.send(s.now() - 30_000));
    expect(after.map((p) => p.how)).toEqual(['own', 'own', 'stepped', 'own']);
    // The first two are older than what is held (history keeps them out); then it continues.
    expect(after[0]!.at).toBeLessThan(before);
    expect(after[2]!.at).toBe(before + 3000);
    expect(after[3]!.at).toBe(before + 4000);
    // Local times of what is held do not move; the step is not lag.
    expect(clock.clockOffset).toBe(offsetBefore);
    expect(clock.lag).toBe(0);
  });

  it('places every message at arrival while the sender’s clock is an hour behind', () => {
    const clock = new NodeClock(SKEW);
    const s = sender(clock);
    s.send();
    s.send();
    const late = [s.send(s.now() - 3_600_000), s.send(s.now() - 3_600_000)];
    expect(late.map((p) => [p.how, p.at])).toEqual([
      ['skewed', late[0]!.receivedAt - 50],
      ['skewed', late[1]!.receivedAt - 50],
    ]);
    expect(clock.lag).toBe(0);
  });

  it('takes a forward step of the sender’s clock after two messages placed at arrival', () => {
    const clock = new NodeClock(SKEW);
    const s = sender(clock);
    for (let i = 0; i < 5; i++) s.send();
    const after = [0, 1, 2, 3].map(() => s.send(s.now() + 30_000));
    expect(after.map((p) => p.how)).toEqual(['ahead', 'ahead', 'own', 'own']);
    expect(after[3]!.at - after[2]!.at).toBe(1000);
    expect(clock.clockOffset).toBe(50 - 30_000);
  });

  it('takes one offset per batch: a 120 s backlog keeps its own stamps and makes no lag', () => {
    const clock = new NodeClock(SKEW);
    const receivedAt = 2_000_050;
    const stamps = Array.from({ length: 120 }, (_, i) => 1_880_000 + i * 1000);
    clock.observe(stamps.at(-1)!, receivedAt);
    const placed = stamps.map((ts) => clock.place(ts, receivedAt, INTERVAL));
    expect(placed).toEqual(stamps);
    expect(clock.lastPlacement).toBe('own');
    expect(clock.lag).toBe(0);
    expect(clock.clockOffset).toBe(1050);
  });

  it('keeps a backlog’s own stamps when it is handed over in slices a few ms apart', () => {
    const clock = new NodeClock(SKEW);
    const stamps = Array.from({ length: 120 }, (_, i) => 1_880_000 + i * 1000);
    const placed: number[] = [];
    for (let slice = 0; slice < 3; slice++) {
      const receivedAt = 2_000_050 + slice * 3;
      const part = stamps.slice(slice * 40, slice * 40 + 40);
      clock.observe(part.at(-1)!, receivedAt);
      for (const ts of part) placed.push(clock.place(ts, receivedAt, INTERVAL));
    }
    expect(placed).toEqual(stamps);
    expect([clock.lag, clock.clockOffset]).toEqual([0, 1056]);
  });

  it('says how far behind the sender the console runs, ignoring one late message', () => {
    const clock = new NodeClock(SKEW);
    const s = sender(clock);
    for (let i = 0; i < 5; i++) s.send();
    s.send(undefined, 20_050);
    expect(clock.lag).toBe(0);
    for (let i = 0; i < 3; i++) s.send(undefined, 12_050);
    expect(clock.lag).toBe(12_000);
  });

  it('moves a sample’s own time with its message, never after it, and drops implausible ones', () => {
    const clock = new NodeClock(SKEW);
    const s = sender(clock);
    s.send();
    const own = s.send();
    expect(clock.sampleTime(own.at - 5000)).toBe(own.at - 5000);
    expect(clock.sampleTime(own.at + 5000)).toBe(own.at);
    expect(clock.sampleTime(1e300)).toBe(own.at);
    expect(clock.sampleTime(Number.NaN)).toBe(own.at);
    const ahead = s.send(s.now() + 240_000);
    // 10 s before its (spoofed) stamp: 10 s before where the message was placed.
    expect(clock.sampleTime(s.now() - 1000 + 240_000 - 10_000)).toBe(ahead.at - 10_000);
    const skewed = s.send(1e300);
    expect(clock.sampleTime(1e300 - 1000)).toBe(skewed.at);
  });

  it('puts event stamps on the timeline, at arrival when implausible', () => {
    const clock = new NodeClock(SKEW);
    const s = sender(clock);
    s.send();
    expect(clock.eventTime(999_000, 1_001_000)).toBe(999_000);
    expect(clock.eventTime(1e300, 1_001_000)).toBe(1_001_000 - 50);
  });

  it('refuses a skew limit that is not a positive number', () => {
    expect(() => new NodeClock(0)).toThrow(/maximum clock skew must be a positive number/);
  });
});
