/**
 * The page's diagnoses and the connection's marks, for the Health view and the header alike: both
 * re-read when the store or a mark changes.
 */
import { useMemo, useSyncExternalStore } from 'react';

import type { LiveStoreSnapshot } from '../../store/LiveStore.js';
import { healthMarksFor, type HealthMarks } from './healthMarks.js';
import { storedDiagnoses, type StoredDiagnosis } from './storedDiagnoses.js';

export function useDiagnoses(live: LiveStoreSnapshot): StoredDiagnosis[] {
  return useMemo(() => storedDiagnoses(live.store), [live]);
}

/** The connection's marks and their version (a new number on every acknowledge or resolve). */
export function useHealthMarks(connectionId: string): { marks: HealthMarks; version: number } {
  const marks = healthMarksFor(connectionId);
  const version = useSyncExternalStore(
    (notify) => marks.subscribe(notify),
    () => marks.snapshot,
  );
  return { marks, version };
}
