/**
 * `performance.mark('osprey:latency-settled')` once per range load, when every panel has left
 * "loading": the load benchmark (BENCHMARKS.md) measures the view from navigation to this mark.
 */
import { useEffect, useRef } from 'react';

import type { PanelState } from './types.js';

export const SETTLED_MARK = 'osprey:latency-settled';

export function isSettled(states: readonly PanelState[]): boolean {
  return states.length > 0 && states.every((s) => s !== 'loading');
}

export function useSettledMark(states: readonly PanelState[], loadKey: string): void {
  const marked = useRef<string | undefined>(undefined);
  const settled = isSettled(states);
  useEffect(() => {
    if (!settled || marked.current === loadKey) return;
    marked.current = loadKey;
    performance.mark(SETTLED_MARK, { detail: { loadKey } });
  }, [settled, loadKey]);
}
