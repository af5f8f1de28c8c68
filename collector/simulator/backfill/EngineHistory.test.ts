import { describe, expect, it } from 'vitest';

import { EngineHistory, type EngineHistoryOptions } from './EngineHistory.js';

const START = 1_764_400_000_000;
const BASE: EngineHistoryOptions = {
  engines: 4,
  framework: 'vllm',
  names: 'new',
  stepMs: 30_000,
  startMs: START,
  seed: 1,
};

const LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{([^}]*)\} (\S+) (\d+)$/;

function lines(history: EngineHistory, untilMs: number): string[] {
  let text = '';
  history.writeUntil(untilMs, (t) => (text += t));
  return text.split('\n').filter((l) => l !== '');
}

function parse(line: string): { name: string; labels: string; value: number; ts: number } {
  const m = LINE.exec(line);
  if (!m) throw new Error(`not a timestamped sample: ${line}`);
  return { name: m[1]!, labels: m[2]!, value: Number(m[3]), ts: Number(m[4]) };
}

describe('EngineHistory', () => {
  it('stamps every sample with its scrape time, one interval after another', () => {
    const h = new EngineHistory(BASE);
    const out = lines(h, START + 5 * 30_000).map(parse);
    const times = [...new Set(out.map((s) => s.ts))];
    expect(times).toEqual([0, 1, 2, 3, 4].map((i) => (START + i * 30_000) / 1000));
    expect(h.nextMs).toBe(START + 5 * 30_000);
    // A second call continues where the first stopped.
    const more = lines(h, START + 6 * 30_000).map(parse);
    expect(new Set(more.map((s) => s.ts))).toEqual(new Set([(START + 5 * 30_000) / 1000]));
  });

  it('labels each engine as its own scrape target', () => {
    const h = new EngineHistory({ ...BASE, engines: 5 });
    const out = lines(h, START + 1).map(parse);
    const instances = new Set(out.map((s) => /instance="([^"]+)"/.exec(s.labels)?.[1]));
    expect(instances.size).toBe(5);
    expect(out.every((s) => /job="vllm"/.test(s.labels) && /engine="vllm-\d"/.test(s.labels))).toBe(
      true,
    );
    expect(h.engines.every((e) => e.spec.framework === 'vllm')).toBe(true);
  });

  it('writes the naming generation asked for', () => {
    const names = (n: 'new' | 'old') =>
      new Set(lines(new EngineHistory({ ...BASE, names: n }), START + 1).map((l) => parse(l).name));
    const fresh = names('new');
    const old = names('old');
    expect(fresh.has('vllm:inter_token_latency_seconds_bucket')).toBe(true);
    expect(fresh.has('vllm:kv_cache_usage_perc')).toBe(true);
    expect(old.has('vllm:time_per_output_token_seconds_bucket')).toBe(true);
    expect(old.has('vllm:gpu_cache_usage_perc')).toBe(true);
    expect(old.has('vllm:kv_cache_usage_perc')).toBe(false);
  });

  it('keeps counters and histogram counts cumulative over time', () => {
    const h = new EngineHistory({ ...BASE, engines: 1 });
    const out = lines(h, START + 40 * 30_000).map(parse);
    const series = (name: string, extra = '') =>
      out.filter((s) => s.name === name && s.labels.includes(extra)).map((s) => s.value);
    const counts = series('vllm:e2e_request_latency_seconds_count');
    const inf = series('vllm:e2e_request_latency_seconds_bucket', 'le="+Inf"');
    expect(counts).toHaveLength(40);
    expect(counts.at(-1)).toBeGreaterThan(0);
    expect(inf).toEqual(counts);
    for (const name of ['vllm:prompt_tokens_total', 'vllm:e2e_request_latency_seconds_count']) {
      const v = series(name);
      expect(v.every((x, i) => i === 0 || x >= v[i - 1]!)).toBe(true);
    }
  });

  it('refuses a step under a second', () => {
    expect(() => new EngineHistory({ ...BASE, stepMs: 500 })).toThrow(/step 500 ms/);
  });
});
