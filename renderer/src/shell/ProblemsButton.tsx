/** The problem count in the header; opens the list of what went wrong, with counts and times. */
import { useDismissible } from '../hooks/useDismissible.js';

import { displayName } from '../lib/displayName.js';
import { formatAge } from '../lib/format.js';
import type { SourceProblem } from '../sources/Source.js';

export function ProblemsButton({
  problems,
  now,
}: {
  problems: readonly SourceProblem[];
  now: number;
}) {
  const { open, setOpen, root } = useDismissible();
  const total = problems.reduce((n, p) => n + p.count, 0);

  if (problems.length === 0) return null;
  return (
    <div className="problems" ref={root}>
      <button
        type="button"
        className="problems-badge"
        aria-expanded={open}
        aria-haspopup="dialog"
        onClick={() => setOpen(!open)}
      >
        <span className="badge-count">{total}</span> {total === 1 ? 'problem' : 'problems'}
      </button>
      {open ? (
        <div className="problems-popover" role="dialog" aria-label="Problems">
          <div className="popover-title">Problems with this connection</div>
          <ul>
            {problems.map((p) => (
              <li key={p.key}>
                <span className="problem-count" title={`${p.count} times`}>
                  {p.count}×
                </span>
                <div className="problem-text">
                  <div className="problem-message">{displayName(p.message)}</div>
                  <div className="problem-when">last {formatAge(now - p.lastAt)}</div>
                </div>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
