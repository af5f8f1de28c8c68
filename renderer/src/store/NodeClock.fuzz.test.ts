/**
 * Seeded property-based runs of NodeClock (issue 10, "honest time"): a good sender with any skew
 * within the limit and delivery jitter, with one arbitrary stamp among its messages, a persistent
 * clock step, or any stamps at all. The seed is fixed so a failure reproduces; fast-check prints
 * the shrunk counterexample, which then becomes a plain test in NodeClock.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { NodeClock, type Placement } from './NodeClock.js';

const RUNS = { seed: 0x7e11c0, numRuns: 400 };
const SKEW = 300_000;
const MESSAGES = 30;
/** Delivery jitter of the generated senders (ms); ages and lag may be off by this much. */
const JITTER = 200;

interface Sent {
  ts: number;
  receivedAt: number;
}

/** A sender: skew within ±4 min, 2 or 1 Hz, each message delivered within JITTER. */
const sender = fc.record({
  skew: fc.integer({ min: -240_000, max: 240_000 }),
  interval: fc.constantFrom(500, 1000),
  delays: fc.array(fc.integer({ min: 0, max: JITTER }), {
    minLength: MESSAGES,
    maxLength: MESSAGES,
  }),
  start: fc.integer({ min: 1_000_000_000_000, max: 2_000_000_000_000 }),
});

type Sender = typeof sender extends fc.Arbitrary<infer T> ? T : never;

/** Message i of a sender whose clock reads `clockShift` more than true time from `stepAt` on. */
function message(s: Sender, i: number, clockShift = 0, stepAt = MESSAGES): Sent {
  const trueTime = s.start + i * s.interval;
  const ts = trueTime - s.skew + (i >= stepAt ? clockShift : 0);
  return { ts, receivedAt: trueTime + s.delays[i]! };
}

interface Step {
  at: number;
  how: Placement;
  newest: number;
  offset: number;
  lag: number;
  receivedAt: number;
}

function feed(clock: NodeClock, sent: Sent[], interval: number): Step[] {
  return sent.map(({ ts, receivedAt }) => {
    clock.observe(ts, receivedAt);
    const at = clock.place(ts, receivedAt, interval);
    return {
      at,
      how: clock.lastPlacement,
      newest: clock.newest!,
      offset: clock.clockOffset,
      lag: clock.lag,
      receivedAt,
    };
  });
}

/** How old a placed message is at its own receipt, on the local clock. */
const ageAtReceipt = (s: Step) => s.receivedAt - (s.at + s.offset);

/** Any stamp a hostile or broken sender could put in place of a good one. */
const badStamp = (good: number) =>
  fc.oneof(
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1e300, 0),
    fc.double({ noNaN: false }),
    fc.integer({ min: 3000, max: 36_000_000 }).map((d) => good + d),
    fc.integer({ min: 3000, max: 36_000_000 }).map((d) => good - d),
  );

describe('NodeClock under seeded property runs', () => {
  it('one arbitrary stamp among good messages: every good message keeps its stamp and is the newest', () => {
    fc.assert(
      fc.property(sender, fc.integer({ min: 3, max: MESSAGES - 2 }), fc.integer(), (s, k, pick) => {
        const sent = Array.from({ length: MESSAGES }, (_, i) => message(s, i));
        const outlier = fc.sample(badStamp(sent[k]!.ts), { seed: pick, numRuns: 1 })[0]!;
        sent[k] = { ...sent[k]!, ts: outlier };
        const steps = feed(new NodeClock(SKEW), sent, s.interval);
        steps.forEach((step, i) => {
          expect(Number.isFinite(step.at) && Number.isFinite(step.offset)).toBe(true);
          if (i === k) return;
          expect(step.how).toBe('own');
          expect(step.at).toBe(sent[i]!.ts);
          expect(step.newest).toBe(step.at);
          expect(Math.abs(ageAtReceipt(step))).toBeLessThanOrEqual(JITTER);
          expect(step.lag).toBeLessThanOrEqual(JITTER);
        });
      }),
      RUNS,
    );
  });

  it('a clock step of 3 s to 4 min, back or forward, is taken: the sender is current again', () => {
    fc.assert(
      fc.property(
        sender,
        fc.integer({ min: 5, max: 12 }),
        fc.integer({ min: 3000, max: 240_000 }),
        fc.boolean(),
        (s, k, size, back) => {
          const shift = back ? -size : size;
          // Within the skew limit after the step too (beyond it, every message is 'skewed').
          fc.pre(Math.abs(s.skew - shift) + JITTER < SKEW);
          // A step back shorter than three messages is over before the offset takes it
          // (NodeClock.place): its lag is not claimed here.
          fc.pre(!back || size >= 3 * s.interval);
          const sent = Array.from({ length: MESSAGES }, (_, i) => message(s, i, shift, k));
          const steps = feed(new NodeClock(SKEW), sent, s.interval);
          // Taken by the third message; a small step back leaves up to 2 s (the tolerance) of
          // stamps older than the newest held, which history skips.
          const settled = k + 3 + Math.ceil(2000 / s.interval);
          for (const step of steps.slice(settled)) {
            expect(step.how).toBe('own');
            expect(step.newest).toBe(step.at);
            expect(Math.abs(ageAtReceipt(step))).toBeLessThanOrEqual(JITTER);
            expect(step.lag).toBeLessThanOrEqual(JITTER);
          }
          // Never placed in the future, nor behind what is held.
          for (let i = 1; i < steps.length; i++) {
            expect(steps[i]!.newest).toBeGreaterThanOrEqual(steps[i - 1]!.newest);
            expect(ageAtReceipt(steps[i]!)).toBeGreaterThanOrEqual(-2000);
          }
        },
      ),
      RUNS,
    );
  });

  it('any stamps at all: every time is finite, newest never goes back, lag within the limit', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            stamp: fc.oneof(fc.double(), fc.integer({ min: -400_000, max: 400_000 })),
            relative: fc.boolean(),
            gap: fc.integer({ min: 0, max: 2000 }),
          }),
          { minLength: 1, maxLength: 60 },
        ),
        (items) => {
          const clock = new NodeClock(SKEW);
          let now = 1_700_000_000_000;
          let newest = Number.NEGATIVE_INFINITY;
          for (const { stamp, relative, gap } of items) {
            now += gap;
            const ts = relative ? now + stamp : stamp;
            clock.observe(ts, now);
            const at = clock.place(ts, now, 500);
            expect([at, clock.clockOffset, clock.lag, clock.newest].every(Number.isFinite)).toBe(
              true,
            );
            expect(clock.newest!).toBeGreaterThanOrEqual(newest);
            newest = clock.newest!;
            expect(clock.lag).toBeGreaterThanOrEqual(0);
            expect(clock.lag).toBeLessThanOrEqual(SKEW);
            expect(Number.isFinite(clock.sampleTime(ts))).toBe(true);
          }
        },
      ),
      RUNS,
    );
  });
});
