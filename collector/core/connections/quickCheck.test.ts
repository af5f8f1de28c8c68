import { describe, expect, it } from 'vitest';

import { quickConnectionCheck } from './quickCheck.js';
import { validateConnectionInput } from './validateConnection.js';

const NATS = { name: 'prod', kind: 'nats', natsUrl: 'wss://nats.example:443', auth: 'none' };

describe('quickConnectionCheck (compiled schema check + rules, no TypeBox)', () => {
  it.each([
    ['a NATS connection', NATS],
    [
      'a Prometheus-only connection',
      {
        name: 'p',
        kind: 'nats',
        auth: 'none',
        prometheus: { url: 'https://prom.example', auth: 'bearer' },
        prometheusSecret: ' t ',
      },
    ],
    [
      'with an Eagle Eye mapping',
      {
        ...NATS,
        eagleEye: {
          enabled: true,
          mapping: {
            identity: { engine: 'e', node: 'n' },
            metrics: [{ metric: 'engine.requests.running', path: 'a.b' }],
          },
        },
      },
    ],
  ])('accepts %s exactly as the full check does, trimmed the same', (_what, value) => {
    const full = validateConnectionInput(value);
    expect(full.ok).toBe(true);
    expect(quickConnectionCheck(value)).toEqual(full);
  });

  it.each([
    ['a NATS URL that is not ws://', { ...NATS, natsUrl: 'nats://n:4222' }],
    ['a blank name', { ...NATS, name: '   ' }],
    ['a user without user-password', { ...NATS, user: 'bob' }],
    [
      'a mapping naming a metric twice',
      {
        ...NATS,
        eagleEye: {
          enabled: true,
          mapping: {
            identity: { engine: 'e', node: 'n' },
            metrics: [
              { metric: 'engine.requests.running', path: 'a' },
              { metric: 'engine.requests.running', path: 'b' },
            ],
          },
        },
      },
    ],
  ])(
    'refuses %s with the same fields as the full check (a rule, past the schema)',
    (_what, value) => {
      const full = validateConnectionInput(value);
      expect(full.ok).toBe(false);
      expect(quickConnectionCheck(value)).toEqual(full);
    },
  );

  it.each([
    ['an unknown field', { ...NATS, colour: 'red' }],
    ['a wrong type', { ...NATS, name: 7 }],
    ['a missing field', { kind: 'nats', auth: 'none' }],
    ['an unknown auth kind', { ...NATS, auth: 'kerberos' }],
  ])('cannot tell for %s (a schema failure): the full check names the field', (_what, value) => {
    expect(validateConnectionInput(value).ok).toBe(false);
    expect(quickConnectionCheck(value)).toBeUndefined();
  });
});
