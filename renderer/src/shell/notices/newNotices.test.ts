import { describe, expect, it } from 'vitest';

import { HealthMarks } from '../../lib/health/healthMarks.js';
import type { StoredDiagnosis } from '../../lib/health/storedDiagnoses.js';
import { keepToasts, MAX_TOASTS, newNotices, NOTICE_RECENT_MS } from './newNotices.js';

const OPENED = 1_780_000_000_000;

const d = (id: string, over: Partial<StoredDiagnosis> = {}): StoredDiagnosis =>
  ({
    id,
    incident: `inc-${id}`,
    ts: OPENED + 1000,
    lastTs: OPENED + 1000,
    count: 1,
    severity: 'critical',
    title: `fault ${id}`,
    deviceLabel: 'GPU 3',
    nodeKey: 'node-017',
    nodeName: 'node-017',
    cluster: 'c',
    ...over,
  }) as StoredDiagnosis;

describe('newNotices', () => {
  it('raises one notice per new diagnosis of warning or worse, once', () => {
    const seen = new Set<string>();
    const marks = new HealthMarks('n', undefined);
    const list = [d('a'), d('b', { severity: 'info' }), d('c', { severity: 'warning' })];
    expect(newNotices(list, seen, marks, OPENED).map((n) => n.id)).toEqual(['a', 'c']);
    // The same diagnoses again (a count update): nothing new.
    expect(newNotices([...list, d('a', { count: 9 })], seen, marks, OPENED)).toEqual([]);
    expect(newNotices([d('e', { severity: 'error' })], seen, marks, OPENED)[0]).toEqual({
      id: 'e',
      incident: JSON.stringify(['node-017', 'inc-e']),
      severity: 'error',
      title: 'fault e',
      device: 'GPU 3',
      node: 'node-017',
      ts: OPENED + 1000,
    });
  });

  it('raises one notice per incident: a follower joining an incident on screen raises none', () => {
    const seen = new Set<string>();
    const marks = new HealthMarks('n', undefined);
    expect(newNotices([d('xid79', { incident: 'i' })], seen, marks, OPENED)).toHaveLength(1);
    const follower = d('xid45', { incident: 'i', severity: 'warning' });
    expect(newNotices([follower], seen, marks, OPENED)).toEqual([]);
  });

  it('raises none for history from before the page opened, marked ones or cleared ones', () => {
    const marks = new HealthMarks('n', undefined);
    marks.mark(['acked'], 'acknowledged', OPENED);
    const list = [
      d('old', { ts: OPENED - NOTICE_RECENT_MS - 1 }),
      d('recent', { ts: OPENED - NOTICE_RECENT_MS }),
      d('acked'),
      d('cleared', { resolved: OPENED + 2000 }),
    ];
    expect(newNotices(list, new Set(), marks, OPENED).map((n) => n.id)).toEqual(['recent']);
  });
});

describe('keepToasts', () => {
  it(`keeps the newest ${MAX_TOASTS}`, () => {
    const n = (id: string) => ({
      ...newNotices([d(id)], new Set(), new HealthMarks('k', undefined), OPENED)[0]!,
    });
    const shown = keepToasts([n('1'), n('2')], [n('3'), n('4')]);
    expect(shown.map((x) => x.id)).toEqual(['2', '3', '4']);
  });
});
