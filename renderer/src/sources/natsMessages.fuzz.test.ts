/**
 * Seeded property-based fuzzing of what the console does with one NATS message (issue 10,
 * deliverable 7): any subject (odd tokens, wildcards, huge tokens, prototype keys) with any body.
 * checkNatsMessage must accept only a message whose body agrees with its subject, and otherwise
 * give a problem whose key (which groups repeats) and message stay short, never a throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { subjectFor } from '../../../collector/core/protocol/subjects.js';
import { metrics } from '../testing/messages.js';
import { checkNatsMessage } from './natsMessages.js';

const RUNS = { seed: 0x05b7e7, numRuns: 2000 };
const MAX_KEY = 200;
const MAX_MESSAGE = 1500;

const token = fc.oneof(
  fc.constantFrom(
    'osprey',
    'v1',
    'metrics',
    'inventory',
    'events',
    'local',
    'box',
    '__proto__',
    'constructor',
    '*',
    '>',
    '',
    '\u202E',
    'x'.repeat(5000),
  ),
  fc.string({ maxLength: 8, unit: 'binary' }),
);
const subject = fc.oneof(
  fc.array(token, { maxLength: 7 }).map((t) => t.join('.')),
  fc.tuple(token, token).map(([c, n]) => `osprey.v1.metrics.${c}.${n}`),
);
const body = fc.oneof(
  fc.string({ maxLength: 100 }),
  fc.constant(JSON.stringify(metrics(1, []))),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
);

describe('checkNatsMessage under fuzzing (seeded)', () => {
  it('accepts only bodies that agree with their subject; problems stay short', () => {
    fc.assert(
      fc.property(subject, body, (s, b) => {
        const verdict = checkNatsMessage(s, b);
        if (verdict.ok) {
          const m = verdict.message;
          expect(subjectFor(m.type, m.cluster, m.node)).toBe(s);
          return;
        }
        expect(verdict.key.length).toBeLessThanOrEqual(MAX_KEY);
        expect(verdict.message.length).toBeLessThanOrEqual(MAX_MESSAGE);
      }),
      RUNS,
    );
  });
});
