import { describe, expect, it } from 'vitest';

import type { PanelQuery } from '../../../../collector/core/prometheus/latencyQueries.js';
import { matrixSeries } from '../../sources/prometheus/FakePrometheusSource.js';
import { PANELS } from './panels.js';
import { preparePanel, type PanelInput, type QueryOutcome } from './preparePanel.js';

const spec = (id: string) => PANELS.find((p) => p.id === id)!;
const q = (key: string, label: string, extra: Partial<PanelQuery> = {}): PanelQuery => ({
  panel: 'ttft',
  key,
  label,
  query: `q:${key}`,
  unit: 'seconds',
  ...extra,
});
const ok = (query: PanelQuery, data: QueryOutcome['data']): QueryOutcome => ({
  query,
  status: 'success',
  data,
});
const base = (outcomes: QueryOutcome[], id = 'ttft'): PanelInput => ({
  spec: spec(id),
  outcomes,
  range: [0, 60_000],
  stepMs: 15_000,
});

describe('preparePanel', () => {
  it('draws one line per percentile, with the SLO', () => {
    const view = preparePanel({
      ...base([
        ok(q('ttft:p50', 'p50'), [
          matrixSeries({}, [
            [0, 0.1],
            [15_000, 0.12],
          ]),
        ]),
        ok(q('ttft:p99', 'p99'), [matrixSeries({}, [[0, 0.9]])]),
      ]),
      slo: { value: 2, label: 'SLO' },
    });
    expect(view.state).toBe('ready');
    expect(view.line!.series.map((s) => [s.name, s.color])).toEqual([
      ['p50', '#5794f2'],
      ['p99', '#f2495c'],
    ]);
    expect(view.line!.slo).toEqual({ value: 2, label: 'SLO' });
    expect(view.latest).toEqual([
      { name: 'p50', value: 0.12, text: '120 ms', live: false },
      { name: 'p99', value: 0.9, text: '900 ms', live: false },
    ]);
  });

  it('is empty, not zero, when every series has no value in the range', () => {
    const view = preparePanel(
      base([ok(q('ttft:p50', 'p50'), [matrixSeries({}, [[0, Number.NaN]])])]),
    );
    expect(view.state).toBe('empty');
    expect(view.message).toBe('No data in this range for this model and instance');
    expect(preparePanel(base([ok(q('ttft:p50', 'p50'), [])])).state).toBe('empty');
  });

  it('gives series one name would merge (TGI: finished per instance) ids of their own labels', () => {
    const view = preparePanel(
      base(
        [
          ok(q('finishReasons', 'finished', { panel: 'finishReasons' }), [
            matrixSeries({ instance: 'tgi-a:80' }, [[0, 1]]),
            matrixSeries({ instance: 'tgi-b:80' }, [[0, 2]]),
          ]),
        ],
        'finishReasons',
      ),
    );
    const ids = view.line!.series.map((s) => s.id);
    expect(new Set(ids).size).toBe(2);
    expect(view.line!.series.map((s) => s.name)).toEqual(['finished', 'finished (tgi-b:80)']);
  });

  it('shows zero as ready data', () => {
    const view = preparePanel(
      base([ok(q('pre', 'preemptions'), [matrixSeries({}, [[0, 0]])])], 'preemptions'),
    );
    expect(view.state).toBe('ready');
  });

  it('says loading while any query of the window is pending', () => {
    const view = preparePanel(
      base([{ query: q('a', 'p50'), status: 'pending' }, ok(q('b', 'p99'), [])]),
    );
    expect(view.state).toBe('loading');
  });

  it('shows the first error message plainly', () => {
    const view = preparePanel(
      base([
        ok(q('a', 'p50'), []),
        {
          query: q('b', 'p99'),
          status: 'error',
          error: new Error('Prometheus timed out (timeout, HTTP 503)'),
        },
      ]),
    );
    expect(view).toMatchObject({
      state: 'error',
      message: 'Prometheus timed out (timeout, HTTP 503)',
    });
  });

  it('keeps the chart it held when a refresh fails, and says the refresh failed', () => {
    const held = [matrixSeries({}, [[0, 0.2]])];
    const view = preparePanel(
      base([
        ok(q('a', 'p50'), held),
        { ...ok(q('b', 'p99'), held), status: 'error', error: new Error('connection refused') },
      ]),
    );
    expect(view.state).toBe('error');
    expect(view.message).toBe('Refresh failed, showing the last answer: connection refused');
    expect(view.line?.series.map((s) => s.name)).toHaveLength(2);
    expect(view.latest[0]?.value).toBe(0.2);
  });

  it('is unavailable with the reason when the server has nothing for it', () => {
    const view = preparePanel({
      ...base([], 'stages'),
      unavailable: 'no queue histogram: SGLang exposes no prefill/decode stage histograms',
    });
    expect(view).toMatchObject({
      state: 'unavailable',
      message: 'no queue histogram: SGLang exposes no prefill/decode stage histograms',
    });
  });

  it('names stage lines by stage and stacks finish reasons by label', () => {
    const stages = preparePanel(
      base(
        [
          ok(q('queue:p90', 'queue p90', { panel: 'stages', stage: 'queue' }), [
            matrixSeries({}, [[0, 1]]),
          ]),
        ],
        'stages',
      ),
    );
    expect(stages.line!.series[0]!.name).toBe('queue');
    const finish = preparePanel(
      base(
        [
          ok(q('finishReasons', '{{finished_reason}}', { panel: 'finishReasons' }), [
            matrixSeries({ finished_reason: 'stop' }, [[0, 3]]),
            matrixSeries({ finished_reason: 'length' }, [[0, 1]]),
          ]),
        ],
        'finishReasons',
      ),
    );
    expect(finish.line!.series.map((s) => [s.name, s.stack])).toEqual([
      ['stop', 'finished'],
      ['length', 'finished'],
    ]);
  });

  it('appends live points after the last Prometheus point and marks where they start', () => {
    const view = preparePanel({
      ...base(
        [
          ok(q('requests:running', 'running', { panel: 'requests' }), [
            matrixSeries({}, [
              [0, 5],
              [15_000, 6],
            ]),
          ]),
        ],
        'requests',
      ),
      live: {
        'requests:running': [
          [10_000, 99],
          [20_000, 7],
          [25_000, 8],
          [90_000, 9],
        ],
      },
    });
    expect(view.line!.series[0]!.points).toEqual([
      [0, 5],
      [15_000, 6],
      [20_000, 7],
      [25_000, 8],
    ]);
    expect(view.line!.liveFrom).toBe(20_000);
    expect(view.latest).toEqual([{ name: 'running', value: 8, text: '8', live: true }]);
  });

  it('puts shares on a 0–100 axis', () => {
    const view = preparePanel(
      base([ok(q('kv', 'mean', { panel: 'kvCache' }), [matrixSeries({}, [[0, 40]])])], 'kvCache'),
    );
    expect(view.line!.yMax).toBe(100);
  });

  it('says "No data", with no headline values, when every point lies outside the range', () => {
    // The range asked is [600 s, 900 s]; the answer holds p50 = 43 s an hour earlier.
    const stale = matrixSeries({}, [
      [-3_000_000, 43],
      [-2_985_000, 43],
    ]);
    const view = preparePanel({
      ...base([ok(q('e2e:p50', 'p50'), [stale])], 'e2e'),
      range: [600_000, 900_000],
    });
    expect(view.state).toBe('empty');
    expect(view.message).toBe('No data in this range for this model and instance');
    expect(view.latest).toEqual([]);
    expect(view.line!.series[0]!.points).toEqual([]);
  });

  it('keeps the points inside the range and quotes the newest of those', () => {
    const view = preparePanel({
      ...base([
        ok(q('ttft:p50', 'p50'), [
          matrixSeries({}, [
            [45_000, 0.2],
            [60_000, 0.3],
            [600_000, 43],
          ]),
        ]),
      ]),
    });
    expect(view.line!.series[0]!.points).toEqual([
      [45_000, 0.2],
      [60_000, 0.3],
    ]);
    expect(view.latest).toEqual([{ name: 'p50', value: 0.3, text: '300 ms', live: false }]);
  });

  it('shows DCGM’s blank sentinel and NaN as missing, never as a number', () => {
    const view = preparePanel(
      base(
        [
          ok(q('kv', 'mean', { panel: 'kvCache' }), [
            matrixSeries({}, [
              [0, 40],
              [15_000, Number('9223372036854775794')],
              [30_000, Number.NaN],
            ]),
          ]),
        ],
        'kvCache',
      ),
    );
    expect(view.line!.series[0]!.points).toEqual([
      [0, 40],
      [15_000, null],
      [30_000, null],
    ]);
    expect(view.latest).toEqual([{ name: 'mean', value: 40, text: '40 %', live: false }]);
  });

  it('gives each stage its one colour and lists stages in request order, however they arrive', () => {
    const stage = (name: 'queue' | 'prefill' | 'decode') =>
      ok(q(`${name}:p90`, `${name} p90`, { panel: 'stages', stage: name }), [
        matrixSeries({}, [[0, 1]]),
      ]);
    const a = preparePanel(base([stage('decode'), stage('queue'), stage('prefill')], 'stages'));
    const b = preparePanel(base([stage('prefill'), stage('decode'), stage('queue')], 'stages'));
    const named = (v: typeof a) => v.line!.series.map((s) => [s.name, s.color]);
    expect(named(a)).toEqual([
      ['queue', '#fade2a'],
      ['prefill', '#ff9830'],
      ['decode', '#b877d9'],
    ]);
    expect(named(b)).toEqual(named(a));
    expect(a.latest.map((l) => l.name)).toEqual(['queue', 'prefill', 'decode']);
  });

  it('draws no heatmap cell from samples outside the range', () => {
    const bucket = (le: string, v: number, t: number) => matrixSeries({ le }, [[t, v]]);
    const outside = preparePanel(
      base(
        [ok(q('heatmap:ttft', 'ttft', { panel: 'heatmap' }), [bucket('0.1', 2, -900_000)])],
        'heatmap',
      ),
    );
    expect(outside.state).toBe('empty');
    const inside = preparePanel(
      base(
        [ok(q('heatmap:ttft', 'ttft', { panel: 'heatmap' }), [bucket('0.1', 2, 30_000)])],
        'heatmap',
      ),
    );
    expect(inside.state).toBe('ready');
    expect(inside.heatmap!.cells.map(([t]) => t)).toEqual([30_000]);
  });
});
