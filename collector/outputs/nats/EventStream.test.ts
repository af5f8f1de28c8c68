import type { Status } from '@nats-io/nats-core';
import { describe, expect, it, vi } from 'vitest';

import { Collector } from '../../agent/Collector.js';
import {
  DEFAULT_EVENT_STREAM_LIMITS,
  EVENTS_STREAM_SUBJECT,
  eventHistoryFilter,
  eventsMessageKey,
  formatRetention,
  formatStreamBytes,
} from '../../core/protocol/eventStream.js';
import type { InventoryMessage, WireMessage } from '../../core/protocol/spec.js';
import { subjectFor } from '../../core/protocol/subjects.js';
import { eventHistoryStatus, streamConfig, subjectMatches } from './EventStream.js';
import type { EventStreamResult } from './EventStream.js';
import { NatsPublisher, type NatsLink } from './NatsPublisher.js';

describe('event stream subjects', () => {
  it("takes every events subject of protocol v1, and a cluster's filter only its own", () => {
    const subject = subjectFor('events', 'prod.eu', 'gpu-01');
    expect(subject).toBe('osprey.v1.events.prod_eu.gpu-01');
    expect(subjectMatches(EVENTS_STREAM_SUBJECT, subject)).toBe(true);
    expect(subjectMatches(EVENTS_STREAM_SUBJECT, subjectFor('metrics', 'prod', 'n'))).toBe(false);
    expect(subjectMatches(eventHistoryFilter('prod.eu'), subject)).toBe(true);
    expect(subjectMatches(eventHistoryFilter('prod'), subject)).toBe(false);
    expect(eventHistoryFilter(undefined)).toBe(EVENTS_STREAM_SUBJECT);
  });

  it('matches NATS wildcards token by token (`>` needs at least one token)', () => {
    expect(subjectMatches('osprey.v1.>', 'osprey.v1.events.c.n')).toBe(true);
    expect(subjectMatches('osprey.*.events.*.*', 'osprey.v1.events.c.n')).toBe(true);
    expect(subjectMatches('osprey.v1.events.>', 'osprey.v1.events')).toBe(false);
    expect(subjectMatches('osprey.v1.events.*', 'osprey.v1.events.c.n')).toBe(false);
    expect(subjectMatches('>', 'a')).toBe(true);
  });

  it('keys an events message by sender, seq and stamp', () => {
    const m = { cluster: 'c', node: 'n', seq: 4, ts: 1000 };
    expect(eventsMessageKey(m)).toBe(eventsMessageKey({ ...m }));
    expect(eventsMessageKey(m)).not.toBe(eventsMessageKey({ ...m, ts: 1001 }));
    expect(eventsMessageKey(m)).not.toBe(eventsMessageKey({ ...m, node: 'n2' }));
  });
});

describe('streamConfig', () => {
  it('asks for 7 days (in ns, as JetStream counts) and 256 MiB by default', () => {
    expect(streamConfig(DEFAULT_EVENT_STREAM_LIMITS)).toMatchObject({
      name: 'OSPREY_EVENTS',
      subjects: ['osprey.v1.events.>'],
      max_age: 7 * 24 * 3600 * 1e9,
      max_bytes: 256 * 1024 * 1024,
    });
  });
});

describe('eventHistoryStatus', () => {
  const asked = DEFAULT_EVENT_STREAM_LIMITS;
  it('says where events are kept and with which limits', () => {
    const s = eventHistoryStatus(
      { kind: 'stored', limits: asked, asked, subjects: [EVENTS_STREAM_SUBJECT] },
      5,
    );
    expect(s).toEqual({
      probe: 'event-history',
      state: 'ok',
      message: 'events kept in JetStream stream OSPREY_EVENTS (max age 7 d, max 256 MiB)',
      since: 5,
    });
  });

  it("names an operator's limits and leaves them", () => {
    const limits = { maxAgeMs: 86_400_000, maxBytes: 10 * 1024 * 1024 };
    const s = eventHistoryStatus({ kind: 'stored', limits, asked, subjects: ['osprey.>'] }, 0);
    expect(s.message).toBe(
      'events kept in JetStream stream OSPREY_EVENTS (max age 1 d, max 10 MiB), as its operator ' +
        'set it; left unchanged (this agent would use max age 7 d, max 256 MiB)',
    );
  });

  it('waits for the connection before saying anything', () => {
    expect(eventHistoryStatus(undefined, 3)).toMatchObject({ state: 'starting', since: 3 });
  });

  it('says event history is off without JetStream, as an absent feature rather than an error', () => {
    const s = eventHistoryStatus({ kind: 'off', reason: 'the server has no JetStream' }, 0);
    expect(s.state).toBe('absent');
    expect(s.message).toBe(
      'event history off: the server has no JetStream; events go to connected consoles only',
    );
  });

  it('says so when the stream leaves this agent out', () => {
    const s = eventHistoryStatus({ kind: 'not-covered', subjects: ['other.>'] }, 0);
    expect(s.state).toBe('degraded');
    expect(s.message).toContain('exists with subjects other.>, which leave out osprey.v1.events.>');
  });

  it('formats retention and sizes in whole units', () => {
    expect(formatRetention(36 * 3_600_000)).toBe('36 h');
    expect(formatRetention(90_000)).toBe('90 s');
    expect(formatRetention(0)).toBe('unlimited');
    expect(formatStreamBytes(1.5 * 1024 ** 3)).toBe('1.5 GiB');
    expect(formatStreamBytes(-1)).toBe('unlimited');
  });
});

/** A link that records publishes and lets the test say "reconnected". */
class Link implements NatsLink {
  published: string[] = [];
  private statuses: Status[] = [];
  private wake: (() => void) | undefined;
  private done = false;
  publish(subject: string): void {
    this.published.push(subject);
  }
  emit(s: Status): void {
    this.statuses.push(s);
    this.wake?.();
  }
  async *status(): AsyncGenerator<Status> {
    while (!this.done) {
      const next = this.statuses.shift();
      if (next) yield next;
      else await new Promise<void>((r) => (this.wake = r));
    }
  }
  closed(): Promise<void | Error> {
    return new Promise(() => {});
  }
  async close(): Promise<void> {
    this.done = true;
    this.wake?.();
  }
  async flush(): Promise<void> {}
}

describe('NatsPublisher with event history', () => {
  const host = { hostname: 'h', os: 'linux', arch: 'x64', cpuCores: 1, memoryTotalBytes: 1 };

  function setup(answers: EventStreamResult[]) {
    const collector = new Collector({
      cluster: 'c',
      node: 'n',
      intervalMs: 1000,
      host,
      probes: [],
    });
    const sent: WireMessage[] = [];
    collector.subscribe((m) => sent.push(m));
    const link = new Link();
    const asks: string[] = [];
    const publisher = new NatsPublisher({
      collector,
      client: { servers: ['nats://127.0.0.1:4222'] },
      connect: async () => link,
      log: () => {},
      eventHistory: {
        limits: DEFAULT_EVENT_STREAM_LIMITS,
        subject: 'osprey.v1.events.c.n',
        ensure: async (_link, _limits, subject) => {
          asks.push(subject);
          return answers.length > 1 ? answers.shift()! : answers[0]!;
        },
      },
    });
    const historyProbe = () =>
      sent
        .filter((m): m is InventoryMessage => m.type === 'inventory')
        .at(-1)
        ?.probes.find((p) => p.probe === 'event-history');
    return { collector, publisher, link, asks, historyProbe };
  }

  it('puts the answer in the inventory as soon as JetStream gives it, and asks again on reconnect', async () => {
    const { collector, publisher, link, asks, historyProbe } = setup([
      { kind: 'off', reason: 'the server has no JetStream' },
      {
        kind: 'stored',
        limits: DEFAULT_EVENT_STREAM_LIMITS,
        asked: DEFAULT_EVENT_STREAM_LIMITS,
        subjects: [EVENTS_STREAM_SUBJECT],
      },
    ]);
    publisher.start();
    await collector.tick();
    await vi.waitFor(() => expect(historyProbe()?.state).toBe('absent'));
    expect(asks).toEqual(['osprey.v1.events.c.n']);
    link.emit({ type: 'disconnect', server: 'x' });
    link.emit({ type: 'reconnect', server: 'x' });
    await vi.waitFor(() => expect(historyProbe()?.state).toBe('ok'));
    expect(asks).toHaveLength(2);
    expect(publisher.eventHistory?.kind).toBe('stored');
    await publisher.stop();
  });

  it('reads a failing check as "unavailable", and publishing goes on', async () => {
    const { collector, link, historyProbe } = setup([]);
    const failing = new NatsPublisher({
      collector,
      client: { servers: ['nats://127.0.0.1:4222'] },
      connect: async () => link,
      log: () => {},
      eventHistory: {
        limits: DEFAULT_EVENT_STREAM_LIMITS,
        subject: 'osprey.v1.events.c.n',
        ensure: async () => Promise.reject(new Error('permissions violation for $JS.API.INFO')),
      },
    });
    failing.start();
    await collector.tick();
    await vi.waitFor(() => expect(historyProbe()?.state).toBe('degraded'));
    expect(historyProbe()?.message).toBe(
      'event history unavailable: permissions violation for $JS.API.INFO',
    );
    await collector.tick();
    expect(link.published).toContain('osprey.v1.metrics.c.n');
    await failing.stop();
  });

  it('on its first connection publishes nothing until JetStream has answered, so the first events are in the stream', async () => {
    const collector = new Collector({
      cluster: 'c',
      node: 'n',
      intervalMs: 1000,
      host,
      probes: [],
    });
    const link = new Link();
    let answer: (r: EventStreamResult) => void = () => {};
    let publishedWhenAsked = -1;
    const publisher = new NatsPublisher({
      collector,
      client: { servers: ['nats://127.0.0.1:4222'] },
      connect: async () => link,
      log: () => {},
      eventHistory: {
        limits: DEFAULT_EVENT_STREAM_LIMITS,
        subject: 'osprey.v1.events.c.n',
        ensure: () => {
          publishedWhenAsked = link.published.length;
          return new Promise((resolve) => (answer = resolve));
        },
      },
    });
    await collector.tick();
    collector.reportEvents([{ ts: 1, kind: 'xid', severity: 'critical', message: 'Xid 79' }]);
    publisher.start();
    await vi.waitFor(() => expect(publishedWhenAsked).toBe(0));
    await new Promise((r) => setTimeout(r, 20));
    expect(link.published).toEqual([]);
    answer({
      kind: 'stored',
      limits: DEFAULT_EVENT_STREAM_LIMITS,
      asked: DEFAULT_EVENT_STREAM_LIMITS,
      subjects: [EVENTS_STREAM_SUBJECT],
    });
    await vi.waitFor(() => expect(link.published).toContain('osprey.v1.events.c.n'));
    expect(publisher.phase).toBe('connected');
    await publisher.stop();
  });
});
