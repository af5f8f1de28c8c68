/**
 * Lookups over NVSentinel's Xid rows (xidRows.ts) and the mapping of its resolution words onto
 * Osprey's action buckets (types.ts ActionBucket). The workflow resolutions (WORKFLOW_XID_48,
 * WORKFLOW_XID_45, WORKFLOW_NVLINK_ERR, WORKFLOW_NVLINK5_ERR) name a procedure rather than one
 * action; their bucket is the action the procedure starts with and diagnose.ts spells the steps.
 */
import type { ActionBucket } from './types.js';
import { NVSENTINEL_XID_ROWS, XID_CATALOG_URL, type XidClass } from './xidRows.js';

export { NVSENTINEL_XID_ROWS, XID_CATALOG_URL };
export type { XidClass, XidRow } from './xidRows.js';

export interface XidEntry {
  code: number;
  /** Trimmed; `Xid 162` for the row whose name is empty in the CSV. */
  mnemonic: string;
  /** NVSentinel's resolution word as written (154's is a sentence). */
  resolution: string;
  cls: XidClass;
  bucket: ActionBucket;
}

/** NVSentinel resolution → bucket. Anything else (154's sentence) is `watch`. */
export const RESOLUTION_BUCKET: Readonly<Record<string, ActionBucket>> = {
  RESTART_APP: 'restart-app',
  RESET_GPU: 'reset-device',
  RESTART_BM: 'reboot-node',
  RESTART_VM: 'reboot-node',
  UNEXPECTED_ERR_REPORT_ISSUE: 'contact-vendor',
  UPDATE_SWFW: 'update-software',
  CHECK_MECHANICALS: 'check-hardware',
  // Not a fault by itself (NVSentinel does nothing); it is watched for repeats.
  IGNORE: 'watch',
  // 159 (CHI non-data error): check the unified-memory driver; no node action of its own.
  CHECK_UVM: 'watch',
  // Xid 48: the ECC workflow starts with a GPU reset (remapped rows are applied on reset).
  WORKFLOW_XID_48: 'reset-device',
  // Xid 45: a consequence of an earlier error; that error's advice applies.
  WORKFLOW_XID_45: 'none',
  WORKFLOW_NVLINK_ERR: 'reset-device',
  WORKFLOW_NVLINK5_ERR: 'reset-device',
};

const BY_CODE: ReadonlyMap<number, XidEntry> = new Map(
  NVSENTINEL_XID_ROWS.map(([code, mnemonic, resolution, cls]) => [
    code,
    {
      code,
      mnemonic: mnemonic.trim() === '' ? `Xid ${code}` : mnemonic.trim(),
      resolution: resolution.trim(),
      cls,
      bucket: RESOLUTION_BUCKET[resolution.trim()] ?? 'watch',
    },
  ]),
);

export function xidEntry(code: number | string): XidEntry | undefined {
  const n = typeof code === 'number' ? code : Number(code);
  return Number.isInteger(n) ? BY_CODE.get(n) : undefined;
}

/** Codes the catalog knows, ascending. */
export function xidCodes(): number[] {
  return [...BY_CODE.keys()].sort((a, b) => a - b);
}
