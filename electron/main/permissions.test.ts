import { describe, expect, it } from 'vitest';

import { isPermissionAllowed, restrictPermissions, type PermissionSession } from './permissions.js';

describe('permissions', () => {
  it('allows writing text to the clipboard and nothing else', () => {
    expect(isPermissionAllowed('clipboard-sanitized-write')).toBe(true);
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal']) {
      expect(isPermissionAllowed(p)).toBe(false);
    }
  });

  it('answers both requests and checks of the session', () => {
    type Request = Parameters<PermissionSession['setPermissionRequestHandler']>[0];
    type Check = Parameters<PermissionSession['setPermissionCheckHandler']>[0];
    let request: Request = null;
    let check: Check = null;
    restrictPermissions({
      setPermissionRequestHandler: (handler) => (request = handler),
      setPermissionCheckHandler: (handler) => (check = handler),
    });
    const granted: boolean[] = [];
    const contents = null as never;
    request!(contents, 'media', (ok) => granted.push(ok), null as never);
    request!(contents, 'clipboard-sanitized-write', (ok) => granted.push(ok), null as never);
    expect(granted).toEqual([false, true]);
    expect(check!(contents, 'geolocation', 'http://127.0.0.1:1', null as never)).toBe(false);
  });
});
