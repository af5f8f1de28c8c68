/**
 * Engine family, model and instance selectors, and the time controls. The selectors are never
 * disabled while their lists load: "All" is always a choice, the options known so far are there,
 * and a "loading N…" hint says the list is still coming.
 */
import {
  ENGINE_FAMILIES,
  type EngineFamilyId,
} from '../../../../collector/core/prometheus/families.js';
import { displayName } from '../../lib/displayName.js';
import { TimeControls } from '../../time/TimeControls.js';
import type { TimeControls as Controls } from '../../time/useTimeControls.js';
import type { InstanceOption } from './instances.js';

export interface LatencyToolbarProps {
  families: readonly EngineFamilyId[];
  family: EngineFamilyId;
  onFamily: (f: EngineFamilyId) => void;
  models: readonly string[] | undefined;
  model: string | undefined;
  onModel: (m: string | undefined) => void;
  instances: readonly InstanceOption[] | undefined;
  /** Whether `instances` is the full list (else the instances known so far). */
  instancesComplete: boolean;
  instance: string | undefined;
  onInstance: (id: string | undefined) => void;
  time: Controls;
}

const ALL = '\u0000all';

export function LatencyToolbar(p: LatencyToolbarProps) {
  return (
    <div className="latency-toolbar" role="toolbar" aria-label="Latency selection">
      <div className="toolbar-group">
        {p.families.length > 1 ? (
          <label className="latency-field">
            <span>Engine</span>
            <select
              aria-label="Engine family"
              value={p.family}
              onChange={(e) => p.onFamily(e.target.value as EngineFamilyId)}
            >
              {p.families.map((f) => (
                <option key={f} value={f}>
                  {ENGINE_FAMILIES[f].label}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <span className="latency-family">{ENGINE_FAMILIES[p.family].label}</span>
        )}
        <label className="latency-field">
          <span>Model</span>
          <select
            aria-label="Model"
            value={p.model ?? ALL}
            onChange={(e) => p.onModel(e.target.value === ALL ? undefined : e.target.value)}
          >
            <option value={ALL}>
              {p.models === undefined ? 'All models' : `All models (${p.models.length})`}
            </option>
            {p.model !== undefined && !p.models?.includes(p.model) ? (
              <option value={p.model}>{displayName(p.model)}</option>
            ) : null}
            {(p.models ?? []).map((m) => (
              <option key={m} value={m}>
                {displayName(m)}
              </option>
            ))}
          </select>
          {p.models === undefined ? (
            <span className="latency-hint" data-testid="latency-models-loading">
              loading…
            </span>
          ) : null}
        </label>
        <label className="latency-field">
          <span>Instance</span>
          <select
            aria-label="Instance"
            value={p.instance ?? ALL}
            onChange={(e) => p.onInstance(e.target.value === ALL ? undefined : e.target.value)}
          >
            <option value={ALL}>
              {p.instances === undefined
                ? 'All instances'
                : `All instances (${p.instances.length})`}
            </option>
            {(p.instances ?? []).map((i) => (
              <option key={i.id} value={i.id}>
                {i.label}
              </option>
            ))}
          </select>
          {!p.instancesComplete ? (
            <span className="latency-hint" data-testid="latency-instances-loading">
              {p.instances?.length ? `loading ${p.instances.length}…` : 'loading…'}
            </span>
          ) : null}
        </label>
      </div>
      <div className="spacer" />
      <TimeControls controls={p.time} />
    </div>
  );
}
