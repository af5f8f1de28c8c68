import { describe, expect, it } from 'vitest';

import { instanceChoices, instanceOptions, toSelection } from './instances.js';

describe('instanceOptions', () => {
  it('tells engines behind one scrape endpoint apart by node and engine', () => {
    const sets = [
      { instance: 'sim:9400', node: 'node-010', engine: 'vllm-0', model_name: 'm' },
      { instance: 'sim:9400', node: 'node-002', engine: 'vllm-0', model_name: 'm' },
      { instance: 'sim:9400', node: 'node-002', engine: 'vllm-0', model_name: 'm' },
    ];
    expect(instanceOptions(sets)).toEqual([
      { id: 'node=node-002', label: 'node-002', values: { node: 'node-002' } },
      { id: 'node=node-010', label: 'node-010', values: { node: 'node-010' } },
    ]);
  });

  it('uses the scraped instance where each engine is its own target', () => {
    const sets = [
      { instance: '10.0.0.7:8000', engine: '0' },
      { instance: '10.0.0.8:8000', engine: '0' },
    ];
    expect(instanceOptions(sets).map((o) => o.label)).toEqual(['10.0.0.7:8000', '10.0.0.8:8000']);
  });

  it('combines every varying label, and sorts node-2 before node-10', () => {
    const sets = [
      { node: 'node-10', engine: 'vllm-1' },
      { node: 'node-2', engine: 'vllm-0' },
    ];
    expect(instanceOptions(sets).map((o) => o.label)).toEqual([
      'node-2 · vllm-0',
      'node-10 · vllm-1',
    ]);
  });

  it('offers the one instance there is, and nothing for series without identity', () => {
    expect(instanceOptions([{ instance: 'a:1' }]).map((o) => o.label)).toEqual(['a:1']);
    expect(instanceOptions([{ job: 'x' }])).toEqual([]);
  });
});

describe('toSelection', () => {
  it('puts each identity label where the query builder expects it', () => {
    expect(
      toSelection('m', {
        id: 'x',
        label: 'x',
        values: { instance: 'i:1', node: 'n', engine: 'e' },
      }),
    ).toEqual({ models: ['m'], instances: ['i:1'], engines: ['e'], labels: { node: 'n' } });
    expect(toSelection(undefined, undefined)).toEqual({});
  });
});

describe('instanceChoices', () => {
  const known = [
    { instance: 'a:1', node: 'n', engine: '0' },
    { instance: 'b:1', node: 'n', engine: '0' },
  ];

  it('offers the instances the traffic answer named before the full list arrives', () => {
    const c = instanceChoices(undefined, known, 'instance=b:1');
    expect(c.complete).toBe(false);
    expect(c.options?.map((o) => o.label)).toEqual(['a:1', 'b:1']);
    expect(c.selected?.id).toBe('instance=b:1');
  });

  it('merges the full list in, once, with the same ids', () => {
    const listed = [...known, { instance: 'c:1', node: 'n', engine: '0', job: 'vllm' }];
    const c = instanceChoices(listed, known, 'instance=b:1');
    expect(c.complete).toBe(true);
    expect(c.options?.map((o) => o.id)).toEqual(['instance=a:1', 'instance=b:1', 'instance=c:1']);
    expect(c.selected?.label).toBe('b:1');
  });

  it('has no options while neither has arrived', () => {
    expect(instanceChoices(undefined, undefined, undefined)).toEqual({
      options: undefined,
      complete: false,
      selected: undefined,
    });
  });
});
