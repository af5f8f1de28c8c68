import { describe, expect, it } from 'vitest';

import type { EngineImpact, Window } from './engineImpact.js';
import { historyFromAnswers, impactAsk, withHistory } from './impactHistory.js';
import { impactQueries } from '../../../../collector/core/prometheus/impactQueries.js';
import { impactRow } from './impactText.js';

const TS = 1_780_000_000_000;
const NOW = TS + 3_600_000;

const empty: Window = {
  running: null,
  waiting: null,
  ttftP50: null,
  ttftP99: null,
  finished: null,
  failed: null,
  errorRate: null,
  ticks: 0,
  reported: 0,
};

const engine = (name: string, before = empty, after = empty): EngineImpact => ({
  engine: name,
  model: 'llama-3-70b',
  before,
  after,
  state: 'unknown',
  countsFailures: false,
  lastReportedAt: undefined,
});

const sample = (engine: string, value: number) => ({ metric: { engine }, time: TS, value });

describe('impactAsk', () => {
  it('asks about the engines with no tick in the store on either side of the incident', () => {
    const served: Window = { ...empty, running: 4, waiting: 0, ticks: 60, reported: 60 };
    const ask = impactAsk('k', 'node-017', TS, [
      engine('old'),
      engine('fresh', served, served),
      engine('half', served, empty),
    ]);
    expect(ask).toEqual({ key: 'k', node: 'node-017', ts: TS, engines: ['old', 'half'] });
    expect(impactAsk('k', 'n', TS, [engine('fresh', served, served)])).toBeUndefined();
  });
});

describe('historyFromAnswers and withHistory', () => {
  const plan = impactQueries('node-017', ['a', 'b'], TS, NOW)!;
  // Answers in the plan's order: running, waiting, p50, p99 before; the same after.
  const answers = [
    [sample('a', 6.5), sample('b', 3)],
    [sample('a', 0), sample('b', 1)],
    [sample('a', 0.12), sample('b', Number.NaN)],
    [sample('a', 0.48)],
    [sample('a', 0)],
    [sample('a', 120)],
    [],
    undefined,
  ];

  it("reads each engine's numbers by side and quantity, NaN as no value", () => {
    const h = historyFromAnswers(plan, answers);
    expect(h.get('a')).toEqual({
      before: { running: 6.5, waiting: 0, ttftP50: 0.12, ttftP99: 0.48 },
      after: { running: 0, waiting: 120 },
      queries: [...new Set(plan.queries.map((q) => q.query))],
    });
    expect(h.get('b')!.before).toEqual({ running: 3, waiting: 1 });
    expect(h.get('b')!.after).toEqual({});
  });

  it("fills the store's empty windows: running 0 with 120 waiting after is stalled, silence after is stopped", () => {
    const h = historyFromAnswers(plan, answers);
    const [a, b, c] = withHistory([engine('a'), engine('b'), engine('c')], h);
    expect(a!.before).toMatchObject({ running: 6.5, waiting: 0, ttftP50: 0.12, ttftP99: 0.48 });
    expect(a!.after).toMatchObject({ running: 0, waiting: 120, ttftP50: null, ticks: 1 });
    expect(a!.state).toBe('stalled');
    expect(b!.state).toBe('stopped');
    expect(c).toEqual(engine('c'));
    const row = impactRow(a!);
    expect(row.running).toBe('7 → 0');
    expect(row.waiting).toBe('0 → 120');
    expect(row.prometheus).toBe(a!.prometheus!.queries.join('\n'));
    expect(row.prometheus).toContain('vllm:num_requests_running');
    expect(impactRow(c!).prometheus).toBeUndefined();
  });

  it('keeps the windows the store holds', () => {
    const served: Window = { ...empty, running: 4, waiting: 2, ticks: 60, reported: 60 };
    const h = historyFromAnswers(plan, answers);
    const [a] = withHistory([engine('a', served, empty)], h);
    expect(a!.before).toBe(served);
    expect(a!.after.waiting).toBe(120);
  });
});
