/**
 * What the panels read at fleet scale: "the 10 busiest of 643 instances", and the switch to the
 * whole fleet (or back to the busiest, which draws in a fraction of the time).
 */
import { scopeNoun, type TopScope } from './traffic.js';

export interface FleetScopeProps {
  scope: TopScope;
  showAll: boolean;
  onShowAll: (all: boolean) => void;
}

export function FleetScope({ scope, showAll, onShowAll }: FleetScopeProps) {
  const noun = scopeNoun(scope.label);
  return (
    <div className="latency-scope" data-testid="latency-scope" data-scope={showAll ? 'all' : 'top'}>
      {showAll ? (
        <span>
          All {scope.total} {noun}.
        </span>
      ) : (
        <span>
          The {scope.values.length} busiest of {scope.total} {noun} (by requests finished in this
          range).
        </span>
      )}
      <button type="button" onClick={() => onShowAll(!showAll)}>
        {showAll ? `Only the ${scope.values.length} busiest` : `Show all ${scope.total} ${noun}`}
      </button>
    </div>
  );
}
