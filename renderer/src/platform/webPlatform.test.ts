import { describe, expect, it } from 'vitest';

import { createWebPlatform, tokenFromHash } from './webPlatform.js';

describe('webPlatform', () => {
  it('takes the collector from the page origin and the token from the fragment', async () => {
    const platform = createWebPlatform({ origin: 'http://127.0.0.1:7420', hash: '#token=abc123' });
    expect(platform.kind).toBe('web');
    await expect(platform.getCollectorEndpoint()).resolves.toEqual({
      url: 'http://127.0.0.1:7420',
      token: 'abc123',
    });
  });

  it('says what to do when the address carries no token', async () => {
    const platform = createWebPlatform({ origin: 'http://127.0.0.1:7420', hash: '' });
    await expect(platform.getCollectorEndpoint()).rejects.toThrow(/osprey serve/);
  });

  it('reads the token beside other fragment parameters', () => {
    expect(tokenFromHash('#view=overview&token=t%2B1')).toBe('t+1');
    expect(tokenFromHash('#token=a+b/c')).toBe('a+b/c');
    expect(tokenFromHash('#token=100%')).toBe('100%');
    expect(tokenFromHash('#token=')).toBeUndefined();
  });
});
