/**
 * "Profile all nodes" from an engine row: every instance of the row's model (same framework)
 * across the cluster's nodes, each as an engine target its node's agent resolves to a process —
 * the port from a `host:port` engine label (the scrape target), else the framework alone.
 */
import { portOfEngineLabel } from '../../../../collector/core/protocol/engineCapture.js';
import type { EngineInstance } from '../../profiles/engineProfiles.js';
import type { EngineRow } from './prepareEngines.js';

export interface EngineProfilePlan {
  /** The model label the instances share (the engine label when the row has no model). */
  readonly model: string;
  readonly instances: readonly EngineInstance[];
  /** Distinct nodes among them. */
  readonly nodes: number;
}

/** Rows of the same model and framework as `row` (all of them, not only the searched ones). */
export function engineProfilePlan(rows: readonly EngineRow[], row: EngineRow): EngineProfilePlan {
  const same = (r: EngineRow): boolean =>
    r.framework === row.framework && (row.model === '' ? r.key === row.key : r.model === row.model);
  // Instances a node's agent cannot tell apart (no port in their labels: it finds them by the
  // framework alone, so all would resolve to one process) are captured once, named together.
  const byTarget = new Map<string, EngineInstance>();
  for (const r of rows.filter(same)) {
    const port = portOfEngineLabel(r.engine);
    const key = `${r.cluster}\u0000${r.nodeName}\u0000${port ?? ''}`;
    const seen = byTarget.get(key);
    byTarget.set(key, {
      cluster: r.cluster,
      node: r.nodeName,
      engine: seen ? `${seen.engine}, ${r.engine}` : r.engine,
      target: { framework: r.framework, port },
    });
  }
  const instances = [...byTarget.values()];
  return {
    model: row.model === '' ? row.engine : row.model,
    instances,
    nodes: new Set(instances.map((i) => `${i.cluster}\u0000${i.node}`)).size,
  };
}

/** A row can be profiled when its framework is named (the agent searches by it). */
export function canProfileEngine(row: EngineRow): boolean {
  return row.framework !== '';
}
