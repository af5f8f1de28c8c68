import { describe, expect, it } from 'vitest';

import { localSourceFactory, natsSourceFactory } from '../sources/defaultSourceFactories.js';
import { capabilities, NO_CAPABILITIES } from '../sources/SourceFactory.js';
import { livePageFeatures } from './sourceFeatures.js';

describe('livePageFeatures', () => {
  it('offers Latency only with history', () => {
    expect(livePageFeatures(capabilities('history'), true).views).toEqual([
      'fleet',
      'health',
      'engines',
      'host',
      'latency',
      'profiles',
    ]);
    expect(livePageFeatures(capabilities('record', 'seek'), true).views).toEqual([
      'fleet',
      'health',
      'engines',
      'host',
      'profiles',
    ]);
  });

  it('offers Record only with the record capability and a source to record from', () => {
    expect(livePageFeatures(capabilities('record'), true).record).toBe(true);
    expect(livePageFeatures(capabilities('record'), false).record).toBe(false);
    expect(livePageFeatures(capabilities('history'), true).record).toBe(false);
    expect(livePageFeatures(NO_CAPABILITIES, true)).toEqual({
      views: ['fleet', 'health', 'engines', 'host', 'profiles'],
      record: false,
    });
  });

  it('gives a NATS connection every view and Record', () => {
    expect(livePageFeatures(natsSourceFactory.capabilities, true)).toEqual({
      views: ['fleet', 'health', 'engines', 'host', 'latency', 'profiles'],
      record: true,
    });
  });

  it('gives This machine the same views without Latency (no Prometheus of its own), and Record', () => {
    expect(livePageFeatures(localSourceFactory.capabilities, true)).toEqual({
      views: ['fleet', 'health', 'engines', 'host', 'profiles'],
      record: true,
    });
  });
});
