/**
 * Events since the console connected → rows for the events panel, newest first, with local times
 * and device labels instead of ids.
 */
import type { Severity } from '../../../../collector/core/protocol/spec.js';
import { displayName } from '../../lib/displayName.js';
import type { LiveStore } from '../../store/LiveStore.js';
import { deviceLabel } from '../../lib/devices.js';
import { SEVERITY_LABEL } from '../../../../collector/core/diagnosis/severity.js';

export interface EventRow {
  key: string;
  /** Local clock (ms). */
  at: number;
  severity: Severity;
  /** The severity in the console's words, as the heatmap and drawer say it. */
  severityText: string;
  kind: string;
  message: string;
  /** "GPU 3", or the raw id of a device not in the inventory. */
  device?: string;
  node: string;
  /** The node as text (names from the wire are escaped). */
  nodeName: string;
}

const MAX_ROWS = 50;

export function prepareEvents(reader: Pick<LiveStore, 'events' | 'node'>): EventRow[] {
  const all = reader.events();
  const rows: EventRow[] = [];
  for (let i = all.length - 1; i >= 0 && rows.length < MAX_ROWS; i--) {
    const e = all[i]!;
    const node = reader.node(e.node);
    const row: EventRow = {
      key: `${i}`,
      at: e.ts + (node?.clockOffset ?? 0),
      severity: e.severity,
      severityText: SEVERITY_LABEL[e.severity],
      kind: displayName(e.kind),
      message: displayName(e.message),
      node: e.node,
      nodeName: displayName(e.node),
    };
    if (e.d !== undefined) {
      const device = node?.devices.find((d) => d.id === e.d);
      row.device = device ? deviceLabel(device) : displayName(e.d);
    }
    rows.push(row);
  }
  return rows;
}
