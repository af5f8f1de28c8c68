import { useEffect, useState } from 'react';

/**
 * A counter that goes up every `everyMs` of wall time: a re-render cadence (e.g. re-laying out a
 * moving fleet at most every 5 s), never a time to show; times come from useStoreClock.
 */
export function useEvery(everyMs: number): number {
  const [count, setCount] = useState(0);
  useEffect(() => {
    const id = setInterval(() => setCount((n) => n + 1), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return count;
}
