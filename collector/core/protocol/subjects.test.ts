import { describe, expect, it } from 'vitest';

import {
  clusterSubscription,
  parseSubject,
  subjectFor,
  subjectToken,
  unknownTypeSubject,
} from './subjects.js';

describe('unknownTypeSubject', () => {
  it('names the type, cluster and node of a v1 subject of a type this version does not know', () => {
    expect(unknownTypeSubject('osprey.v1.alerts.prod.n1')).toEqual({
      type: 'alerts',
      cluster: 'prod',
      node: 'n1',
    });
  });

  it('is undefined for a known type, another version and a foreign subject', () => {
    for (const subject of ['osprey.v1.metrics.prod.n1', 'osprey.v2.alerts.prod.n1', 'a.b.c']) {
      expect(unknownTypeSubject(subject)).toBeUndefined();
    }
  });
});

describe('NATS subjects', () => {
  it('builds one subject per type, cluster and node', () => {
    expect(subjectFor('metrics', 'prod', 'node-17')).toBe('osprey.v1.metrics.prod.node-17');
    expect(clusterSubscription('prod')).toBe('osprey.v1.*.prod.*');
  });

  it('keeps names to one token', () => {
    expect(subjectToken('gpu01.dc1.example.com')).toBe('gpu01_dc1_example_com');
    expect(subjectToken('a b*c>')).toBe('a_b_c_');
    expect(subjectToken('')).toBe('_');
    expect(subjectFor('events', 'eu.west', 'n 1')).toBe('osprey.v1.events.eu_west.n_1');
  });

  it('parses its own subjects and nothing else', () => {
    expect(parseSubject('osprey.v1.inventory.prod.node-17')).toEqual({
      type: 'inventory',
      cluster: 'prod',
      node: 'node-17',
    });
    expect(parseSubject('osprey.v2.metrics.prod.n')).toBeUndefined();
    expect(parseSubject('osprey.v1.gossip.prod.n')).toBeUndefined();
    expect(parseSubject('osprey.v1.metrics.prod')).toBeUndefined();
    expect(parseSubject('eagle_eye.routing_metrics')).toBeUndefined();
  });
});
