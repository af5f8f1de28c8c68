/**
 * The latency view of a Prometheus that holds no engine family Osprey knows: what it looked for
 * (each flavour's marker, from the family table) beside what the server holds (its metric-name
 * prefixes, counted), so a user with another engine sees at once why nothing matched.
 */
import type { Discovery } from '../../../../collector/core/prometheus/discovery.js';
import {
  ENGINE_FAMILIES,
  ENGINE_FAMILY_IDS,
  markerText,
} from '../../../../collector/core/prometheus/families.js';
import { prefixSummaryText } from '../../../../collector/core/prometheus/namePrefixes.js';

export function NoEngines({ discovery }: { discovery: Discovery | undefined }) {
  const families = discovery?.families ?? [];
  return (
    <div className="latency-message" data-testid="latency-no-engines">
      <strong>No engine metrics Osprey knows on this Prometheus</strong>
      <span data-testid="latency-looked-for">
        Looked for:{' '}
        {ENGINE_FAMILY_IDS.map(
          (id) => `${ENGINE_FAMILIES[id].label} (${markerText(ENGINE_FAMILIES[id].marker)})`,
        ).join('; ')}
        .
      </span>
      <span data-testid="latency-seen-prefixes">
        Found: {discovery?.seen ? prefixSummaryText(discovery.seen) : 'nothing read yet'}
        {families.length > 0 ? ` (known families: ${families.join(', ')})` : ''}.
      </span>
      <span>
        If your engines are among these, check that Prometheus scrapes their /metrics endpoints; an
        engine named otherwise is not one Osprey reads yet.
      </span>
    </div>
  );
}
