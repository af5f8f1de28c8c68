import { describe, expect, it } from 'vitest';

import { LiveStore } from '../../store/LiveStore.js';
import { liveEdge } from './liveEdge.js';

const T = 1_700_000_000_000;

function store() {
  const s = new LiveStore(60);
  const engine = (
    node: string,
    ts: number,
    engineId: string,
    model: string,
    running: number,
    kv: number,
    framework = 'vllm',
  ) => ({
    v: 1 as const,
    type: 'metrics' as const,
    cluster: 'c',
    node,
    ts,
    seq: ts,
    interval: 1000,
    samples: [
      { m: 'engine.requests.running', v: running, l: { engine: engineId, model, framework } },
      { m: 'engine.kv_cache.usage', v: kv, l: { engine: engineId, model, framework } },
    ],
  });
  for (let i = 0; i < 3; i++) {
    const ts = T + i * 1000;
    s.ingest({
      receivedAt: ts,
      messages: [
        engine('node-000', ts, 'vllm-0', 'llama', 10 + i, 20),
        engine('node-001', ts + 200, 'vllm-0', 'llama', 5, 60),
        engine('node-002', ts, 'vllm-0', 'qwen', 100, 90),
        // Read from Prometheus by the fleet source: its own points, and another flavour.
        engine('node-003', ts, 'h:8000', 'llama', 700, 10, 'TGI'),
      ],
    });
  }
  return s;
}

describe('liveEdge', () => {
  it('sums running and averages KV usage over the selected model’s engines, per second', () => {
    const edge = liveEdge(store(), 'llama', undefined, 'vllm');
    expect(edge['requests:running']).toEqual([
      [T, 15],
      [T + 1000, 16],
      [T + 2000, 17],
    ]);
    expect(edge['kvCache:mean']![0]).toEqual([T, 40]);
    expect(edge['kvCache:max']![0]).toEqual([T, 60]);
  });

  it('reads one engine when a node and engine are selected', () => {
    const edge = liveEdge(store(), 'llama', {
      id: 'x',
      label: 'node-001 · vllm-0',
      values: { node: 'node-001', engine: 'vllm-0' },
    });
    expect(edge['requests:running']!.map(([, v]) => v)).toEqual([5, 5, 5]);
  });

  it('has no live edge for a selection by Prometheus instance, or a model not on NATS', () => {
    expect(
      liveEdge(store(), 'llama', { id: 'i', label: 'i', values: { instance: 'h:1' } }),
    ).toEqual({});
    expect(liveEdge(store(), 'mistral', undefined)).toEqual({});
  });
});
