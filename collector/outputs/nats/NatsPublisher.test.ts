import type { Status } from '@nats-io/nats-core';
import { describe, expect, it, vi } from 'vitest';

import { Collector } from '../../agent/Collector.js';
import { decodeMessage } from '../../core/protocol/decode.js';
import type { InventoryMessage, WireMessage } from '../../core/protocol/spec.js';
import type { Probe } from '../../probes/types.js';
import { NatsPublisher, type NatsLink } from './NatsPublisher.js';

/** A NATS connection that records what is published; the test drives its status stream. */
class FakeLink implements NatsLink {
  published: { subject: string; message: WireMessage }[] = [];
  throwOnPublish: Error | undefined;
  private pending: Status[] = [];
  private wake: (() => void) | undefined;
  private done = false;
  private resolveClosed!: (v: void | Error) => void;
  private readonly closedPromise = new Promise<void | Error>((r) => (this.resolveClosed = r));

  publish(subject: string, payload?: string | Uint8Array): void {
    if (this.throwOnPublish) throw this.throwOnPublish;
    const decoded = decodeMessage(payload as Uint8Array);
    if (!decoded.ok) throw new Error(`published an invalid message: ${decoded.problem.message}`);
    this.published.push({ subject, message: decoded.message });
  }
  emit(status: Status): void {
    this.pending.push(status);
    this.wake?.();
  }
  async *status(): AsyncGenerator<Status> {
    while (!this.done) {
      const next = this.pending.shift();
      if (next) yield next;
      else await new Promise<void>((r) => (this.wake = r));
    }
  }
  closed(): Promise<void | Error> {
    return this.closedPromise;
  }
  async close(): Promise<void> {
    this.done = true;
    this.wake?.();
    this.resolveClosed();
  }
  async flush(): Promise<void> {}
  types(): string[] {
    return this.published.map((p) => p.message.type);
  }
}

const host = { hostname: 'box', os: 'linux', arch: 'x64', cpuCores: 2, memoryTotalBytes: 8e9 };
const probe: Probe = {
  name: 'host',
  start: async () => undefined,
  stop: async () => undefined,
  collect: async () => ({
    status: { probe: 'host', state: 'ok', since: 0 },
    devices: [],
    samples: [{ m: 'host.cpu.utilization', v: 12 }],
    events: [],
  }),
};

function setup(connects: (FakeLink | Error)[], maxBytes = 1e6) {
  const collector = new Collector({
    cluster: 'c1',
    node: 'n.1',
    intervalMs: 1000,
    host,
    probes: [probe],
  });
  const lines: string[] = [];
  const publisher = new NatsPublisher({
    collector,
    client: { servers: ['nats://127.0.0.1:4222'], token: 'secret-token' },
    connect: async () => {
      // the last outcome repeats
      const next = connects.length > 1 ? connects.shift()! : connects[0]!;
      if (next instanceof Error) throw next;
      return next;
    },
    buffer: { maxBytes },
    retryMs: 1,
    log: (l) => lines.push(l),
  });
  return { collector, publisher, lines };
}

const natsStatus = (inv: WireMessage | undefined) =>
  (inv as InventoryMessage | undefined)?.probes.find((p) => p.probe === 'nats');

describe('NatsPublisher', () => {
  it('keeps following the link status after handling one status event throws', async () => {
    const link = new FakeLink();
    const collector = new Collector({
      cluster: 'c1',
      node: 'n1',
      intervalMs: 1000,
      host,
      probes: [],
    });
    const lines: string[] = [];
    let failNext = false;
    const publisher = new NatsPublisher({
      collector,
      client: { servers: ['nats://127.0.0.1:4222'] },
      connect: async () => link,
      retryMs: 1,
      // The handler's one failure: the log throws once when armed.
      log: (line) => {
        if (failNext) {
          failNext = false;
          throw new Error('log broke');
        }
        lines.push(line);
      },
    });
    publisher.start();
    await vi.waitFor(() => expect(publisher.phase).toBe('connected'));
    failNext = true;
    link.emit({ type: 'disconnect', server: '127.0.0.1:4222' });
    await vi.waitFor(() => expect(publisher.handlerFailures).toBe(1));
    link.emit({ type: 'reconnect', server: '127.0.0.1:4222' });
    await vi.waitFor(() => expect(publisher.phase).toBe('connected'));
    expect(lines).toContain('handling a connection status event failed (1 so far): log broke');
    await publisher.stop();
  });

  it('publishes each message as JSON on its subject, with the link status in the inventory', async () => {
    const link = new FakeLink();
    const { collector, publisher } = setup([link]);
    await collector.tick();
    publisher.start();
    await vi.waitFor(() => expect(publisher.phase).toBe('connected'));
    await collector.tick();
    const subjects = link.published.map((p) => p.subject);
    expect(subjects[0]).toBe('osprey.v1.inventory.c1.n_1');
    expect(subjects).toContain('osprey.v1.metrics.c1.n_1');
    expect(natsStatus(link.published[0]!.message)).toMatchObject({ state: 'ok' });
    await publisher.stop();
  });

  it('buffers while unreachable and sends the inventory first once connected', async () => {
    const link = new FakeLink();
    const refused = Object.assign(new Error('connection refused'), { name: 'ConnectionError' });
    const { collector, publisher, lines } = setup([refused, refused, refused, link]);
    publisher.start();
    await collector.tick();
    await collector.tick();
    await vi.waitFor(() => expect(publisher.phase).toBe('connected'));
    // the buffered events say "nats: starting → degraded (cannot reach …)"
    expect(link.types()).toEqual(['inventory', 'events', 'metrics', 'metrics']);
    expect(natsStatus(link.published[0]!.message)?.state).toBe('ok');
    // one line per transition: connecting, unreachable (three refusals), connected
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/cannot reach nats:\/\/127\.0\.0\.1:4222 \(connection refused\)/);
    expect(lines.join('\n')).not.toContain('secret-token');
    await publisher.stop();
  });

  it('drops the oldest metrics while disconnected, then reports them on reconnect', async () => {
    const link = new FakeLink();
    const { collector, publisher, lines } = setup([link], 1500);
    publisher.start();
    await vi.waitFor(() => expect(publisher.phase).toBe('connected'));
    await collector.tick();
    link.emit({ type: 'disconnect', server: '127.0.0.1:4222' });
    await vi.waitFor(() => expect(publisher.phase).toBe('disconnected'));
    link.published = [];
    for (let i = 0; i < 20; i++) await collector.tick();
    expect(link.published).toEqual([]);
    const offline = natsStatus(collector.currentInventory());
    expect(offline?.state).toBe('degraded');
    expect(offline?.message).toMatch(
      /disconnected from nats:\/\/127\.0\.0\.1:4222 .*\d+ messages \(\d+ KB: \d+ metrics\) dropped while offline/,
    );
    const dropped = publisher.buffer.peekDrops().metrics;
    expect(dropped).toBeGreaterThan(0);

    link.emit({ type: 'reconnect', server: '127.0.0.1:4222' });
    await vi.waitFor(() => expect(publisher.phase).toBe('connected'));
    const [first, ...rest] = link.published.map((p) => p.message);
    expect(first?.type).toBe('inventory');
    expect(natsStatus(first)?.state).toBe('ok');
    const metricsSeqs = rest.filter((m) => m.type === 'metrics').map((m) => m.seq);
    expect(metricsSeqs).toEqual([...metricsSeqs].sort((a, b) => a - b));
    expect(metricsSeqs.length).toBeLessThan(20);
    const report = rest.at(-1);
    expect(report?.type === 'events' && report.events[0]).toMatchObject({
      kind: 'nats',
      severity: 'warning',
      message: expect.stringMatching(new RegExp(`reconnected .*; ${dropped} messages .* dropped`)),
    });
    expect(lines.at(-1)).toMatch(/publishing to .*the last outage dropped/);
    await publisher.stop();
  });

  it('says so, as an error, when the server refuses the credentials', async () => {
    const denied = Object.assign(new Error('Authorization Violation'), {
      name: 'AuthorizationError',
    });
    const { collector, publisher, lines } = setup([denied, denied, denied]);
    publisher.start();
    await vi.waitFor(() => expect(publisher.phase).toBe('refused'));
    await collector.tick();
    expect(natsStatus(collector.currentInventory())).toMatchObject({
      state: 'error',
      message: expect.stringMatching(/refused the connection \(Authorization Violation\)/),
    });
    expect(lines.filter((l) => l.includes('Authorization Violation'))).toHaveLength(1);
    await publisher.stop();
  });

  it('drops a message larger than the server accepts without buffering it', async () => {
    const link = new FakeLink();
    const { collector, publisher } = setup([link]);
    publisher.start();
    await vi.waitFor(() => expect(publisher.phase).toBe('connected'));
    link.throwOnPublish = new Error("'payload' max_payload size exceeded");
    await collector.tick();
    expect(publisher.oversize).toBeGreaterThan(0);
    expect(publisher.buffer.length).toBe(0);
    await publisher.stop();
  });
});
