import { describe, expect, it } from 'vitest';

import { natsSourceFactory } from '../sources/defaultSourceFactories.js';
import { capabilities, NO_CAPABILITIES } from '../sources/SourceFactory.js';
import { clusterPageFeatures } from './sourceFeatures.js';

describe('clusterPageFeatures', () => {
  it('shows Latency only with history', () => {
    expect(clusterPageFeatures(capabilities('history'), true).tabs).toEqual([
      'fleet',
      'engines',
      'latency',
    ]);
    expect(clusterPageFeatures(capabilities('record', 'seek'), true).tabs).toEqual([
      'fleet',
      'engines',
    ]);
  });

  it('offers Record only with the record capability and a source to record from', () => {
    expect(clusterPageFeatures(capabilities('record'), true).record).toBe(true);
    expect(clusterPageFeatures(capabilities('record'), false).record).toBe(false);
    expect(clusterPageFeatures(capabilities('history'), true).record).toBe(false);
    expect(clusterPageFeatures(NO_CAPABILITIES, true)).toEqual({
      tabs: ['fleet', 'engines'],
      record: false,
    });
  });

  it('keeps a NATS connection page as it was: all three tabs and Record', () => {
    expect(clusterPageFeatures(natsSourceFactory.capabilities, true)).toEqual({
      tabs: ['fleet', 'engines', 'latency'],
      record: true,
    });
  });
});
