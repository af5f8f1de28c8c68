import { describe, expect, it } from 'vitest';

import { formatFragment, mergeNav, parseFragment, type NavState } from './fragment.js';

const FULL: NavState = {
  conn: 'c-1',
  view: 'engines',
  node: 'node 7/α',
  device: 'GPU-3',
  from: 1_764_000_000_000,
  to: 1_764_000_600_000,
  color: 'device.utilization',
  group: 'model',
  sort: 'value',
  vendor: 'nvidia',
  model: 'NVIDIA H100 80GB HBM3',
  health: 'alarm',
  q: 'a&b=c #d+e',
};

describe('navigation fragment', () => {
  it('round-trips every key through format and parse', () => {
    const hash = formatFragment('#token=abc', FULL);
    expect(parseFragment(hash)).toEqual(FULL);
  });

  it('keeps the token part byte for byte, first, with + and % unchanged', () => {
    const hash = formatFragment('#token=a+b%2Fc&conn=old', { conn: 'new', view: 'fleet' });
    expect(hash).toBe('#token=a+b%2Fc&conn=new&view=fleet');
  });

  it('leaves the token out of a shareable fragment', () => {
    expect(formatFragment('#token=secret', { view: 'latency' }, { withToken: false })).toBe(
      '#view=latency',
    );
    expect(formatFragment('#token=secret', {}, { withToken: false })).toBe('');
  });

  it('does not read the token as a place', () => {
    expect(parseFragment('#token=conn%3Dx')).toEqual({});
  });

  it('ignores unknown keys and values a key does not allow', () => {
    expect(
      parseFragment(
        '#evil=1&view=admin&group=everything&sort=__proto__&health=fine&from=-5&to=abc&conn=a%20b',
      ),
    ).toEqual({});
  });

  it('drops a device without its node, and a range that ends before it starts', () => {
    expect(parseFragment('#device=GPU-1&from=200&to=100')).toEqual({});
  });

  it('drops values with control characters or beyond 256 characters', () => {
    expect(parseFragment(`#q=${'x'.repeat(257)}&model=a%00b&node=n%0A&device=d`)).toEqual({});
  });

  it('names the Profiles view', () => {
    expect(parseFragment('#token=t&view=profiles').view).toBe('profiles');
    expect(formatFragment('', { view: 'profiles' })).toBe('#view=profiles');
  });

  it('survives broken percent-encoding without throwing', () => {
    expect(() => parseFragment('#q=%E0%A4%A&conn=%%%')).not.toThrow();
    expect(parseFragment('#view=fleet&q=%zz').view).toBe('fleet');
  });

  it('merges a patch, removing keys set to undefined', () => {
    const state = mergeNav(FULL, { node: undefined, device: undefined, view: 'fleet' });
    expect(state.node).toBeUndefined();
    expect(state.device).toBeUndefined();
    expect(state.view).toBe('fleet');
    expect(state.conn).toBe('c-1');
  });

  it('writes a relative range as now-<span> and reads it back as that span', () => {
    const hash = formatFragment('', { view: 'latency', span: '6h' });
    expect(hash).toBe('#view=latency&from=now-6h&to=now');
    expect(parseFragment(hash)).toEqual({ view: 'latency', span: '6h' });
  });

  it('ignores a relative range with a span the picker does not offer, or not ending now', () => {
    expect(parseFragment('#from=now-9y&to=now').span).toBeUndefined();
    expect(parseFragment('#from=now-1h&to=now-5m').span).toBeUndefined();
    expect(parseFragment('#from=now-1h').span).toBeUndefined();
  });

  it('replaces an absolute range by a relative one when the patch sets a span', () => {
    const state = mergeNav(FULL, { from: undefined, to: undefined, span: '15m' });
    expect(formatFragment('', state)).toContain('from=now-15m&to=now');
    expect(parseFragment(formatFragment('', state)).from).toBeUndefined();
  });
});
