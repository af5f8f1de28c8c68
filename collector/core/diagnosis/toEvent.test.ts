import { describe, expect, it } from 'vitest';

import { decodeMessage } from '../protocol/decode.js';
import type { EventsMessage } from '../protocol/spec.js';
import { diagnose } from './diagnose.js';
import { nvidiaNode, xid } from './testContext.js';
import { diagnosisEvent, eventDiagnosis } from './toEvent.js';
import type { Diagnosis } from './types.js';

const T = 1_764_000_000_000;

function throughWire(events: EventsMessage['events']): EventsMessage['events'] {
  const msg: EventsMessage = {
    v: 1,
    type: 'events',
    cluster: 'c1',
    node: 'node-017',
    ts: T,
    seq: 1,
    events,
  };
  const r = decodeMessage(JSON.stringify(msg));
  if (!r.ok) throw new Error(r.problem.message);
  return (r.message as EventsMessage).events;
}

describe('diagnosis ⇄ event', () => {
  it('round-trips through the compiled events validator unchanged', () => {
    const d = diagnose(xid(79, 3, T, 'GPU has fallen off the bus.'), nvidiaNode);
    const e = diagnosisEvent(d);
    expect(e).toMatchObject({
      kind: 'xid',
      message: d.title,
      severity: 'critical',
      code: '79',
      d: 'GPU-3',
      cause: d.cause,
      impact: d.impact,
      incident: d.incident,
      id: d.id,
      count: 1,
      lastTs: T,
    });
    const [back] = throughWire([e]);
    const again = eventDiagnosis(back!, 'node-017')!;
    expect(again).toEqual({ ...d, deviceLabel: 'GPU-3' });
  });

  it('cuts every field to the schema’s limits so the message still validates', () => {
    const d: Diagnosis = {
      ...diagnose(xid(13, 1, T), nvidiaNode),
      title: 'x'.repeat(10_000),
      code: 'c'.repeat(100),
      action: {
        bucket: 'restart-app',
        summary: 's',
        steps: Array.from({ length: 40 }, (_, i) => `step ${i}`),
      },
      evidence: Array.from({ length: 100 }, (_, i) => ({
        ts: T + i,
        text: 'y'.repeat(5000),
        source: 'kmsg',
      })),
      ref: { catalog: 'nvsentinel-xid', id: '1'.repeat(100), url: 'u'.repeat(2000) },
      id: 'i'.repeat(1000),
    };
    const [e] = throughWire([diagnosisEvent(d)]);
    expect(e!.message).toHaveLength(4096);
    expect(e!.action!.steps).toHaveLength(16);
    expect(e!.evidence).toHaveLength(32);
    expect(e!.evidence!.at(-1)!.ts).toBe(T + 99);
    expect(e!.ref!.url).toBeUndefined();
  });

  it('a resolved diagnosis goes out as info with "Resolved:" and comes back resolved', () => {
    const d = {
      ...diagnose(
        {
          kind: 'temperature',
          code: 'slowdown',
          ts: T,
          device: 'GPU-1',
          value: 88,
          limit: 87,
          evidence: [],
        },
        nvidiaNode,
      ),
      resolved: T + 60_000,
    };
    const [e] = throughWire([diagnosisEvent(d)]);
    expect(e).toMatchObject({
      severity: 'info',
      resolved: T + 60_000,
      message: `Resolved: ${d.title}`,
    });
    expect(eventDiagnosis(e!)).toMatchObject({
      resolved: T + 60_000,
      title: d.title,
      severity: 'info',
    });
  });

  it('an event without diagnosis fields is not a diagnosis', () => {
    expect(
      eventDiagnosis({ ts: T, kind: 'probe', severity: 'warning', message: 'nvidia-smi degraded' }),
    ).toBeUndefined();
  });
});
