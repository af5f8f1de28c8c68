/**
 * A state metric's history in the drawer: a strip of named states along the charts' time axis (a
 * colour and, where wide enough, the word), and the latest changes as text. A state is never a
 * line: "Health 3" charted between 0 and 3 says nothing a word does not say better.
 */
import { formatDateTime } from '../../lib/format.js';
import type { StateChange, StateSpan } from './deviceStates.js';

export interface StateStripProps {
  label: string;
  states: { spans: StateSpan[]; changes: StateChange[] };
  /** The drawer's shared time axis (local ms); the spans' own extent without one. */
  range: [number, number] | undefined;
}

/** Changes listed under the strip: the newest few fit a drawer without pushing the charts away. */
const SHOWN_CHANGES = 4;

/** The share of the strip a span needs to carry its word. */
const WORD_ROOM = 0.12;

export function StateStrip({ label, states, range }: StateStripProps) {
  const { spans, changes } = states;
  const lo = range?.[0] ?? spans[0]!.from;
  const hi = range?.[1] ?? spans.at(-1)!.to;
  const width = Math.max(1, hi - lo);
  const at = (t: number) => `${(100 * (Math.min(hi, Math.max(lo, t)) - lo)) / width}%`;
  return (
    <div className="state-strip-box">
      <div
        className="state-strip"
        role="img"
        aria-label={`${label} over time: ${spans.map((s) => s.text).join(', then ')}`}
      >
        {spans.map((s) => {
          const left = at(s.from);
          // A single point still shows: at least 2 px wide.
          const w = `max(2px, calc(${at(s.to)} - ${left}))`;
          // Words only where there is room for one (a strip is ~380 px: 12 % is ~45 px).
          const roomy = (s.to - s.from) / width >= WORD_ROOM;
          return (
            <span
              key={`${s.from}`}
              className={s.text === 'no data' ? 'state-span no-data' : 'state-span'}
              style={{ left, width: w, background: s.color }}
              title={`${s.text}: ${formatDateTime(s.from)} – ${formatDateTime(s.to)}`}
            >
              {roomy ? s.text : null}
            </span>
          );
        })}
      </div>
      {changes.length > 0 ? (
        <ul className="state-changes" aria-label={`${label} changes, newest first`}>
          {changes.slice(0, SHOWN_CHANGES).map((c) => (
            <li key={c.at}>
              <time dateTime={new Date(c.at).toISOString()}>{formatDateTime(c.at).slice(11)}</time>
              {c.from} → {c.to}
            </li>
          ))}
        </ul>
      ) : (
        <div className="state-changes none">no change in this window</div>
      )}
    </div>
  );
}
