import { describe, expect, it } from 'vitest';

import type { GpuRow } from './gpuRow.js';
import { LatestRows } from './LatestRows.js';

const row = (id: string, index = 0): GpuRow => ({
  device: { id, vendor: 'nvidia', index, name: 'GPU' },
  samples: [],
  problems: [],
});

describe('LatestRows', () => {
  it('keeps the first N GPUs, refuses new ones and names how many were listed', () => {
    const rows = new LatestRows(3, 60_000);
    for (let i = 0; i < 10; i++) rows.put(row(`GPU-${i}`, i), 1000);
    expect(rows.values().map((r) => r.row.device.id)).toEqual(['GPU-0', 'GPU-1', 'GPU-2']);
    expect(rows.excess(1000, 3000)).toBe(
      'nvidia-smi listed 10 devices; the collector keeps the first 3',
    );
    // A kept GPU's new row is still taken while the table is full.
    expect(rows.put(row('GPU-1', 1), 2000)).toBe(true);
    expect(rows.values().find((r) => r.row.device.id === 'GPU-1')?.t).toBe(2000);
  });

  it('counts a refused GPU once however often it prints, and forgets the excess when it stops', () => {
    const rows = new LatestRows(1, 60_000);
    rows.put(row('GPU-a'), 0);
    for (let i = 0; i < 5; i++) rows.put(row('GPU-b'), 100);
    expect(rows.excess(100, 3000)).toBe(
      'nvidia-smi listed 2 devices; the collector keeps the first 1',
    );
    expect(rows.excess(3101, 3000)).toBeUndefined();
  });

  it('forgets GPUs silent for longer than the forget time, making room for others', () => {
    const rows = new LatestRows(2, 10_000);
    rows.put(row('GPU-old'), 0);
    rows.put(row('GPU-live'), 0);
    rows.put(row('GPU-live'), 9_000);
    expect(rows.put(row('GPU-new'), 9_000)).toBe(false);
    rows.forget(10_001);
    expect(rows.values().map((r) => r.row.device.id)).toEqual(['GPU-live']);
    expect(rows.put(row('GPU-new'), 10_001)).toBe(true);
    expect(rows.size).toBe(2);
  });

  it('says "over" once the refused GPUs outnumber what it counts', () => {
    const rows = new LatestRows(1, 60_000);
    for (let i = 0; i < 70_000; i++) rows.put(row(`GPU-${i}`), 5);
    expect(rows.excess(5, 3000)).toBe(
      'nvidia-smi listed over 65,537 devices; the collector keeps the first 1',
    );
  });
});
