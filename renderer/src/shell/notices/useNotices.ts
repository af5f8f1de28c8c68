/**
 * The page's notices: toasts for new diagnoses of warning or worse (newNotices.ts), and the count
 * of open incidents nobody acknowledged for the header. Times are the store's clock.
 */
import { useEffect, useMemo, useRef, useState } from 'react';

import { groupIncidents, needsAttention } from '../../lib/health/incidents.js';
import { useDiagnoses, useHealthMarks } from '../../lib/health/useHealth.js';
import type { LiveStoreSnapshot } from '../../store/LiveStore.js';
import { keepToasts, newNotices, type Notice } from './newNotices.js';

export interface Notices {
  toasts: Notice[];
  dismiss: (id: string) => void;
  /** Open incidents of warning or worse nobody acknowledged. */
  attention: number;
}

export function useNotices(live: LiveStoreSnapshot, connectionId: string, now: number): Notices {
  const diagnoses = useDiagnoses(live);
  const { marks, version } = useHealthMarks(connectionId);
  const seen = useRef(new Set<string>());
  // The store's time when the page first had one (a live store's clock starts at 0 until ticked).
  const openedAt = useRef<number | undefined>(undefined);
  const [toasts, setToasts] = useState<Notice[]>([]);
  useEffect(() => {
    if (now <= 0) return;
    openedAt.current ??= now;
    const added = newNotices(diagnoses, seen.current, marks, openedAt.current);
    if (added.length > 0) setToasts((shown) => keepToasts(shown, added));
  }, [diagnoses, marks, now]);
  // A toast whose diagnosis was acknowledged or resolved in the view goes.
  const shown = useMemo(
    () => toasts.filter((t) => marks.get(t.id) === undefined),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` is the marks' change
    [toasts, marks, version],
  );
  const attention = useMemo(
    () => groupIncidents(diagnoses, marks).filter(needsAttention).length,
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `version` is the marks' change
    [diagnoses, marks, version],
  );
  return {
    toasts: shown,
    dismiss: (id) => setToasts((shown) => shown.filter((t) => t.id !== id)),
    attention,
  };
}
