import { describe, expect, it } from 'vitest';

import { LiveStore } from '../../store/LiveStore.js';
import { metrics } from '../../testing/messages.js';
import { engineProfilePlan } from './prepareEngineProfile.js';
import { prepareEngines } from './prepareEngines.js';

const running = (engine: string, model: string, framework = 'vllm') => ({
  m: 'engine.requests.running',
  v: 1,
  l: { engine, model, framework },
});

function rows() {
  const s = new LiveStore();
  s.ingest({
    receivedAt: 1000,
    messages: [
      metrics(1000, [running('10.0.0.1:8000', 'llama-70b'), running('10.0.0.1:8001', 'qwen')], {
        node: 'gpu-1',
        interval: 500,
      }),
      metrics(1000, [running('10.0.0.2:8000', 'llama-70b')], { node: 'gpu-2', interval: 500 }),
      metrics(1000, [running('vllm-3', 'llama-70b'), running('vllm-4', 'llama-70b')], {
        node: 'gpu-3',
        interval: 500,
      }),
      metrics(1000, [running('10.0.0.4:30000', 'llama-70b', 'sglang')], {
        node: 'gpu-4',
        interval: 500,
      }),
    ],
  });
  return prepareEngines(s, 1000, true);
}

describe('engineProfilePlan', () => {
  it("the row's model and framework on every node, each with the port of its host:port label", () => {
    const all = rows();
    const row = all.find((r) => r.node === 'gpu-2')!;
    const plan = engineProfilePlan(all, row);
    expect(plan.model).toBe('llama-70b');
    expect(plan.nodes).toBe(3);
    expect(
      plan.instances
        .map((i) => [i.node, i.engine, i.target.framework, i.target.port])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ).toEqual([
      ['gpu-1', '10.0.0.1:8000', 'vllm', 8000],
      ['gpu-2', '10.0.0.2:8000', 'vllm', 8000],
      // No port in the labels: the agent finds the engine by its command line, once for both.
      ['gpu-3', 'vllm-3, vllm-4', 'vllm', undefined],
    ]);
    expect(plan.instances.every((i) => i.cluster === row.cluster)).toBe(true);
  });
});
