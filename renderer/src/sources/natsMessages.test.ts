import { describe, expect, it } from 'vitest';

import { checkNatsMessage } from './natsMessages.js';

const metrics = {
  v: 1,
  cluster: 'prod',
  node: 'n1',
  ts: 1,
  seq: 0,
  type: 'metrics',
  interval: 1000,
  samples: [{ m: 'device.utilization', v: 87, d: 'GPU-1' }],
};

describe('checkNatsMessage', () => {
  it('counts a v1 subject of an unknown type by type and cluster, not as a foreign subject', () => {
    const verdict = checkNatsMessage('osprey.v1.alerts.prod.n1', JSON.stringify(metrics));
    expect(verdict).toEqual({
      ok: false,
      key: 'unknown-type:alerts.prod',
      message: 'unknown message type "alerts" on osprey.v1.alerts.prod.n1 (a newer sender?)',
      node: 'n1',
    });
  });

  it('counts an unknown body type by type and cluster', () => {
    const body = JSON.stringify({ ...metrics, type: 'alerts' });
    const verdict = checkNatsMessage('osprey.v1.metrics.prod.n1', body);
    expect(verdict).toMatchObject({ ok: false, key: 'unknown-type:alerts.prod', node: 'n1' });
  });

  it('accepts a message with an unknown field and drops the field', () => {
    const body = JSON.stringify({ ...metrics, region: 'eu-west' });
    expect(checkNatsMessage('osprey.v1.metrics.prod.n1', body)).toEqual({
      ok: true,
      message: metrics,
    });
  });

  // Found by natsMessages.fuzz.test.ts: the key that groups repeats held the whole token.
  it('keeps the problem key and message short for a 5,000-character subject token', () => {
    const token = 'x'.repeat(5000);
    const foreign = checkNatsMessage(token, '{}');
    const osprey = checkNatsMessage(`osprey.v1.metrics.${token}.box`, '{');
    expect(foreign).toMatchObject({ ok: false, key: `subject:${'x'.repeat(100)}…` });
    expect(osprey).toMatchObject({ ok: false, key: `not-json:metrics.${'x'.repeat(92)}…` });
    if (osprey.ok) return;
    expect(osprey.message.startsWith(`not JSON on osprey.v1.metrics.${'x'.repeat(182)}…: `)).toBe(
      true,
    );
  });
});
