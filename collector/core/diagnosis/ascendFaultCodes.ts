/**
 * Ascend chip fault codes → handling level → what it means and what to do. The levels and their
 * handling are the device plugin's (Ascend/mind-cluster faultCode.json and its docs,
 * usage/resumable_training/03_configuring_fault_detection_levels.md; summarised in
 * ../shared/reference/contracts.md §4.4). Per-code descriptions live in Huawei's "Chip Fault Code
 * References", not retrieved here, so a diagnosis names the level, not the code's own meaning.
 */
import { ASCEND_FAULT_CODES } from './ascendFaultCodeRows.js';
import type { Severity } from './severity.js';
import type { ActionBucket } from './types.js';

export { ASCEND_FAULT_CODES };

export type AscendLevel = keyof typeof ASCEND_FAULT_CODES;

export interface AscendLevelInfo {
  level: AscendLevel;
  severity: Severity;
  bucket: ActionBucket;
  /** The level's handling in plain words (docs, §4.4). */
  meaning: string;
  impact: string;
  summary: string;
}

/** Most severe first: a code listed under two levels takes the first (A2301001 is in two). */
export const ASCEND_LEVELS: readonly AscendLevelInfo[] = [
  {
    level: 'SeparateNPUCodes',
    severity: 'critical',
    bucket: 'isolate-device',
    meaning: 'an unrecoverable chip fault: the device plugin isolates the chip',
    impact: 'The chip is unusable; engines on it stop serving until it is replaced or repaired',
    summary: 'Isolate the chip and have it serviced',
  },
  {
    level: 'RestartNPUCodes',
    severity: 'critical',
    bucket: 'reset-device',
    meaning: 'a chip fault that needs the chip reset now: the job on it is stopped',
    impact: 'Jobs on the chip stop; it serves again only after a reset',
    summary: 'Stop the job on the chip and reset the chip',
  },
  {
    level: 'PreSeparateNPUCodes',
    severity: 'error',
    bucket: 'isolate-device',
    meaning: 'a chip fault that stops new work being scheduled on the chip',
    impact: 'Running work may finish; no new work should be placed on the chip',
    summary: 'Stop scheduling work on the chip and plan its isolation',
  },
  {
    level: 'FreeRestartNPUCodes',
    severity: 'error',
    bucket: 'reset-device',
    meaning: 'a chip fault that needs the chip reset once it is idle',
    impact: 'The chip keeps serving for now; it must be reset when its work has drained',
    summary: 'Reset the chip once it is idle',
  },
  {
    level: 'RestartBusinessCodes',
    severity: 'error',
    bucket: 'restart-app',
    meaning: 'a fault that needs the service (the job) re-executed',
    impact: 'The service on the chip failed and must be restarted',
    summary: 'Restart the service on the chip',
  },
  {
    level: 'RestartRequestCodes',
    severity: 'warning',
    bucket: 'restart-app',
    meaning:
      'a fault that needs the request re-executed; if it persists over 60 s the chip is ' +
      'isolated and the job rescheduled',
    impact: 'The current request failed; retried requests normally succeed',
    summary: 'Re-execute the request; isolate the chip if it keeps failing over 60 s',
  },
  {
    level: 'SubHealthFaultCodes',
    severity: 'warning',
    bucket: 'watch',
    meaning: 'a sub-health fault: handled per job by its subHealthyStrategy',
    impact: 'The chip serves, possibly degraded',
    summary: 'Watch the chip; move work off it if the job’s sub-health strategy says so',
  },
  {
    level: 'NotHandleFaultCodes',
    severity: 'info',
    bucket: 'none',
    meaning: 'a fault the device plugin does not act on (no service impact)',
    impact: 'No effect on serving',
    summary: 'No action needed',
  },
];

const LEVEL_INFO: ReadonlyMap<string, AscendLevelInfo> = new Map(
  ASCEND_LEVELS.map((l) => [l.level, l]),
);

const BY_CODE: ReadonlyMap<string, AscendLevelInfo> = (() => {
  const m = new Map<string, AscendLevelInfo>();
  for (const info of ASCEND_LEVELS) {
    for (const code of ASCEND_FAULT_CODES[info.level]) if (!m.has(code)) m.set(code, info);
  }
  return m;
})();

export function ascendLevelInfo(level: string): AscendLevelInfo | undefined {
  return LEVEL_INFO.get(level);
}

/** `0x80E24E00`, `80e24e00` → `0x80E24E00`; undefined when it is not a hex code. */
export function normalizeAscendCode(text: string): string | undefined {
  const m = /^(?:0x)?([0-9a-f]{6,9})$/i.exec(text.trim());
  return m ? `0x${m[1]!.toUpperCase()}` : undefined;
}

/** The level a code is listed under (the most severe when listed twice). */
export function ascendFault(code: string): AscendLevelInfo | undefined {
  const n = normalizeAscendCode(code);
  return n === undefined ? undefined : BY_CODE.get(n.slice(2));
}
