import { describe, expect, it } from 'vitest';

import { LiveStore } from '../store/LiveStore.js';
import { H100, inventory } from '../testing/messages.js';
import { FakeSource } from './FakeSource.js';

describe('FakeSource', () => {
  it('feeds a store like a real source and reports the status it is given', () => {
    const source = new FakeSource('fake', 'Fake', () => 42);
    const store = new LiveStore();
    const unsubscribe = source.subscribe((batch) => store.ingest(batch));
    source.start();
    source.emit([inventory([H100])]);
    source.setPresence('live');
    source.addProblem('decode:schema', 'message rejected');
    expect(store.node('box')?.devices).toEqual([H100]);
    expect(store.lastReceivedAt).toBe(42);
    expect(source.status.presence).toEqual({ state: 'live', since: 42 });
    expect(source.status.problems).toHaveLength(1);
    unsubscribe();
    source.stop();
    source.emit([inventory([])]);
    expect(store.node('box')?.devices).toEqual([H100]);
    expect([source.started, source.stopped, source.status.presence.state]).toEqual([
      true,
      true,
      'closed',
    ]);
  });
});
