import { describe, expect, it } from 'vitest';

import type { EventRecord, Sample } from '../../../../collector/core/protocol/spec.js';
import { LiveStore } from '../../store/LiveStore.js';
import { events, inventory, metrics, H100 } from '../../testing/messages.js';
import { ENGINE_RULES, engineStatus, statusRules, type EngineStatusInput } from './engineStatus.js';
import { prepareEngines, sortEngines } from './prepareEngines.js';

const base: EngineStatusInput = {
  running: 40,
  waiting: 0,
  kvCache: 50,
  runningMax: 60,
  lastValueAgeMs: 200,
  generationZeroMs: undefined,
  intervalMs: 1000,
  live: true,
};

describe('engineStatus', () => {
  it('names the thresholds in its rules', () => {
    expect(ENGINE_RULES).toEqual({
      saturatedKvCachePercent: 95,
      saturatedWaiting: 16,
      stalledMs: 10_000,
      downIntervals: 3,
    });
    expect(statusRules().saturated).toBe(
      'Saturated: KV cache ≥ 95 %, or more than 16 requests waiting with the running batch at its largest.',
    );
    expect(statusRules().stalled).toContain('10 s or more');
  });

  it('serving when values arrive and no rule holds', () => {
    expect(engineStatus(base).status).toBe('serving');
  });

  it('saturated at KV cache ≥ 95 %, not at 94.9 %', () => {
    expect(engineStatus({ ...base, kvCache: 95 })).toEqual({
      status: 'saturated',
      reason: 'KV cache 95 % ≥ 95 %',
    });
    expect(engineStatus({ ...base, kvCache: 94.9 }).status).toBe('serving');
  });

  it('saturated with more than 16 waiting only while running is at its largest', () => {
    expect(engineStatus({ ...base, waiting: 17, running: 60 }).status).toBe('saturated');
    expect(engineStatus({ ...base, waiting: 16, running: 60 }).status).toBe('serving');
    expect(engineStatus({ ...base, waiting: 17, running: 59 }).status).toBe('serving');
  });

  it('stalled with requests waiting and 0 tok/s for 10 s, not 9.9 s', () => {
    expect(engineStatus({ ...base, waiting: 3, generationZeroMs: 10_000 })).toEqual({
      status: 'stalled',
      reason: '3 waiting, 0 tok/s generated for 10 s',
    });
    expect(engineStatus({ ...base, waiting: 3, generationZeroMs: 9_900 }).status).toBe('serving');
    // Nothing waiting: an idle engine generates nothing and is not stuck.
    expect(engineStatus({ ...base, waiting: 0, generationZeroMs: 60_000 }).status).toBe('serving');
  });

  it('down past 3 intervals without a value, or without values beside a critical diagnosis', () => {
    expect(engineStatus({ ...base, lastValueAgeMs: 3000 }).status).toBe('serving');
    expect(engineStatus({ ...base, lastValueAgeMs: 3001 })).toEqual({
      status: 'down',
      reason: 'no value for 3 s (> 3 × 1 s)',
    });
    const silent = { ...base, running: null, waiting: null, kvCache: null };
    expect(engineStatus({ ...silent, fatal: 'GPU 2: fell off the bus' })).toEqual({
      status: 'down',
      reason: 'no value, and GPU 2: fell off the bus',
    });
    // Values still flowing: a critical device elsewhere on the node does not make it down.
    expect(engineStatus({ ...base, fatal: 'GPU 2: fell off the bus' }).status).toBe('serving');
  });

  it('unknown while the source is not live', () => {
    expect(engineStatus({ ...base, live: false, lastValueAgeMs: 60_000 }).status).toBe('unknown');
  });
});

const labels = (engine: string) => ({ engine, model: 'Qwen/Qwen3-32B', framework: 'vllm' });

function engineSamples(engine: string, v: Partial<Record<string, number | null>>): Sample[] {
  return Object.entries(v).map(([m, x]) =>
    x === null
      ? { m, v: null, s: 'missing' as const, l: labels(engine) }
      : { m, v: x!, l: labels(engine) },
  );
}

describe('prepareEngines status', () => {
  /** Ticks 1 s apart on node-1: `busy` full, `dead` empty after tick 2, `stuck` queued at 0 tok/s. */
  function store(ticks: number, fault?: EventRecord): LiveStore {
    const s = new LiveStore();
    s.ingest({
      receivedAt: 0,
      messages: [inventory([H100], undefined, { node: 'node-1', ts: 0 })],
    });
    for (let t = 0; t < ticks; t++) {
      const ts = 1000 * (t + 1);
      s.ingest({
        receivedAt: ts,
        messages: [
          metrics(
            ts,
            [
              ...engineSamples('busy', {
                'engine.requests.running': 256,
                'engine.requests.waiting': 140,
                'engine.kv_cache.usage': 100,
                'engine.tokens.generation': 5000,
              }),
              ...engineSamples(
                'dead',
                t < 2
                  ? { 'engine.requests.running': 10, 'engine.requests.waiting': 0 }
                  : { 'engine.requests.running': null, 'engine.requests.waiting': null },
              ),
              ...engineSamples('stuck', {
                'engine.requests.running': 4,
                'engine.requests.waiting': 7,
                'engine.kv_cache.usage': 30,
                'engine.tokens.generation': t < 1 ? 100 : 0,
              }),
            ],
            { node: 'node-1', seq: t + 1 },
          ),
        ],
      });
    }
    if (fault)
      s.ingest({ receivedAt: 1000 * ticks, messages: [events(1000 * ticks, [fault], 'node-1')] });
    return s;
  }

  it('an engine at KV cache 100 % with 140 waiting is saturated; one whose samples arrive empty is down, not updated just now', () => {
    // 14 ticks: the last value of "dead" was at 2,000, 12 s before now = 14,000.
    const rows = prepareEngines(store(14), 14_000, true);
    const by = new Map(rows.map((r) => [r.engine, r]));
    expect(by.get('busy')).toMatchObject({
      status: 'saturated',
      statusReason: 'KV cache 100 % ≥ 95 %',
      ageText: 'just now',
    });
    expect(by.get('dead')).toMatchObject({
      status: 'down',
      statusReason: 'no value for 12 s (> 3 × 1 s)',
      ageText: '12 s ago',
      stale: true,
    });
    // Generation 0 from tick 2 (2,000) to tick 14 (14,000): 12 s with 7 waiting.
    expect(by.get('stuck')).toMatchObject({
      status: 'stalled',
      statusReason: '7 waiting, 0 tok/s generated for 12 s',
    });
    expect(sortEngines(rows, { key: 'status', descending: false }).map((r) => r.engine)).toEqual([
      'dead',
      'stuck',
      'busy',
    ]);
  });

  it('a critical diagnosis on the node makes an engine without values down at once', () => {
    const fault: EventRecord = {
      ts: 3000,
      kind: 'xid',
      severity: 'critical',
      message: 'GPU has fallen off the bus',
      d: H100.id,
      code: '79',
      id: 'node-1/xid/79',
      action: { bucket: 'reboot-node', summary: 'Drain the node and reboot it', steps: [] },
      ref: { catalog: 'nvsentinel-xid', id: '79' },
    };
    // 3 ticks: "dead" was last valued at 2,000, 1 s before now: not yet past 3 intervals.
    expect(prepareEngines(store(3), 3000, true).find((r) => r.engine === 'dead')!.status).toBe(
      'serving',
    );
    const row = prepareEngines(store(3, fault), 3000, true).find((r) => r.engine === 'dead')!;
    expect(row).toMatchObject({
      status: 'down',
      statusReason: 'no value, and GPU 0: GPU has fallen off the bus',
    });
  });
});
