import { describe, expect, it } from 'vitest';

import { DEFAULT_SLOS, loadSlos, parseSloInput, saveSlos, SLO_STORAGE_KEY } from './sloPrefs.js';

function memory(initial?: string) {
  const map = new Map<string, string>();
  if (initial !== undefined) map.set(SLO_STORAGE_KEY, initial);
  return {
    map,
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
  };
}

describe('SLO prefs', () => {
  it('round-trips through storage, including "no line"', () => {
    const s = memory();
    saveSlos(s, { ttft: 500, inter_token: null, e2e: 20_000 });
    expect(loadSlos(s)).toEqual({ ttft: 500, inter_token: null, e2e: 20_000 });
  });

  it('falls back to defaults for anything unreadable, field by field', () => {
    expect(loadSlos(undefined)).toEqual(DEFAULT_SLOS);
    expect(loadSlos(memory('{not json'))).toEqual(DEFAULT_SLOS);
    expect(loadSlos(memory('{"ttft":-5,"inter_token":"x","e2e":9000}'))).toEqual({
      ...DEFAULT_SLOS,
      e2e: 9000,
    });
  });

  it('survives storage that throws', () => {
    const broken = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('quota');
      },
    };
    expect(loadSlos(broken)).toEqual(DEFAULT_SLOS);
    expect(() => saveSlos(broken, DEFAULT_SLOS)).not.toThrow();
  });

  it('parses typed values and names the field at fault', () => {
    expect(parseSloInput('TTFT', ' 750 ')).toEqual({ value: 750 });
    expect(parseSloInput('TTFT', '')).toEqual({ value: null });
    expect(parseSloInput('TTFT', 'fast')).toEqual({ error: 'TTFT: enter a positive number of ms' });
    expect(parseSloInput('E2E', '9999999')).toEqual({ error: 'E2E: at most 3,600,000 ms' });
  });
});
