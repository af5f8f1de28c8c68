import { afterEach, describe, expect, it, vi } from 'vitest';

import { readNavigation, shareableLink, writeNavigation } from './location.js';

/** A page at `hash` whose replaceState moves it, as a browser's does. */
function page(hash: string) {
  const location = { origin: 'http://127.0.0.1:8080', pathname: '/', search: '', hash };
  const replaceState = vi.fn((_s: unknown, _t: string, url: string) => {
    location.hash = url.slice(url.indexOf('#')).replace(/^#$/, '');
  });
  const pushState = vi.fn();
  vi.stubGlobal('window', { location, history: { state: null, replaceState, pushState } });
  return { location, replaceState, pushState };
}

afterEach(() => vi.unstubAllGlobals());

describe('navigation location', () => {
  it('writes the place beside the token, unchanged, with replaceState only', () => {
    const p = page('#token=a+b%2F');
    writeNavigation({ conn: 'c1', view: 'engines' });
    writeNavigation({ node: 'n 1', device: 'GPU-0' });
    expect(p.location.hash).toBe('#token=a+b%2F&conn=c1&view=engines&node=n+1&device=GPU-0');
    expect(p.pushState).not.toHaveBeenCalled();
    expect(readNavigation()).toEqual({ conn: 'c1', view: 'engines', node: 'n 1', device: 'GPU-0' });
  });

  it('does not write when nothing changes', () => {
    const p = page('#token=t&view=latency');
    writeNavigation({ view: 'latency' });
    expect(p.replaceState).not.toHaveBeenCalled();
  });

  it('removes keys set to undefined', () => {
    const p = page('#token=t&conn=c1&node=n&device=d');
    writeNavigation({ node: undefined, device: undefined });
    expect(p.location.hash).toBe('#token=t&conn=c1');
  });

  it('shares the address without the token', () => {
    page('#token=secret&conn=c1&view=engines');
    expect(shareableLink()).toBe('http://127.0.0.1:8080/#conn=c1&view=engines');
  });
});
