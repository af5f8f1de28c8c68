import { describe, expect, it } from 'vitest';

import { rateLine } from './rateLine.js';

describe('rateLine', () => {
  const base = {
    nodes: 512,
    ms: 10_000,
    messages: 10_240,
    samples: 1_420_000,
    bytes: 130 * 1024 * 1024,
    maxLagMs: 3.4,
    meanTickMs: 22.61,
    dropped: 0,
    skipped: 0,
  };

  it('says nodes, messages/s, samples/s and lag', () => {
    expect(rateLine(base)).toBe(
      'sim: 512 nodes, 1.0k msgs/s, 142k samples/s, lag 3 ms (tick 22.6 ms, 13.0 MB/s)',
    );
  });

  it('adds drops and skipped ticks only when there are some', () => {
    expect(rateLine({ ...base, dropped: 40, skipped: 2 })).toMatch(
      /, 40 messages dropped while NATS was unreachable, 2 ticks skipped to catch up$/,
    );
  });

  it('survives an empty window', () => {
    expect(rateLine({ ...base, ms: 0 })).toMatch(/0 msgs\/s, 0 samples\/s/);
  });
});
