/**
 * Keyframes make a seek cheap: every few chunks the writer records, per node, which chunk holds its
 * latest inventory and its latest metrics so far (file offsets, not copies: ~25 bytes a node). A
 * seek to t then reads the chunks after the keyframe before t, plus the few chunks the keyframe
 * points at, instead of scanning back for nodes that went quiet long ago.
 */
import { KEYFRAME_NAME } from './format.js';

export interface KeyframeRef {
  cluster: string;
  node: string;
  /** File offset of the chunk holding the node's latest inventory, or -1. */
  inventory: number;
  /** File offset of the chunk holding the node's latest metrics, or -1. */
  metrics: number;
}

export interface Keyframe {
  /** Offset of the last chunk it covers: every message in it and before is accounted for. */
  through: number;
  refs: KeyframeRef[];
  /** Messages written so far per type (so a truncated file's counts need no full scan). */
  counts: Record<string, number>;
}

export function encodeKeyframe(k: Keyframe): { name: string; metadata: Map<string, string> } {
  return {
    name: KEYFRAME_NAME,
    metadata: new Map([
      ['through', String(k.through)],
      ['counts', JSON.stringify(k.counts)],
      ['refs', JSON.stringify(k.refs.map((r) => [r.cluster, r.node, r.inventory, r.metrics]))],
    ]),
  };
}

/** Undefined when the record is not a well-formed keyframe (it is then ignored, not trusted). */
export function decodeKeyframe(meta: Map<string, string>): Keyframe | undefined {
  try {
    const through = Number(meta.get('through'));
    const counts = JSON.parse(meta.get('counts') ?? '{}') as unknown;
    const rows = JSON.parse(meta.get('refs') ?? '[]') as unknown;
    if (!Number.isSafeInteger(through) || !Array.isArray(rows)) return undefined;
    if (typeof counts !== 'object' || counts === null) return undefined;
    const refs: KeyframeRef[] = [];
    for (const row of rows as unknown[]) {
      if (!Array.isArray(row) || row.length !== 4) return undefined;
      const [cluster, node, inventory, metrics] = row as unknown[];
      if (typeof cluster !== 'string' || typeof node !== 'string') return undefined;
      if (!Number.isSafeInteger(inventory) || !Number.isSafeInteger(metrics)) return undefined;
      refs.push({ cluster, node, inventory: inventory as number, metrics: metrics as number });
    }
    const safeCounts: Record<string, number> = {};
    for (const [k, v] of Object.entries(counts)) if (typeof v === 'number') safeCounts[k] = v;
    return { through, refs, counts: safeCounts };
  } catch {
    return undefined;
  }
}

export function nodeKey(cluster: string, node: string): string {
  return `${cluster}\u0000${node}`;
}
