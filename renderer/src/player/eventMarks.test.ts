import { describe, expect, it } from 'vitest';
import { events, metrics } from '../testing/messages.js';
import { EventMarkCollector } from './eventMarks.js';

describe('EventMarkCollector', () => {
  it('marks each event record at its message receipt time, with node, device and text', () => {
    const c = new EventMarkCollector();
    c.add({ receiveTime: 5000, message: metrics(4990, []) });
    c.add({
      receiveTime: 7000,
      message: events(
        6990,
        [
          { ts: 6980, kind: 'xid', severity: 'critical', message: '<b>XID 79</b>', d: 'GPU-1' },
          { ts: 6985, kind: 'throttle', severity: 'warning', message: 'power cap' },
        ],
        'n1',
      ),
    });
    expect(c.marks).toEqual([
      {
        time: 7000,
        cluster: 'local',
        node: 'n1',
        device: 'GPU-1',
        kind: 'xid',
        severity: 'critical',
        message: '<b>XID 79</b>',
      },
      {
        time: 7000,
        cluster: 'local',
        node: 'n1',
        kind: 'throttle',
        severity: 'warning',
        message: 'power cap',
      },
    ]);
  });

  it('keeps at most max marks and counts the rest', () => {
    const c = new EventMarkCollector(3);
    for (let i = 0; i < 10; i++) {
      c.add({
        receiveTime: i,
        message: events(i, [{ ts: i, kind: 'probe', severity: 'info', message: `e${i}` }]),
      });
    }
    expect(c.marks.map((m) => m.message)).toEqual(['e0', 'e1', 'e2']);
    expect(c.omitted).toBe(7);
  });
});
