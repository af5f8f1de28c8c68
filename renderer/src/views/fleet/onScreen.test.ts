import { describe, expect, it } from 'vitest';

import { H100, inventory, metrics } from '../../testing/messages.js';
import { LiveStore } from '../../store/LiveStore.js';
import { nodesOnScreen } from './onScreen.js';
import { prepareFleetLayout } from './prepareFleetLayout.js';

describe('nodesOnScreen', () => {
  it('lists every heatmap row and the drawer’s node, and the store keeps them through a flood', () => {
    const store = new LiveStore({ limits: { maxNodes: 3, evictableAfterMs: 1000 } });
    store.ingest({
      receivedAt: 0,
      messages: [
        inventory([H100], undefined, { node: 'a' }),
        inventory([H100], undefined, { node: 'b' }),
      ],
    });
    const layout = prepareFleetLayout(store, {
      metric: 'device.utilization',
      group: 'none',
      sort: 'node',
      filter: {},
    });
    expect([...nodesOnScreen(layout, 'b')]).toEqual(['a', 'b']);
    // A drawer may stay open on a node the heatmap no longer draws (say, it lost its devices).
    const shown = nodesOnScreen(layout, 'x');
    expect([...shown]).toEqual(['a', 'b', 'x']);
    store.retain(shown);
    // Both are silent past evictableAfterMs, but on screen: new nodes are refused, not let in.
    store.ingest({
      receivedAt: 60_000,
      messages: ['c', 'd', 'e'].map((node) =>
        metrics(60_000, [{ m: 'device.utilization', v: 1, d: H100.id }], { node }),
      ),
    });
    expect(store.nodes().map((n) => n.node)).toEqual(['a', 'b', 'c']);
  });
});
