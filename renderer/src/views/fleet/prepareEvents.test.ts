import { describe, expect, it } from 'vitest';

import { LiveStore } from '../../store/LiveStore.js';
import { events, H100, inventory, metrics } from '../../testing/messages.js';
import { prepareEvents } from './prepareEvents.js';

describe('prepareEvents', () => {
  it('lists events newest first, on the local clock, with device labels', () => {
    const store = new LiveStore();
    store.ingest({
      receivedAt: 11_000,
      messages: [
        inventory([H100]),
        metrics(1000, []),
        events(1000, [
          { ts: 900, kind: 'probe', severity: 'info', message: 'nvidia-smi: starting → ok' },
          {
            ts: 950,
            kind: 'xid',
            severity: 'critical',
            message: 'Xid 79: GPU fell off the bus',
            d: H100.id,
          },
        ]),
      ],
    });
    expect(
      prepareEvents(store).map((e) => [e.at, e.severity, e.severityText, e.device, e.message]),
    ).toEqual([
      [10_950, 'critical', 'Critical', 'GPU 0', 'Xid 79: GPU fell off the bus'],
      [10_900, 'info', 'Info', undefined, 'nvidia-smi: starting → ok'],
    ]);
  });
});
