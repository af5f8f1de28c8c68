import { wsconnect } from '@nats-io/nats-core';
import { describe, expect, it } from 'vitest';

import { failingSocket } from '../testing/failingSocket.js';
import { connectFailureReason, explainConnectErrors, statusEffect } from './natsStatus.js';

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

async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (error instanceof Error) return error;
  throw new Error(`expected a rejection, got ${String(error)}`);
}

describe('connectFailureReason', () => {
  it('names the TCP port when a ws:// URL aims at 4222, and both causes otherwise', () => {
    expect(connectFailureReason('ws://127.0.0.1:4222', new Error(''))).toMatch(
      /^no WebSocket answer: 4222 is NATS's TCP client port; the console needs the server's WebSocket port/,
    );
    expect(connectFailureReason('ws://127.0.0.1:1', new Error(''))).toBe(
      'no WebSocket answer: nothing listens there (connection refused), or the server there is not a NATS WebSocket port (is this the TCP port 4222?); the browser does not say which',
    );
    expect(
      connectFailureReason('wss://nats.example', new Error('unexpected response from server')),
    ).toMatch(/^the server there answered but is not a NATS WebSocket port/);
  });

  it('leaves a message that already says what happened to the client', () => {
    expect(
      connectFailureReason('ws://n:8080', new Error('Authorization Violation')),
    ).toBeUndefined();
    expect(connectFailureReason('ws://n:8080', new Error('connection refused'))).toBeUndefined();
  });
});

describe('explainConnectErrors (with the real nats-core client)', () => {
  it('turns the reasonless refusal of a browser WebSocket into the reason', async () => {
    const connect = explainConnectErrors((opts) =>
      wsconnect({ ...opts, wsFactory: failingSocket('error') }),
    );
    for (const [url, reason] of [
      ['ws://127.0.0.1:4222', /^no WebSocket answer: 4222 is NATS's TCP client port/],
      ['ws://127.0.0.1:8081', /^no WebSocket answer: nothing listens there \(connection refused\)/],
    ] as const) {
      const error = await rejection(connect({ servers: [url], timeout: 2000 }));
      expect(error.message).toMatch(reason);
      expect(error.name).toBe('ConnectionError');
    }
  });

  it('says so when a WebSocket server answers with something that is not NATS', async () => {
    const connect = explainConnectErrors((opts) =>
      wsconnect({ ...opts, wsFactory: failingSocket({ message: 'HELLO not nats' }) }),
    );
    const error = await rejection(connect({ servers: ['ws://127.0.0.1:8080'], timeout: 2000 }));
    expect(error.message).toMatch(/^the server there answered but is not a NATS WebSocket port/);
  });

  it('passes any other failure on as it is', async () => {
    const denied = Object.assign(new Error('Authorization Violation'), {
      name: 'AuthorizationError',
    });
    const connect = explainConnectErrors(() => Promise.reject(denied));
    expect(await rejection(connect({ servers: ['ws://n:8080'] }))).toBe(denied);
  });
});
