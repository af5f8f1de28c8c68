/**
 * Eagle Eye: whether to read per-step engine stats from eagle_eye.routing_metrics, and how their
 * fields map onto engine metrics (JSON, checked as it is typed). Its message format is not
 * published, so the default guesses vLLM's SchedulerStats names and can be edited here.
 */
import { EAGLE_EYE_SUBJECT } from '../../../collector/core/protocol/subjects.js';
import { DEFAULT_MAPPING_TEXT } from './connectionForm.js';
import { describedBy } from './Field.js';

export function EagleEyeField({
  enabled,
  mapping,
  error,
  onEnabled,
  onMapping,
}: {
  enabled: boolean;
  mapping: string;
  error?: string;
  onEnabled: (enabled: boolean) => void;
  onMapping: (text: string) => void;
}) {
  return (
    <fieldset className="field-group">
      <legend>Eagle Eye</legend>
      <label className="check">
        <input type="checkbox" checked={enabled} onChange={(e) => onEnabled(e.target.checked)} />
        Also read engine stats published on <code>{EAGLE_EYE_SUBJECT}</code>
      </label>
      {enabled ? (
        <div className={error ? 'field field-invalid' : 'field'}>
          <div className="field-label-row">
            <label htmlFor="conn-mapping">Field mapping (JSON)</label>
            <button
              type="button"
              className="link-button"
              disabled={mapping === DEFAULT_MAPPING_TEXT}
              onClick={() => onMapping(DEFAULT_MAPPING_TEXT)}
            >
              Reset to default
            </button>
          </div>
          <textarea
            {...describedBy('conn-mapping', error, true)}
            className="code-input"
            rows={10}
            spellCheck={false}
            value={mapping}
            onChange={(e) => onMapping(e.target.value)}
          />
          <div className="field-hint" id="conn-mapping-hint">
            identity: where node, engine and model are; metrics: field path → engine metric, times
            scale (ratio: Σ numerator / Σ denominator × scale).
          </div>
          {error ? (
            <div className="field-error" id="conn-mapping-error" role="alert">
              {error}
            </div>
          ) : null}
        </div>
      ) : null}
    </fieldset>
  );
}
