/**
 * Seeded property-based fuzzing of subject handling (issue 10, deliverable 7): subjects arrive from
 * any publisher, names from any config. parseSubject must split only Osprey subjects and never
 * throw; subjectFor must always build a subject NATS accepts that parseSubject reads back.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { parseSubject, subjectFor, subjectToken } from './subjects.js';

const RUNS = { seed: 0x05b7e7, numRuns: 2000 };
const TYPES = ['inventory', 'metrics', 'events'] as const;

const token = fc.oneof(
  fc.constantFrom(
    'osprey',
    'v1',
    'v2',
    'metrics',
    'inventory',
    'events',
    'profiles',
    '__proto__',
    'constructor',
    'toString',
    '*',
    '>',
    '',
    ' ',
    '\u202E',
  ),
  fc.string({ maxLength: 8, unit: 'binary' }),
);

describe('subjects under fuzzing (seeded)', () => {
  it('parseSubject answers any subject with its parts or undefined, never a throw', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 7 }), (tokens) => {
        const subject = tokens.join('.');
        const parts = parseSubject(subject);
        if (parts === undefined) return;
        expect(TYPES).toContain(parts.type);
        expect(parts.cluster.length).toBeGreaterThan(0);
        expect(parts.node.length).toBeGreaterThan(0);
        expect(subject).toBe(`osprey.v1.${parts.type}.${parts.cluster}.${parts.node}`);
      }),
      RUNS,
    );
  });

  it('subjectFor builds five NATS-safe tokens that parseSubject reads back', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...TYPES),
        fc.string({ maxLength: 20, unit: 'binary' }),
        fc.string({ maxLength: 20, unit: 'binary' }),
        (type, cluster, node) => {
          const subject = subjectFor(type, cluster, node);
          expect(subject).not.toMatch(/[*>\s]/);
          expect(parseSubject(subject)).toEqual({
            type,
            cluster: subjectToken(cluster),
            node: subjectToken(node),
          });
        },
      ),
      RUNS,
    );
  });
});
