import { describe, expect, it } from 'vitest';

import { LiveStore } from '../../store/LiveStore.js';
import { metrics } from '../../testing/messages.js';
import { prepareEngines, searchEngines, sortEngines } from './prepareEngines.js';

const l = (engine: string, extra: Record<string, string> = {}) => ({
  engine,
  model: 'Qwen/Qwen3-32B',
  framework: 'vllm',
  ...extra,
});

function store(): LiveStore {
  const s = new LiveStore();
  s.ingest({
    receivedAt: 1000,
    messages: [
      metrics(
        1000,
        [
          { m: 'engine.requests.running', v: 12, l: l('vllm-0') },
          { m: 'engine.requests.waiting', v: 3, l: l('vllm-0') },
          { m: 'engine.kv_cache.usage', v: 83.14, l: l('vllm-0') },
          { m: 'engine.prefix_cache.hit_rate', v: 41, l: l('vllm-0') },
          { m: 'engine.tokens.prompt', v: 9120, l: l('vllm-0') },
          { m: 'engine.tokens.generation', v: 2400.4, l: l('vllm-0') },
          { m: 'engine.latency.ttft', v: 0.08, l: l('vllm-0', { q: 'p50' }) },
          { m: 'engine.latency.ttft', v: 0.412, l: l('vllm-0', { q: 'p99' }) },
          { m: 'engine.requests.running', v: 40, l: l('vllm-1') },
          { m: 'engine.kv_cache.usage', v: null, s: 'missing', l: l('vllm-1') },
          { m: 'host.cpu.utilization', v: 5 },
        ],
        { node: 'node-2', interval: 500 },
      ),
      metrics(
        1000,
        [{ m: 'engine.requests.running', v: 1, l: l('sglang-0', { framework: 'sglang' }) }],
        {
          node: 'node-10',
          interval: 500,
        },
      ),
    ],
  });
  return s;
}

describe('prepareEngines', () => {
  it('makes one row per engine instance with units on every value', () => {
    const rows = prepareEngines(store(), 1200, true);
    expect(rows.map((r) => [r.node, r.engine, r.framework])).toEqual([
      ['node-2', 'vllm-0', 'vllm'],
      ['node-2', 'vllm-1', 'vllm'],
      ['node-10', 'sglang-0', 'sglang'],
    ]);
    const v = rows[0]!.values;
    expect(Object.fromEntries(Object.entries(v).map(([k, c]) => [k, c.text]))).toEqual({
      running: '12',
      waiting: '3',
      kvCache: '83.1 %',
      prefixHit: '41 %',
      prompt: '9120 tok/s',
      generation: '2400 tok/s',
      ttftP99: '412 ms',
    });
    expect(rows[0]).toMatchObject({ model: 'Qwen/Qwen3-32B', ageText: 'just now', stale: false });
    expect(rows[1]!.values.kvCache).toEqual({ value: null, text: '—' });
    expect(rows[1]!.values.waiting.text).toBe('—');
  });

  it('marks rows stale past two intervals plus 1 s (core isStale) and while not live', () => {
    // Stamped 1,000 at a 500 ms interval: fresh up to 1,000 + 2 × 500 + 1,000.
    expect(prepareEngines(store(), 3000, true)[0]!.stale).toBe(false);
    expect(prepareEngines(store(), 3001, true)[0]!.stale).toBe(true);
    expect(prepareEngines(store(), 1200, false)[0]!.stale).toBe(true);
  });

  it('sorts by any column, absent values last, and searches', () => {
    const rows = prepareEngines(store(), 1200, true);
    expect(sortEngines(rows, { key: 'running', descending: true }).map((r) => r.engine)).toEqual([
      'vllm-1',
      'vllm-0',
      'sglang-0',
    ]);
    expect(sortEngines(rows, { key: 'kvCache', descending: false }).map((r) => r.engine)).toEqual([
      'vllm-0',
      'vllm-1',
      'sglang-0',
    ]);
    expect(sortEngines(rows, { key: 'node', descending: false }).map((r) => r.node)).toEqual([
      'node-2',
      'node-2',
      'node-10',
    ]);
    expect(searchEngines(rows, 'SGLANG').map((r) => r.engine)).toEqual(['sglang-0']);
  });
});
