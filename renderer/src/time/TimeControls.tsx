/**
 * The range picker (relative spans, or absolute from/to), "back" after a zoom, refresh now, and
 * the auto-refresh interval (disabled for an absolute range, which never changes).
 */
import { useState } from 'react';

import {
  describeRange,
  isRelativeSpan,
  parseAbsolute,
  RELATIVE_SPANS,
  toLocalInput,
} from './timeRange.js';
import { REFRESH_OPTIONS, type RefreshId } from './timeState.js';
import type { TimeControls as Controls } from './useTimeControls.js';
import './time.css';

export function TimeControls({ controls }: { controls: Controls }) {
  const { state, resolved } = controls;
  const [editing, setEditing] = useState(false);
  const absolute = state.range.kind === 'absolute';
  return (
    <div className="time-controls" role="group" aria-label="Time range">
      {state.zoomStack.length > 0 ? (
        <button
          type="button"
          className="time-button"
          onClick={controls.back}
          title="Back to the range before the last zoom"
        >
          ← Back
        </button>
      ) : null}
      <select
        aria-label="Range"
        className="time-select"
        value={state.range.kind === 'relative' ? state.range.span : 'absolute'}
        onChange={(e) => {
          const v = e.target.value;
          if (isRelativeSpan(v)) controls.setRange({ kind: 'relative', span: v });
          else setEditing(true);
        }}
      >
        {RELATIVE_SPANS.map((s) => (
          <option key={s.id} value={s.id}>
            {s.label}
          </option>
        ))}
        <option value="absolute">{absolute ? describeRange(state.range) : 'Absolute…'}</option>
      </select>
      <button
        type="button"
        className="time-button"
        aria-expanded={editing}
        onClick={() => setEditing((v) => !v)}
        title="Set an absolute from/to range"
      >
        From / to
      </button>
      <button
        type="button"
        className="time-button"
        onClick={controls.refreshNow}
        disabled={absolute}
        title={absolute ? 'An absolute range does not change' : 'Refresh now'}
        aria-label="Refresh now"
      >
        ↻
      </button>
      <label className="time-field">
        <span>Auto</span>
        <select
          aria-label="Auto-refresh"
          className="time-select"
          value={absolute ? 'off' : state.refresh}
          disabled={absolute}
          title={absolute ? 'An absolute range does not change: nothing to refresh' : undefined}
          onChange={(e) => controls.setRefresh(e.target.value as RefreshId)}
        >
          {REFRESH_OPTIONS.map((o) => (
            <option key={o.id} value={o.id}>
              {o.label}
            </option>
          ))}
        </select>
      </label>
      {editing ? (
        <AbsoluteForm
          initialFrom={toLocalInput(resolved.start)}
          initialTo={toLocalInput(resolved.end)}
          onApply={(from, to) => {
            controls.setRange({ kind: 'absolute', from, to });
            setEditing(false);
          }}
          onCancel={() => setEditing(false)}
        />
      ) : null}
    </div>
  );
}

function AbsoluteForm({
  initialFrom,
  initialTo,
  onApply,
  onCancel,
}: {
  initialFrom: string;
  initialTo: string;
  onApply: (from: number, to: number) => void;
  onCancel: () => void;
}) {
  const [from, setFrom] = useState(initialFrom);
  const [to, setTo] = useState(initialTo);
  const [error, setError] = useState<string>();
  return (
    <form
      className="time-absolute"
      aria-label="Absolute range"
      onSubmit={(e) => {
        e.preventDefault();
        const parsed = parseAbsolute(from, to);
        if ('error' in parsed) setError(parsed.error);
        else onApply(parsed.range.from, parsed.range.to);
      }}
    >
      <label className="time-field">
        <span>From</span>
        <input
          type="datetime-local"
          step={1}
          value={from}
          onChange={(e) => setFrom(e.target.value)}
        />
      </label>
      <label className="time-field">
        <span>To</span>
        <input type="datetime-local" step={1} value={to} onChange={(e) => setTo(e.target.value)} />
      </label>
      <button type="submit" className="time-button primary">
        Apply
      </button>
      <button type="button" className="time-button" onClick={onCancel}>
        Cancel
      </button>
      {error ? (
        <span className="time-error" role="alert">
          {error}
        </span>
      ) : null}
    </form>
  );
}
