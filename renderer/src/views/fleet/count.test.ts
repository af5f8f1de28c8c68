import { describe, expect, it } from 'vitest';

import { LiveStore } from '../../store/LiveStore.js';
import { H100, metrics } from '../../testing/messages.js';
import { count, storeLimitsText } from './count.js';

describe('count', () => {
  it('says 1 node, 0 nodes and 4,096 devices', () => {
    expect([count(1, 'node'), count(0, 'node'), count(4096, 'device')]).toEqual([
      '1 node',
      '0 nodes',
      '4,096 devices',
    ]);
  });
});

describe('storeLimitsText', () => {
  it('says nothing until the store refuses or evicts, then each of its own problems', () => {
    expect(storeLimitsText([])).toBeUndefined();
    expect(storeLimitsText([{ key: 'clock-skew', message: 'stamped ahead' }])).toBeUndefined();
    const store = new LiveStore({ limits: { maxSeries: 1 } });
    store.ingest({
      receivedAt: 0,
      messages: [
        metrics(1000, [
          { m: 'device.utilization', v: 1, d: H100.id },
          { m: 'device.temperature', v: 2, d: H100.id },
        ]),
      ],
    });
    expect(storeLimitsText(store.problems())).toBe(
      '1 sample refused: the console holds at most 1 series (1 node refused, sending up to 2 series a message)',
    );
  });
});
