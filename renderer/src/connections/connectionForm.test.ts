import { describe, expect, it } from 'vitest';

import type { ConnectionSummary } from '../platform/Platform.js';
import {
  DEFAULT_MAPPING_TEXT,
  emptyForm,
  formOf,
  keepsStoredSecret,
  toInput,
} from './connectionForm.js';

const saved: ConnectionSummary = {
  id: 'c1',
  name: 'prod',
  kind: 'nats',
  natsUrl: 'wss://nats.prod:443',
  auth: 'token',
  cluster: 'prod',
  hasSecret: true,
  hasPrometheusSecret: false,
};

describe('connection form', () => {
  it('turns a filled form into a save request', () => {
    const r = toInput({
      ...emptyForm(),
      name: ' lab ',
      natsUrl: 'ws://127.0.0.1:8080',
      auth: 'user-password',
      user: ' ops ',
      secret: 'pw',
      allClusters: false,
      cluster: ' lab ',
      prometheusUrl: ' http://prom:9090 ',
    });
    expect(r).toEqual({
      ok: true,
      input: {
        name: 'lab',
        kind: 'nats',
        natsUrl: 'ws://127.0.0.1:8080',
        auth: 'user-password',
        user: 'ops',
        secret: 'pw',
        cluster: 'lab',
        prometheus: { url: 'http://prom:9090', auth: 'none' },
      },
    });
  });

  it('puts each message next to its field', () => {
    const r = toInput({
      ...emptyForm(),
      natsUrl: 'nats://x:4222',
      auth: 'nkey',
      allClusters: false,
    });
    expect(r.ok ? {} : r.errors).toEqual({
      name: 'must not be blank',
      natsUrl: expect.stringMatching(/^must be a ws:\/\/ or wss:\/\/ URL/),
      secret: 'enter the NKey seed',
      cluster: 'name the cluster, or choose all clusters',
    });
  });

  it('keeps the stored secret on edit, but not across a change of authentication', () => {
    const form = formOf(saved);
    expect(form).toMatchObject({ name: 'prod', secret: '', allClusters: false, cluster: 'prod' });
    expect(keepsStoredSecret(form, saved)).toBe(true);
    const kept = toInput(form, saved);
    expect(kept.ok && kept.input).not.toHaveProperty('secret');
    const switched = toInput({ ...form, auth: 'creds' }, saved);
    expect(switched.ok ? {} : switched.errors).toEqual({ secret: 'enter the creds file' });
  });

  it('validates the Eagle Eye mapping as JSON and stores only a changed one', () => {
    const base = { ...emptyForm(), name: 'x', natsUrl: 'ws://n:1', eagleEye: true };
    const plain = toInput(base);
    expect(plain.ok && plain.input.eagleEye).toEqual({ enabled: true });

    const broken = toInput({ ...base, mapping: '{"identity": ' });
    expect(broken.ok ? '' : broken.errors.mapping).toMatch(/^mapping: not JSON: /);

    const custom = JSON.parse(DEFAULT_MAPPING_TEXT);
    custom.identity.node = 'host';
    const changed = toInput({ ...base, mapping: JSON.stringify(custom) });
    expect(changed.ok && changed.input.eagleEye?.mapping?.identity.node).toBe('host');

    custom.metrics[0].metric = 'engine.nope';
    const wrong = toInput({ ...base, mapping: JSON.stringify(custom) });
    expect(wrong.ok ? '' : wrong.errors.mapping).toMatch(
      /^mapping\.metrics\.0\.metric: "engine\.nope"/,
    );
  });

  it('turns Eagle Eye off explicitly for a connection that had it', () => {
    const withEagle = { ...saved, eagleEye: { enabled: true } };
    const r = toInput({ ...formOf(withEagle), eagleEye: false }, withEagle);
    expect(r.ok && r.input.eagleEye).toEqual({ enabled: false });
  });

  it('turns the Prometheus part into settings and a secret, NATS optional', () => {
    const r = toInput({
      ...emptyForm(),
      name: 'mimir',
      natsUrl: 'wss://',
      prometheusUrl: ' https://mimir.example/prometheus ',
      promAuth: 'basic',
      promUser: 'ops',
      promSecret: 'pw',
      promHeaders: [
        { name: 'X-Scope-OrgID', value: 'tenant-1' },
        { name: '', value: '' },
      ],
    });
    expect(r).toEqual({
      ok: true,
      input: {
        name: 'mimir',
        kind: 'nats',
        auth: 'none',
        prometheus: {
          url: 'https://mimir.example/prometheus',
          auth: 'basic',
          user: 'ops',
          headers: [{ name: 'X-Scope-OrgID', value: 'tenant-1' }],
        },
        prometheusSecret: 'pw',
      },
    });
  });

  it('puts Prometheus messages next to their fields, headers by row', () => {
    const r = toInput({
      ...emptyForm(),
      name: 'x',
      natsUrl: '',
      prometheusUrl: 'prom:9090',
      promAuth: 'bearer',
      promHeaders: [
        { name: 'X-Ok', value: '1' },
        { name: 'Authorization', value: 'Bearer x' },
      ],
    });
    expect(r.ok ? {} : r.errors).toEqual({
      prometheusUrl: expect.stringMatching(/^must be an http:\/\/ or https:\/\/ URL/),
      promSecret: 'enter the bearer token',
      promHeaders:
        'header 2: Authorization is set from the authentication fields: choose bearer or basic there',
    });
    const neither = toInput({ ...emptyForm(), name: 'x', natsUrl: ' ' });
    expect(neither.ok ? {} : neither.errors).toEqual({
      natsUrl: 'is required unless a Prometheus URL is given (a connection needs one)',
    });
  });

  it('keeps a stored Prometheus secret for the same auth, and edits round-trip', () => {
    const stored: ConnectionSummary = {
      ...saved,
      prometheus: { url: 'http://prom:9090', auth: 'bearer' },
      hasPrometheusSecret: true,
    };
    const form = formOf(stored);
    expect(form).toMatchObject({ prometheusUrl: 'http://prom:9090', promAuth: 'bearer' });
    const r = toInput({ ...form, secret: '' }, stored);
    expect(r).toEqual({
      ok: true,
      input: {
        name: 'prod',
        kind: 'nats',
        natsUrl: 'wss://nats.prod:443',
        auth: 'token',
        cluster: 'prod',
        prometheus: { url: 'http://prom:9090', auth: 'bearer' },
      },
    });
    const switched = toInput({ ...form, promAuth: 'basic', promUser: 'u' }, stored);
    expect(switched.ok ? {} : switched.errors).toEqual({ promSecret: 'enter the password' });
  });

  it('asks for the secrets again when the URL or user they were saved with changes', () => {
    const stored: ConnectionSummary = {
      ...saved,
      prometheus: { url: 'https://prom.a:9090/prom', auth: 'bearer' },
      hasPrometheusSecret: true,
    };
    const form = formOf(stored);
    // The same place written differently keeps both.
    const same = {
      ...form,
      natsUrl: 'WSS://nats.prod/',
      prometheusUrl: 'https://prom.a:9090/prom/',
    };
    expect(keepsStoredSecret(same, stored)).toBe(true);
    expect(toInput(same, stored).ok).toBe(true);
    const moved = toInput(
      { ...form, natsUrl: 'wss://nats.evil:443', prometheusUrl: 'https://prom.a:9090/other' },
      stored,
    );
    expect(moved.ok ? {} : moved.errors).toEqual({
      secret:
        'enter the token again: the saved one is used only with the URL and user it was saved with',
      promSecret:
        'enter the bearer token again: the saved one is used only with the URL and user it was saved with',
    });
    const userSaved: ConnectionSummary = { ...saved, auth: 'user-password', user: 'ops' };
    const renamed = { ...formOf(userSaved), user: 'root' };
    expect(keepsStoredSecret(renamed, userSaved)).toBe(false);
  });
});
