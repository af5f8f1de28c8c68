/**
 * The nodes the fleet view draws: every heatmap row, plus the node of the open drawer. The store
 * never evicts these to make room (LiveStore.retain, store/StoreBudget.ts), so nothing the user
 * is looking at disappears under their eyes; a flood is refused instead.
 */
import type { FleetLayout } from './types.js';

export function nodesOnScreen(layout: FleetLayout, selectedNode: string | undefined): Set<string> {
  const out = new Set<string>();
  for (const section of layout.sections) for (const row of section.rows) out.add(row.node);
  if (selectedNode !== undefined) out.add(selectedNode);
  return out;
}
