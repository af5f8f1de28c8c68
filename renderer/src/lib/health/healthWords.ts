/**
 * The console's words for incident states; the diagnosis vocabulary's words (buckets, kinds,
 * catalogs, codes) are the core's (collector/core/diagnosis/words.ts), shared with
 * `osprey diagnose`.
 */
import type { IncidentState } from './incidents.js';

export const STATE_WORDS: Record<IncidentState, string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
};
