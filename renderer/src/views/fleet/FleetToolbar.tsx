/** Colour, group, sort, filter and search: everything that shapes the heatmap. */
import type { Vendor } from '../../../../collector/core/model.js';
import { displayName } from '../../lib/displayName.js';
import { HEALTH_LABEL, HEALTH_ORDER, metricLabel, metricUnit } from './fleetMetrics.js';
import { colourable } from './deviceStates.js';
import { fleetScale } from './fleetScale.js';
import type { FleetGroup, FleetOptions, FleetSort, Health } from './types.js';

export interface FleetToolbarProps {
  options: FleetOptions;
  /** Device metrics that have data, catalog order. */
  metrics: readonly string[];
  /** Models present in the fleet. */
  models: readonly string[];
  onChange: (options: FleetOptions) => void;
}

const GROUPS: Array<[FleetGroup, string]> = [
  ['none', 'None'],
  ['model', 'Model'],
  ['vendor', 'Vendor'],
  ['health', 'Worst health'],
];

const SORTS: Array<[FleetSort, string]> = [
  ['node', 'Node name'],
  ['health', 'Health, worst first'],
  ['value', 'Colour value, highest first'],
  ['model', 'Model'],
  ['vendor', 'Vendor'],
];

const UNIT_SUFFIX: Partial<Record<string, string>> = {
  percent: '%',
  bytes: 'bytes',
  watts: 'W',
  celsius: '°C',
  megahertz: 'MHz',
  count: 'count',
};

export function FleetToolbar({ options, metrics, models, onChange }: FleetToolbarProps) {
  const set = (patch: Partial<FleetOptions>) => onChange({ ...options, ...patch });
  const filter = (patch: Partial<FleetOptions['filter']>) => {
    const next = { ...options.filter, ...patch };
    for (const k of Object.keys(next) as Array<keyof typeof next>) {
      if (next[k] === undefined || next[k] === '') delete next[k];
    }
    set({ filter: next });
  };
  const filtered = Object.keys(options.filter).length > 0;
  // A state without categories (the performance state) is no colour: its number is not a size.
  const offered = metrics.filter(colourable);
  const metricList = offered.includes(options.metric) ? offered : [options.metric, ...offered];
  return (
    <div className="fleet-toolbar" role="toolbar" aria-label="Heatmap options">
      <div className="toolbar-group">
        <label className="fleet-field">
          <span>Colour by</span>
          <select
            aria-label="Colour by"
            value={options.metric}
            onChange={(e) => set({ metric: e.target.value })}
          >
            {metricList.map((m) => {
              const kind = fleetScale(m).kind;
              // States say nothing after their name: the legend lists their words.
              const unit =
                kind === 'categorical'
                  ? undefined
                  : kind === 'relative'
                    ? '% of limit'
                    : UNIT_SUFFIX[metricUnit(m)];
              return (
                <option key={m} value={m}>
                  {metricLabel(m)}
                  {unit ? ` (${unit})` : ''}
                </option>
              );
            })}
          </select>
        </label>
        <label className="fleet-field">
          <span>Group</span>
          <select
            aria-label="Group by"
            value={options.group}
            onChange={(e) => set({ group: e.target.value as FleetGroup })}
          >
            {GROUPS.map(([g, label]) => (
              <option key={g} value={g}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="fleet-field">
          <span>Sort</span>
          <select
            aria-label="Sort by"
            value={options.sort}
            onChange={(e) => set({ sort: e.target.value as FleetSort })}
          >
            {SORTS.map(([s, label]) => (
              <option key={s} value={s}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="toolbar-group">
        <label className="fleet-field">
          <span>Vendor</span>
          <select
            aria-label="Filter by vendor"
            value={options.filter.vendor ?? ''}
            onChange={(e) =>
              filter({ vendor: (e.target.value || undefined) as Vendor | undefined })
            }
          >
            <option value="">All</option>
            <option value="nvidia">NVIDIA</option>
            <option value="ascend">Huawei Ascend</option>
          </select>
        </label>
        <label className="fleet-field">
          <span>Model</span>
          <select
            aria-label="Filter by model"
            value={options.filter.model ?? ''}
            onChange={(e) => filter({ model: e.target.value || undefined })}
          >
            <option value="">All</option>
            {models.map((m) => (
              <option key={m} value={m}>
                {displayName(m)}
              </option>
            ))}
          </select>
        </label>
        <label className="fleet-field">
          <span>Health</span>
          <select
            aria-label="Filter by health"
            value={options.filter.health ?? ''}
            onChange={(e) =>
              filter({ health: (e.target.value || undefined) as Health | undefined })
            }
          >
            <option value="">Any</option>
            {HEALTH_ORDER.map((h) => (
              <option key={h} value={h}>
                {HEALTH_LABEL[h]}
              </option>
            ))}
          </select>
        </label>
        <input
          className="search"
          type="search"
          placeholder="Search node, UUID or model"
          aria-label="Search node, UUID or model"
          value={options.filter.search ?? ''}
          onChange={(e) => filter({ search: e.target.value || undefined })}
        />
        {filtered ? (
          <button type="button" className="fleet-link" onClick={() => set({ filter: {} })}>
            Clear filters
          </button>
        ) : null}
      </div>
    </div>
  );
}
