import { describe, expect, it } from 'vitest';

import { diagnosisEvent } from '../../../../collector/core/diagnosis/toEvent.js';
import type { Diagnosis } from '../../../../collector/core/diagnosis/types.js';
import { LiveStore } from '../../store/LiveStore.js';
import { events, H100, inventory, metrics } from '../../testing/messages.js';
import { storedDiagnoses } from './storedDiagnoses.js';

const base: Diagnosis = {
  id: 'box/GPU-0/xid/79',
  incident: 'box/GPU-0/xid/79',
  ts: 900,
  lastTs: 900,
  count: 1,
  device: H100.id,
  deviceLabel: 'GPU 0',
  kind: 'xid',
  code: '79',
  severity: 'critical',
  title: 'GPU 0 fell off the PCIe bus',
  cause: 'c',
  impact: 'i',
  action: { bucket: 'reboot-node', summary: 'Drain the node and reboot it', steps: [] },
  ref: { catalog: 'nvsentinel-xid', id: '79' },
  evidence: [{ ts: 900, text: 'NVRM: Xid 79', source: 'kmsg' }],
};

/** The store hears `box` at 11,000 local for its 1,000: its clock is 10,000 ahead of the node's. */
function storeWith(list: Diagnosis[]): LiveStore {
  const store = new LiveStore();
  store.ingest({
    receivedAt: 11_000,
    messages: [
      inventory([H100]),
      metrics(1000, []),
      events(1000, [
        { ts: 950, kind: 'probe', severity: 'info', message: 'nvidia-smi: starting → ok' },
        ...list.map(diagnosisEvent),
      ]),
    ],
  });
  return store;
}

describe('storedDiagnoses', () => {
  it('reads the diagnoses among the events on the local clock, names the device from the inventory, and leaves plain events out', () => {
    const [d, ...rest] = storedDiagnoses(storeWith([base]));
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      id: base.id,
      ts: 10_900,
      lastTs: 10_900,
      // The wire carries the id; the inventory names it.
      deviceLabel: 'GPU 0',
      nodeKey: 'box',
      nodeName: 'box',
      cluster: 'local',
      evidence: [{ ts: 10_900, text: 'NVRM: Xid 79', source: 'kmsg' }],
    });
  });

  it('keeps one row per diagnosis id: the newest count and time', () => {
    const later = { ...base, lastTs: 990, count: 40 };
    const list = storedDiagnoses(storeWith([base, later, base]));
    expect(list.map((d) => [d.id, d.count, d.lastTs])).toEqual([[base.id, 40, 10_990]]);
  });

  it('keeps the severity it had when its agent clears it (the all-clear travels as info)', () => {
    const temp = {
      ...base,
      id: 't',
      incident: 't',
      kind: 'temperature' as const,
      severity: 'warning' as const,
    };
    const cleared = { ...temp, lastTs: 995, resolved: 995 };
    const [d] = storedDiagnoses(storeWith([temp, cleared]));
    expect([d!.severity, d!.resolved]).toEqual(['warning', 10_995]);
  });
});
