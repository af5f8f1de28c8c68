/**
 * The hover box over a frame: name, where it is, and its weights (describeNode.ts). Rendered by
 * React, so every name is text; placed beside the pointer and kept inside the window.
 */
import { useLayoutEffect, useRef, useState } from 'react';

import type { NodeDescription } from './describeNode.js';

const OFFSET = 14;

export function FlameTooltip({
  description,
  x,
  y,
}: {
  description: NodeDescription;
  x: number;
  y: number;
}) {
  const box = useRef<HTMLDivElement>(null);
  const [place, setPlace] = useState({ left: x + OFFSET, top: y + OFFSET });
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const w = el.offsetWidth;
    const h = el.offsetHeight;
    const vw = document.documentElement.clientWidth;
    const vh = document.documentElement.clientHeight;
    setPlace({
      left: x + OFFSET + w > vw ? Math.max(4, x - OFFSET - w) : x + OFFSET,
      top: y + OFFSET + h > vh ? Math.max(4, y - OFFSET - h) : y + OFFSET,
    });
  }, [x, y, description]);
  return (
    <div
      ref={box}
      className="flame-tooltip"
      role="tooltip"
      data-testid="flame-tooltip"
      style={{ left: place.left, top: place.top }}
    >
      <div className="flame-tooltip-name">{description.name}</div>
      {description.where ? <div className="flame-tooltip-where">{description.where}</div> : null}
      <table>
        <tbody>
          {description.rows.map(([label, value]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
