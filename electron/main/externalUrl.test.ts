import { describe, expect, it } from 'vitest';

import { checkExternalUrl, isExternalHttpUrl } from './externalUrl.js';

describe('checkExternalUrl', () => {
  it.each(['https://docs.nvidia.com/deploy/xid-errors/', 'http://example.org/a?b=c#d'])(
    'lets %s open in the browser',
    (url) => {
      expect(checkExternalUrl(url)).toBe(url);
      expect(isExternalHttpUrl(url)).toBe(true);
    },
  );

  it.each([
    ['file:///etc/passwd', /only http and https/],
    ['javascript:alert(1)', /only http and https/],
    ['smb://server/share', /only http and https/],
    ['vscode://open?x', /only http and https/],
    ['/relative/path', /not an absolute URL/],
    [`https://example.org/${'a'.repeat(3000)}`, /3020 characters/],
  ])('refuses %s', (url, message) => {
    expect(() => checkExternalUrl(url)).toThrow(message);
    expect(isExternalHttpUrl(url)).toBe(false);
  });

  it('refuses anything but a string', () => {
    expect(() => checkExternalUrl({ href: 'https://x.test' })).toThrow(/got object/);
    expect(() => checkExternalUrl(undefined)).toThrow(/got undefined/);
  });
});
