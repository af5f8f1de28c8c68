/**
 * The newest row per GPU, bounded. An nvidia-smi printing rows with ever-new UUIDs took the
 * collector from 134 MB to 1.5 GB in 14 s with an inventory of 76,208 devices, which every console
 * rejects (the protocol's bound is MAX_DEVICES, issue 10). Here the first MAX_DEVICES GPUs are kept
 * and rows of any further GPU are refused and counted; a GPU silent for FORGET_AFTER_MS is dropped,
 * so devices that come and go do not pile up either.
 */
import { MAX_DEVICES } from '../../core/protocol/limits.js';
import type { GpuRow } from './gpuRow.js';
import type { LatestRow } from './readings.js';

/**
 * Long enough that a GPU fallen off the bus stays on screen as "missing" while someone looks into
 * it; short enough that a tool inventing UUIDs frees the table again.
 */
export const FORGET_AFTER_MS = 5 * 60_000;
/** Refused GPUs are told apart by a 32-bit hash of their id: ~3 MB at most, not their ids. */
const REFUSED_KEEP = 65_536;

export class LatestRows {
  private readonly rows = new Map<string, LatestRow>();
  private readonly refused = new Set<number>();
  private refusedAt = -Infinity;

  constructor(
    private readonly max = MAX_DEVICES,
    private readonly forgetAfterMs = FORGET_AFTER_MS,
  ) {}

  /** Whether a row of GPU `id` would be kept; a refusal is counted. */
  admits(id: string, t: number): boolean {
    if (this.rows.size < this.max || this.rows.has(id)) return true;
    if (this.refused.size < REFUSED_KEEP) this.refused.add(hash(id));
    this.refusedAt = t;
    return false;
  }

  /** Keeps the row as its GPU's newest; false when the table is full and the GPU is new. */
  put(row: GpuRow, t: number): boolean {
    if (!this.admits(row.device.id, t)) return false;
    this.rows.set(row.device.id, { row, t });
    return true;
  }

  /** Drops GPUs whose newest row is older than forgetAfterMs. */
  forget(now: number): void {
    for (const [id, r] of this.rows) if (now - r.t > this.forgetAfterMs) this.rows.delete(id);
  }

  values(): LatestRow[] {
    return [...this.rows.values()];
  }

  get size(): number {
    return this.rows.size;
  }

  /**
   * "nvidia-smi listed 76,208 devices; the collector keeps the first 1,024" while rows of GPUs past
   * the bound arrived within `windowMs`; the count starts again once they stop.
   */
  excess(now: number, windowMs: number): string | undefined {
    if (now - this.refusedAt > windowMs) {
      this.refused.clear();
      return undefined;
    }
    const listed = this.rows.size + this.refused.size;
    const atLeast = this.refused.size >= REFUSED_KEEP ? 'over ' : '';
    return `nvidia-smi listed ${atLeast}${count(listed)} devices; the collector keeps the first ${count(this.max)}`;
  }
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** FNV-1a, 32 bits. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
