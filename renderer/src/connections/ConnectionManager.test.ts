import { describe, expect, it } from 'vitest';

import type { ConnectionConfig } from '../../../collector/core/connections/schema.js';
import type { ConnectionInput, ConnectionSummary } from '../platform/Platform.js';
import { FakeSource } from '../sources/FakeSource.js';
import type { NatsSource, SecretProvider } from '../sources/NatsSource.js';
import { capabilities } from '../sources/SourceFactory.js';
import { metrics } from '../testing/messages.js';
import { ConnectionManager, type ConnectionsPlatform } from './ConnectionManager.js';

class FakePlatform implements ConnectionsPlatform {
  saved: ConnectionSummary[] = [];
  secrets = new Map<string, string>();
  failList: Error | undefined;
  private n = 0;
  async listConnections() {
    if (this.failList) throw this.failList;
    return this.saved;
  }
  async saveConnection(input: ConnectionInput, id?: string) {
    const { secret, prometheusSecret, ...fields } = input;
    const summary = {
      ...fields,
      id: id ?? `c${++this.n}`,
      hasSecret: secret !== undefined,
      hasPrometheusSecret: prometheusSecret !== undefined,
    };
    if (secret !== undefined) this.secrets.set(summary.id, secret);
    this.saved = id ? this.saved.map((c) => (c.id === id ? summary : c)) : [...this.saved, summary];
    return summary;
  }
  async removeConnection(id: string) {
    this.saved = this.saved.filter((c) => c.id !== id);
  }
  async getConnectionSecret(id: string) {
    return this.secrets.get(id) ?? null;
  }
}

function setup() {
  const platform = new FakePlatform();
  const made: Array<{ source: FakeSource; config: ConnectionConfig; secret: SecretProvider }> = [];
  const manager = new ConnectionManager(platform, {
    id: 'fake-nats',
    kind: 'live',
    displayName: 'Fake NATS',
    capabilities: capabilities('record', 'history', 'profiles'),
    create: ({ config, secret }) => {
      const source = new FakeSource(config.id, config.name);
      made.push({ source, config, secret: secret as SecretProvider });
      return source as unknown as NatsSource;
    },
  });
  return { platform, manager, made };
}

const input: ConnectionInput = {
  name: 'prod',
  kind: 'nats',
  natsUrl: 'ws://n:1',
  auth: 'token',
  secret: 'tok',
};

describe('ConnectionManager', () => {
  it('starts a source with its own store for each saved connection', async () => {
    const { platform, manager, made } = setup();
    await platform.saveConnection(input);
    await manager.load();
    const [entry] = manager.getSnapshot().connections;
    expect(manager.getSnapshot().loaded).toBe(true);
    expect(entry?.config).toMatchObject({ id: 'c1', name: 'prod', hasSecret: true });
    expect(made[0]!.source.started).toBe(true);
    // The page offers what the factory says its sources can do.
    expect(entry?.capabilities).toEqual(capabilities('record', 'history', 'profiles'));
    // The secret is fetched by the source when it connects, not held by the manager.
    await expect(made[0]!.secret()).resolves.toBe('tok');
    made[0]!.source.emit([metrics(1, [], { node: 'n1' })]);
    // A connection to every cluster keys nodes by cluster too.
    expect(entry!.store.nodes().map((n) => [n.node, n.name])).toEqual([['local/n1', 'n1']]);
  });

  it('replaces the source of a changed connection and keeps the others running', async () => {
    const { manager, made } = setup();
    const a = await manager.save(input);
    await manager.save({ ...input, name: 'lab' });
    expect(made).toHaveLength(2);
    const { secret: _secret, ...rest } = input;
    await manager.save({ ...rest, name: 'prod-eu' }, a.id);
    expect(made).toHaveLength(3);
    expect(made[0]!.source.stopped).toBe(true);
    expect(made[1]!.source.stopped).toBe(false);
    await manager.save({ ...rest, name: 'prod-eu' }, a.id);
    expect(made).toHaveLength(3);
    await manager.save({ ...rest, name: 'prod-eu', secret: 'new' }, a.id);
    expect(made).toHaveLength(4);
    made[3]!.source.setPresence('error', 'authentication failed');
    await manager.save({ ...rest, name: 'prod-eu' }, a.id);
    expect(made).toHaveLength(5);
    expect(manager.getSnapshot().connections.map((c) => c.config.name)).toEqual(['prod-eu', 'lab']);
  });

  it('stops the source of a removed connection', async () => {
    const { manager, made } = setup();
    const a = await manager.save(input);
    await manager.remove(a.id);
    expect(made[0]!.source.stopped).toBe(true);
    expect(manager.getSnapshot().connections).toEqual([]);
  });

  it('says why the list could not be read', async () => {
    const { platform, manager } = setup();
    platform.failList = new Error('unauthorized: send Authorization: Bearer <token>');
    await manager.load();
    expect(manager.getSnapshot()).toMatchObject({
      loaded: true,
      error: 'unauthorized: send Authorization: Bearer <token>',
    });
  });

  it('stops everything on dispose and can load again (React StrictMode)', async () => {
    const { platform, manager, made } = setup();
    await platform.saveConnection(input);
    const first = manager.load();
    manager.dispose();
    await first;
    expect(made).toHaveLength(0);
    await manager.load();
    expect(made).toHaveLength(1);
    manager.dispose();
    expect(made[0]!.source.stopped).toBe(true);
  });

  it('reads the fleet of a Prometheus-only connection from its Prometheus where a factory is given', async () => {
    const platform = new FakePlatform();
    const fleets: FakeSource[] = [];
    const manager = new ConnectionManager(platform, setup().manager.factory, {
      factory: {
        id: 'fake-prom',
        kind: 'live',
        displayName: 'Fake Prometheus fleet',
        capabilities: capabilities('record', 'history'),
        create: ({ config }) => {
          const source = new FakeSource(config.id, config.name);
          fleets.push(source);
          return source;
        },
      },
      port: { prometheusRequest: () => Promise.reject(new Error('not asked in this test')) },
    });
    const { natsUrl: _n, secret: _s, ...rest } = input;
    await manager.save({
      ...rest,
      auth: 'none',
      prometheus: { url: 'http://p:9090', auth: 'none' },
    });
    const [entry] = manager.getSnapshot().connections;
    expect(entry?.source).toBe(fleets[0]);
    expect(fleets[0]!.started).toBe(true);
    expect(entry?.capabilities).toEqual(capabilities('record', 'history'));
    fleets[0]!.emit([metrics(1, [], { node: 'n1' })]);
    expect(entry!.store.nodes().map((n) => n.name)).toEqual(['n1']);
    // With NATS too, NATS leads and the Prometheus fleet fills in beside it.
    await manager.save({ ...input, prometheus: { url: 'http://p:9090', auth: 'none' } });
    const both = manager.getSnapshot().connections[1]!;
    expect(both.source?.constructor.name).toBe('PrometheusFill');
    expect(fleets).toHaveLength(2);
    manager.dispose();
  });

  it('starts no NATS source for a Prometheus-only connection', async () => {
    const { manager, made } = setup();
    const { natsUrl: _n, secret: _s, ...rest } = input;
    await manager.save({
      ...rest,
      auth: 'none',
      prometheus: { url: 'http://prom:9090', auth: 'none' },
    });
    expect(made).toHaveLength(0);
    const [entry] = manager.getSnapshot().connections;
    expect(entry).toMatchObject({ config: { name: 'prod' }, source: undefined });
    // Its Prometheus's history, and nothing to record.
    expect(entry?.capabilities).toEqual(capabilities('history'));
    manager.dispose();
  });
});
