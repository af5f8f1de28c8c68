/**
 * Clocks a console must not believe (issue 10, "One bad clock poisons a node"): a copy of a good
 * node's own message stamped an hour ahead or at 1e300 with a spoofed value (before the fix it
 * pinned that value and made the node's real data look stale), a negative stamp (refused by the
 * schema), and a node whose clock steps back ten minutes mid-stream, as a real NTP step does.
 */
import type { MetricsMessage } from '../../../collector/core/protocol/spec.js';
import { subjectFor } from '../../../collector/core/protocol/subjects.js';
import type { Rng } from '../../../collector/simulator/prng.js';
import { jsonPublication, type Publication } from './publication.js';
import { deviceGrid, metricsOf, type NodeIdentity } from './wire.js';

export const HOUR_MS = 3_600_000;
/** How far the stepping node's clock jumps back: beyond the console's 5-minute default skew. */
export const STEP_BACK_MS = 10 * 60_000;
/** A value no simulated device reports (utilisation stays within 0–100 %). */
export const SPOOFED_VALUE = 123_456;

/** The good node's own latest message, restamped, every grid value replaced by SPOOFED_VALUE. */
export function spoofedCopies(latest: MetricsMessage, now: number): Publication[] {
  const subject = subjectFor('metrics', latest.cluster, latest.node);
  const spoof = (ts: number): MetricsMessage => ({
    ...latest,
    ts,
    seq: latest.seq + 1,
    grids: latest.grids?.map((g) => ({ ...g, v: g.v.map(() => SPOOFED_VALUE) })),
    samples: [],
  });
  return [
    jsonPublication(
      subject,
      spoof(now + HOUR_MS),
      'a good node restamped 1 h ahead, spoofed values',
    ),
    jsonPublication(subject, spoof(1e300), 'a good node stamped 1e300, spoofed values'),
    jsonPublication(subject, { ...spoof(now), ts: -HOUR_MS }, 'a negative ts'),
  ];
}

/**
 * Tick `k` of a node whose clock is right until `stepAt`, then STEP_BACK_MS behind: it keeps
 * sending every second, so its data is current whatever its stamps say.
 */
export function steppingClock(
  id: NodeIdentity,
  k: number,
  stepAt: number,
  now: number,
  rng: Rng,
): Publication {
  const ts = k < stepAt ? now : now - STEP_BACK_MS;
  return jsonPublication(
    subjectFor('metrics', id.cluster, id.node),
    metricsOf(id, ts, k, [deviceGrid(id, rng)]),
    k < stepAt ? 'stepping clock, before the step' : 'stepping clock, 10 min back',
  );
}
