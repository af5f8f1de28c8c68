import { describe, expect, it } from 'vitest';

import {
  ConnectionStore,
  ConnectionStoreError,
  type SecretCipher,
  type StoreFile,
} from './ConnectionStore.js';

class MemoryFile implements StoreFile {
  readonly path = '/home/op/.config/osprey/connections.json';
  writes = 0;
  constructor(public text: string | undefined = undefined) {}
  async read() {
    return this.text;
  }
  async write(text: string) {
    this.writes += 1;
    this.text = text;
  }
}

/** Reversible and visibly different from the plain text, like safeStorage's output. */
const fakeCipher: SecretCipher = {
  encrypts: true,
  encrypt: (plain) => `sealed:${[...plain].reverse().join('')}`,
  decrypt: (sealed) => {
    if (!sealed.startsWith('sealed:')) throw new Error('bad ciphertext');
    return [...sealed.slice('sealed:'.length)].reverse().join('');
  },
};

const SEED = `SU${'A'.repeat(56)}`;
const prod = {
  name: 'prod',
  kind: 'nats',
  natsUrl: 'wss://nats.prod.example:443',
  auth: 'token',
  cluster: 'prod',
  secret: 's3cret-token',
};

function setup(text?: string, cipher?: SecretCipher) {
  const file = new MemoryFile(text);
  let n = 0;
  const store = new ConnectionStore(file, () => `c${++n}`, cipher);
  return { file, store };
}

async function refusal(promise: Promise<unknown>): Promise<ConnectionStoreError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConnectionStoreError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('ConnectionStore', () => {
  it('creates, lists without secrets, and hands the secret out only when asked', async () => {
    const { store, file } = setup();
    const created = await store.create(prod);
    expect(created).toEqual({
      ...prod,
      secret: undefined,
      id: 'c1',
      hasSecret: true,
      hasPrometheusSecret: false,
    });
    expect(created).not.toHaveProperty('secret', 's3cret-token');
    expect(await store.list()).toEqual([created]);
    expect(JSON.stringify(await store.list())).not.toContain('s3cret');
    expect(await store.secret('c1')).toBe('s3cret-token');
    expect(file.text).toContain('"s3cret-token"');
  });

  it('encrypts secrets at rest when the cipher can', async () => {
    const { store, file } = setup(undefined, fakeCipher);
    await store.create(prod);
    expect(file.text).not.toContain('s3cret-token');
    expect(file.text).toContain('"encrypted": true');
    expect(await store.secret('c1')).toBe('s3cret-token');
  });

  it('keeps the stored secret on an update without one, and requires one when auth changes', async () => {
    const { store } = setup(undefined, fakeCipher);
    await store.create(prod);
    const { secret: _secret, ...withoutSecret } = prod;
    const renamed = await store.update('c1', { ...withoutSecret, name: 'prod-eu' });
    expect(renamed).toMatchObject({ id: 'c1', name: 'prod-eu', hasSecret: true });
    expect(await store.secret('c1')).toBe('s3cret-token');

    const switched = await refusal(store.update('c1', { ...withoutSecret, auth: 'nkey' }));
    expect(switched.status).toBe(400);
    expect(switched.errors).toEqual([
      { field: 'secret', message: 'the NKey seed is required for nkey authentication' },
    ]);
    await store.update('c1', { ...withoutSecret, auth: 'nkey', secret: ` ${SEED}\n` });
    expect(await store.secret('c1')).toBe(SEED);

    const none = await store.update('c1', { ...withoutSecret, auth: 'none' });
    expect(none.hasSecret).toBe(false);
    expect(await store.secret('c1')).toBeNull();
  });

  it('keeps a stored secret only for the URL and user it was stored with', async () => {
    const { store } = setup(undefined, fakeCipher);
    const prometheus = { url: 'https://prom.a:9090/prom', auth: 'basic', user: 'ops' };
    await store.create({ ...prod, prometheus, prometheusSecret: 'prom-pw' });
    const { secret: _s, ...kept } = prod;
    // Same place written differently (case, default port, trailing slash): kept.
    await store.update('c1', {
      ...kept,
      natsUrl: 'WSS://NATS.PROD.EXAMPLE/',
      prometheus: { ...prometheus, url: 'https://PROM.A:9090/prom/' },
    });
    expect(await store.secret('c1')).toBe('s3cret-token');
    expect((await store.prometheus('c1')).secret).toBe('prom-pw');

    const nats = await refusal(store.update('c1', { ...kept, natsUrl: 'wss://evil.example' }));
    expect(nats.errors).toEqual([
      {
        field: 'secret',
        message:
          'the saved token belongs to wss://nats.prod.example; type it again to use it with another URL',
      },
    ]);
    for (const url of [
      'https://evil.example:9090/prom',
      'https://prom.a:9090/other',
      'http://prom.a:9090/prom',
    ]) {
      const moved = await refusal(
        store.update('c1', { ...kept, prometheus: { ...prometheus, url } }),
      );
      expect(moved.errors).toEqual([
        {
          field: 'prometheusSecret',
          message:
            'the saved password belongs to https://prom.a:9090/prom; type it again to use it with another URL',
        },
      ]);
    }
    const user = await refusal(
      store.update('c1', { ...kept, prometheus: { ...prometheus, user: 'admin' } }),
    );
    expect(user.errors[0]!.message).toBe(
      'the saved password belongs to user "ops" at https://prom.a:9090/prom; type it again to use it with another user name',
    );
    // Typed again, it goes with the new URL.
    await store.update('c1', {
      ...kept,
      natsUrl: 'wss://nats.eu.example',
      secret: 'eu-token',
      prometheus: { ...prometheus, url: 'https://prom.b/prom' },
      prometheusSecret: 'b-pw',
    });
    expect(await store.secret('c1')).toBe('eu-token');
    expect((await store.prometheus('c1')).secret).toBe('b-pw');
  });

  it('refuses bad input with every field named, and writes nothing', async () => {
    const { store, file } = setup();
    const error = await refusal(
      store.create({ ...prod, natsUrl: 'nats://10.0.0.1:4222', auth: 'user-password', extra: 1 }),
    );
    expect(error.status).toBe(400);
    expect(error.errors).toEqual([{ field: 'extra', message: 'is not a known field' }]);
    const semantic = await refusal(
      store.create({ ...prod, natsUrl: 'nats://10.0.0.1:4222', auth: 'user-password' }),
    );
    expect(semantic.errors.map((e) => e.field)).toEqual(['natsUrl', 'user']);
    expect(semantic.message).toMatch(/^natsUrl: must be a ws:\/\/ or wss:\/\/ URL/);
    expect(file.writes).toBe(0);
  });

  it('answers 404 for an unknown id and removes known ones', async () => {
    const { store } = setup();
    await store.create(prod);
    expect((await refusal(store.remove('nope'))).status).toBe(404);
    expect((await refusal(store.secret('nope'))).message).toBe('no connection with id "nope"');
    await store.remove('c1');
    expect(await store.list()).toEqual([]);
  });

  it('runs concurrent saves one after another so none is lost', async () => {
    const { store } = setup();
    await Promise.all([1, 2, 3, 4].map((i) => store.create({ ...prod, name: `n${i}` })));
    expect((await store.list()).map((c) => c.name).sort()).toEqual(['n1', 'n2', 'n3', 'n4']);
  });

  it('never overwrites a file that is not a connections file at all', async () => {
    const { store, file } = setup('{"version": 2, "connections": []}');
    const error = await refusal(store.create(prod));
    expect(error.status).toBe(500);
    expect(error.message).toBe(
      'the connections file /home/op/.config/osprey/connections.json is not an Osprey connections file (version 1); fix or remove it (it was left as it is)',
    );
    expect(file.writes).toBe(0);
    const notJson = setup('{oops');
    expect((await refusal(notJson.store.list())).message).toMatch(/is not JSON/);
  });

  it('skips hand-edited entries that fail the save checks, naming entry and field, file untouched', async () => {
    const entry = (id: string, name: string, natsUrl: string) => ({
      id,
      name,
      kind: 'nats',
      natsUrl,
      auth: 'none',
    });
    const text = JSON.stringify({
      version: 1,
      connections: [
        entry('a', 'first', 'wss://a.example'),
        entry('a', 'copy', 'wss://b.example'),
        entry('j', 'evil', 'javascript:alert(document.domain)'),
        { id: 'n', name: 7 },
        entry('c', 'second', 'ws://c.example:8080'),
      ],
    });
    const reported: string[] = [];
    const file = new MemoryFile(text);
    const store = new ConnectionStore(
      file,
      () => 'new',
      undefined,
      (m) => reported.push(m),
    );
    expect((await store.list()).map((c) => `${c.id} ${c.name}`)).toEqual(['a first', 'c second']);
    const where = '/home/op/.config/osprey/connections.json';
    expect(await store.problems()).toEqual([
      `${where} entry 1 ("copy", id "a"): id: "a" is already used by entry 0`,
      `${where} entry 2 ("evil", id "j"): natsUrl: must be a ws:// or wss:// URL such as wss://nats.example.com:443 (the console reaches NATS over WebSocket), got "javascript:alert(document.domain)"`,
      `${where} entry 3 (id "n"): kind: is required; auth: is required; name: must be string`,
    ]);
    // Reported once each however often the file is read, and never rewritten by reading.
    await store.list();
    expect(reported).toHaveLength(3);
    expect(reported[1]).toMatch(/javascript:.*; skipped \(the file is left as it is/);
    expect(file.writes).toBe(0);
    expect(file.text).toBe(text);
    await expect(store.secret('j')).rejects.toThrow('no connection with id "j"');

    // A save keeps the skipped entries as they were written, after the good ones.
    await store.create({ ...prod, name: 'third' });
    const saved = JSON.parse(file.text!) as { connections: Array<{ id: string; name: unknown }> };
    expect(saved.connections.map((c) => `${c.id} ${String(c.name)}`)).toEqual([
      'a first',
      'c second',
      'new third',
      'a copy',
      'j evil',
      'n 7',
    ]);
    expect(reported).toHaveLength(3);
  });

  it('says what to do when a secret cannot be decrypted', async () => {
    const { store, file } = setup(undefined, fakeCipher);
    await store.create(prod);
    file.text = file.text!.replace(/sealed:[^"]*/, 'garbage');
    expect((await refusal(store.secret('c1'))).message).toBe(
      'cannot decrypt the token of "prod" (bad ciphertext): edit the connection and enter it again',
    );
    const locked = new ConnectionStore(file, () => 'x');
    expect((await refusal(locked.secret('c1'))).message).toMatch(/system keyring/);
  });

  it('keeps the Prometheus secret apart: sealed, never listed, only for the host', async () => {
    const { store, file } = setup(undefined, fakeCipher);
    const prometheus = { url: 'https://mimir.example/prometheus', auth: 'bearer' };
    const created = await store.create({ ...prod, prometheus, prometheusSecret: ' prom-tok ' });
    expect(created).toMatchObject({ hasSecret: true, hasPrometheusSecret: true, prometheus });
    expect(JSON.stringify(await store.list())).not.toContain('prom-tok');
    expect(file.text).not.toContain('prom-tok');
    expect(await store.prometheus('c1')).toEqual({
      name: 'prod',
      settings: prometheus,
      secret: 'prom-tok',
    });
    expect(await store.secret('c1')).toBe('s3cret-token');

    const { secret: _s, ...kept } = prod;
    await store.update('c1', { ...kept, prometheus });
    expect((await store.prometheus('c1')).secret).toBe('prom-tok');
    const basic = { ...prometheus, auth: 'basic', user: 'ops' };
    const switched = await refusal(store.update('c1', { ...kept, prometheus: basic }));
    expect(switched.errors).toEqual([
      { field: 'prometheusSecret', message: 'the password is required for basic authentication' },
    ]);
    const dropped = await store.update('c1', {
      ...kept,
      prometheus: { ...prometheus, auth: 'none' },
    });
    expect(dropped.hasPrometheusSecret).toBe(false);
    expect((await store.prometheus('c1')).secret).toBeNull();
  });

  it('allows Prometheus-only connections and says when one has no Prometheus', async () => {
    const { store } = setup();
    const { natsUrl: _n, secret: _s, ...rest } = prod;
    const created = await store.create({
      ...rest,
      auth: 'none',
      prometheus: { url: 'http://prom:9090', auth: 'none' },
    });
    expect(created).toMatchObject({ hasSecret: false, hasPrometheusSecret: false });
    expect(created).not.toHaveProperty('natsUrl');
    await store.create(prod);
    expect((await refusal(store.prometheus('c2'))).message).toBe(
      'connection "prod" has no Prometheus URL',
    );
  });

  it('reads files written before the Prometheus part, with prometheusUrl', async () => {
    const old = {
      version: 1,
      connections: [
        {
          id: 'old',
          name: 'prod',
          kind: 'nats',
          natsUrl: 'wss://nats.prod:443',
          auth: 'token',
          prometheusUrl: 'http://prom:9090',
          secret: { auth: 'token', encrypted: false, value: 't' },
        },
      ],
    };
    const { store, file } = setup(JSON.stringify(old));
    expect(await store.list()).toEqual([
      {
        id: 'old',
        name: 'prod',
        kind: 'nats',
        natsUrl: 'wss://nats.prod:443',
        auth: 'token',
        prometheus: { url: 'http://prom:9090', auth: 'none' },
        hasSecret: true,
        hasPrometheusSecret: false,
      },
    ]);
    expect(file.writes).toBe(0);
    await store.create({ ...prod, name: 'second' });
    expect(file.text).not.toContain('prometheusUrl');
    expect(await store.secret('old')).toBe('t');
  });
});
