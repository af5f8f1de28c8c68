/**
 * A NATS connection stand-in for NatsSource unit tests: records subscriptions, lets a test play
 * the server (deliver messages with NATS wildcard matching, emit status events, close). The real
 * server is exercised by e2e/connections.spec.ts.
 */
import type { Status, WsConnectionOptions } from '@nats-io/nats-core';

import type { NatsClientLike, NatsConnector, NatsMsgLike } from '../sources/NatsSource.js';

type Callback = (err: Error | null, msg: NatsMsgLike) => void;

/** NATS subject matching: `*` is one token, `>` the rest (one or more tokens). */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length || (p[i] !== '*' && p[i] !== s[i])) return false;
  }
  return p.length === s.length;
}

export class FakeNatsClient implements NatsClientLike {
  readonly subscriptions = new Map<string, Callback>();
  closedByClient = false;
  private readonly statusQueue: Status[] = [];
  private wake: (() => void) | undefined;
  private ended = false;
  private resolveClosed!: (value: void | Error) => void;
  private readonly closedPromise = new Promise<void | Error>((r) => (this.resolveClosed = r));

  constructor(readonly options: WsConnectionOptions) {}

  subscribe(subject: string, opts: { callback: Callback }): unknown {
    this.subscriptions.set(subject, opts.callback);
    return {};
  }

  /** Delivers to every matching subscription. */
  deliver(subject: string, data: string | Uint8Array): void {
    const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
    for (const [pattern, callback] of this.subscriptions) {
      if (subjectMatches(pattern, subject)) callback(null, { subject, data: bytes });
    }
  }

  failSubscription(subject: string, error: Error): void {
    this.subscriptions.get(subject)?.(error, { subject, data: new Uint8Array() });
  }

  emitStatus(status: Status): void {
    this.statusQueue.push(status);
    this.wake?.();
  }

  async *status(): AsyncIterable<Status> {
    for (;;) {
      while (this.statusQueue.length > 0) yield this.statusQueue.shift()!;
      if (this.ended) return;
      await new Promise<void>((r) => (this.wake = r));
    }
  }

  closed(): Promise<void | Error> {
    return this.closedPromise;
  }

  /** The server side ends the connection (or the client gave up), with an error or without. */
  end(error?: Error): void {
    this.ended = true;
    this.wake?.();
    this.resolveClosed(error);
  }

  async close(): Promise<void> {
    this.closedByClient = true;
    this.end();
  }
}

/** A connector whose every call the test answers: with a client, or with a refusal. */
export class FakeConnector {
  readonly calls: WsConnectionOptions[] = [];
  readonly clients: FakeNatsClient[] = [];
  private readonly answers: Array<Error | 'ok'> = [];

  /** Queues how the next connection attempts end; unqueued attempts succeed. */
  willFail(...errors: Error[]): this {
    this.answers.push(...errors);
    return this;
  }

  readonly connect: NatsConnector = async (options) => {
    this.calls.push(options);
    const answer = this.answers.shift() ?? 'ok';
    if (answer instanceof Error) throw answer;
    const client = new FakeNatsClient(options);
    this.clients.push(client);
    return client;
  };

  last(): FakeNatsClient {
    const client = this.clients.at(-1);
    if (!client) throw new Error('no connection was made');
    return client;
  }
}
