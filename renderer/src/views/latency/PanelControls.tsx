/** The small controls some panels carry in their header: SLO input, percentile, heatmap stage. */
import { useState } from 'react';

import type { LatencyStage } from '../../../../collector/core/prometheus/families.js';
import { parseSloInput } from './sloPrefs.js';

export function SloInput({
  label,
  valueMs,
  onChange,
}: {
  label: string;
  valueMs: number | null;
  onChange: (ms: number | null) => void;
}) {
  const [text, setText] = useState(valueMs === null ? '' : String(valueMs));
  const [error, setError] = useState<string>();
  const commit = () => {
    const parsed = parseSloInput(`${label} SLO`, text);
    if ('error' in parsed) setError(parsed.error);
    else {
      setError(undefined);
      onChange(parsed.value);
    }
  };
  return (
    <label className={error ? 'slo-input invalid' : 'slo-input'} title={error ?? 'Empty: no line'}>
      <span>SLO</span>
      <input
        aria-label={`${label} SLO in ms`}
        inputMode="decimal"
        value={text}
        placeholder="none"
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') commit();
        }}
      />
      <span>ms</span>
      {error ? (
        <span className="slo-error" role="alert">
          {error}
        </span>
      ) : null}
    </label>
  );
}

const QUANTILES: Array<[number, string]> = [
  [0.5, 'p50'],
  [0.9, 'p90'],
  [0.99, 'p99'],
];

export function QuantilePicker({
  value,
  onChange,
}: {
  value: number;
  onChange: (q: number) => void;
}) {
  return (
    <div className="segmented" role="group" aria-label="Stage percentile">
      {QUANTILES.map(([q, label]) => (
        <button
          key={q}
          type="button"
          className={q === value ? 'active' : ''}
          aria-pressed={q === value}
          onClick={() => onChange(q)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}

const STAGE_LABEL: Record<LatencyStage, string> = {
  ttft: 'TTFT',
  inter_token: 'Inter-token',
  e2e: 'End-to-end',
  queue: 'Queue',
  prefill: 'Prefill',
  decode: 'Decode',
};

export function StagePicker({
  stages,
  value,
  onChange,
}: {
  stages: readonly LatencyStage[];
  value: LatencyStage;
  onChange: (s: LatencyStage) => void;
}) {
  return (
    <label className="latency-field">
      <span>Histogram</span>
      <select
        aria-label="Heatmap histogram"
        value={value}
        onChange={(e) => onChange(e.target.value as LatencyStage)}
      >
        {stages.map((s) => (
          <option key={s} value={s}>
            {STAGE_LABEL[s]}
          </option>
        ))}
      </select>
    </label>
  );
}
