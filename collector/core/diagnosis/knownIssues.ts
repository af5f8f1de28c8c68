/**
 * Known issues of a driver or firmware range, as rules like any other (issue 14): a diagnosis of
 * a matching device, kind and code gets the issue's note added to its cause, its steps put first
 * and, when the rule says so, its bucket. Every rule names its source; Osprey ships only rules it
 * can cite, and inventing one would send operators after a fault that does not exist.
 */
import type { ActionBucket, DeviceContext, SignalKind } from './types.js';

export interface KnownIssue {
  id: string;
  vendor: 'nvidia' | 'ascend';
  /** Substring of the device model (`H100`), case-insensitive; absent: any model. */
  model?: string;
  /** Driver versions affected: `min` ≤ version < `below`, compared part by part numerically. */
  driver?: { min?: string; below?: string };
  firmware?: { min?: string; below?: string };
  kinds: readonly SignalKind[];
  /** Codes it applies to; absent: every code of those kinds. */
  codes?: readonly string[];
  note: string;
  steps?: readonly string[];
  bucket?: ActionBucket;
  /** Where the fact comes from (release notes URL and section). */
  source: string;
}

/**
 * NVIDIA Data Center GPU Driver Release Notes 525 v3.0 (driver 525.105.17): "Fixed an issue
 * specific to GSP-RM that could lead to GSP RPC timeout errors (Xid 119). The issue was introduced
 * in the first 525 driver release and was not present in earlier drivers." Quoted with the
 * release-notes link in NVIDIA/open-gpu-kernel-modules#446 (2023-04-19); the PDF itself was not
 * read here. Range: every 525 driver before 525.105.17.
 */
const GSP_525_NOTE =
  'NVIDIA’s 525 release notes (v3.0) list GSP RPC timeouts (Xid 119) caused by a GSP-RM defect ' +
  'in 525 drivers before 525.105.17, fixed in 525.105.17.';
const GSP_525_SOURCE =
  'https://docs.nvidia.com/datacenter/tesla/pdf/NVIDIA_Data_Center_GPU_Driver_Release_Notes_525_v3.0.pdf';
const GSP_525_STEPS = ['Update the driver to 525.105.17 or later (the release with the fix)'];

export const KNOWN_ISSUES: readonly KnownIssue[] = [
  {
    id: 'nvidia-525-gsp-rpc-timeout',
    vendor: 'nvidia',
    driver: { min: '525', below: '525.105.17' },
    kinds: ['xid'],
    codes: ['119'],
    note: GSP_525_NOTE,
    steps: GSP_525_STEPS,
    bucket: 'update-software',
    source: GSP_525_SOURCE,
  },
  {
    id: 'nvidia-525-gsp-rpc-timeout',
    vendor: 'nvidia',
    driver: { min: '525', below: '525.105.17' },
    kinds: ['gsp-timeout'],
    note: GSP_525_NOTE,
    steps: GSP_525_STEPS,
    bucket: 'update-software',
    source: GSP_525_SOURCE,
  },
];

/** `535.129.03` vs `535.54` → positive, 0 or negative; non-numeric parts compare as text. */
export function compareVersions(a: string, b: string): number {
  const pa = a.trim().split(/[.\-+]/);
  const pb = b.trim().split(/[.\-+]/);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i] ?? '0';
    const y = pb[i] ?? '0';
    const nx = Number(x);
    const ny = Number(y);
    const c = Number.isFinite(nx) && Number.isFinite(ny) ? nx - ny : x < y ? -1 : x > y ? 1 : 0;
    if (c !== 0) return c;
  }
  return 0;
}

function inRange(version: string | undefined, range: KnownIssue['driver']): boolean {
  if (range === undefined) return true;
  if (version === undefined) return false;
  if (range.min !== undefined && compareVersions(version, range.min) < 0) return false;
  if (range.below !== undefined && compareVersions(version, range.below) >= 0) return false;
  return true;
}

export function matchingIssues(
  kind: SignalKind,
  code: string | undefined,
  device: DeviceContext | undefined,
  rules: readonly KnownIssue[] = KNOWN_ISSUES,
): KnownIssue[] {
  if (device === undefined) return [];
  return rules.filter(
    (r) =>
      r.vendor === device.vendor &&
      r.kinds.includes(kind) &&
      (r.codes === undefined || (code !== undefined && r.codes.includes(code))) &&
      (r.model === undefined ||
        (device.model ?? '').toLowerCase().includes(r.model.toLowerCase())) &&
      inRange(device.driver, r.driver) &&
      inRange(device.firmware, r.firmware),
  );
}
