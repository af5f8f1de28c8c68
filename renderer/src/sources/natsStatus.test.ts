import { describe, expect, it } from 'vitest';

import { statusEffect } from './natsStatus.js';

const URL = 'wss://nats.example:443';
const SUBJECT = 'osprey.v1.*.prod.*';

describe('statusEffect', () => {
  it('is reconnecting from the first sign of a lost link until the client says it is back', () => {
    expect(statusEffect({ type: 'disconnect', server: 'x' }, URL, SUBJECT)).toEqual({
      presence: 'reconnecting',
      message: 'connection to wss://nats.example:443 lost; reconnecting',
      flush: true,
    });
    expect(statusEffect({ type: 'staleConnection' }, URL, SUBJECT)).toMatchObject({
      presence: 'reconnecting',
    });
    expect(statusEffect({ type: 'reconnecting' }, URL, SUBJECT)).toBeUndefined();
    expect(statusEffect({ type: 'reconnect', server: 'x' }, URL, SUBJECT)).toEqual({
      presence: 'live',
    });
  });

  it('counts what does not change the presence as problems', () => {
    expect(statusEffect({ type: 'ldm', server: 'x' }, URL, SUBJECT)).toEqual({
      problem: 'ldm',
      message: 'wss://nats.example:443 is shutting down (lame duck mode); expect a reconnect',
    });
    const error = Object.assign(new Error('Permissions Violation'), {
      name: 'PermissionViolationError',
    });
    expect(statusEffect({ type: 'error', error }, URL, SUBJECT)).toEqual({
      problem: 'server-error:PermissionViolationError',
      message: 'server error: Permissions Violation',
    });
    expect(statusEffect({ type: 'ping', pendingPings: 1 }, URL, SUBJECT)).toBeUndefined();
  });
});
