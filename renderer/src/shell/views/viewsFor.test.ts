import { describe, expect, it } from 'vitest';

import { capabilities } from '../../sources/SourceFactory.js';
import { shownView, viewsFor, visibleViews } from './viewsFor.js';

describe('viewsFor', () => {
  it('offers Latency only to a source with history', () => {
    expect(viewsFor(capabilities('record'))).toEqual([
      'fleet',
      'health',
      'engines',
      'host',
      'profiles',
    ]);
    expect(viewsFor(capabilities('history'))).toEqual([
      'fleet',
      'health',
      'engines',
      'host',
      'latency',
      'profiles',
    ]);
  });
});

describe('visibleViews', () => {
  const offered = viewsFor(capabilities('history'));

  it('hides Host until some node publishes host metrics', () => {
    expect(visibleViews(offered, false, undefined)).toEqual([
      'fleet',
      'health',
      'engines',
      'latency',
      'profiles',
    ]);
    expect(visibleViews(offered, true, undefined)).toEqual(offered);
  });

  it('keeps Host when a link asked for it before the first message', () => {
    expect(visibleViews(offered, false, 'host')).toEqual(offered);
  });
});

describe('shownView', () => {
  it('shows the chosen view where offered, else the first', () => {
    expect(shownView(['fleet', 'engines', 'host'], 'host')).toBe('host');
    expect(shownView(['fleet', 'engines'], 'latency')).toBe('fleet');
    expect(shownView(['fleet', 'engines'], undefined)).toBe('fleet');
  });
});
