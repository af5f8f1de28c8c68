/**
 * A probe's state as one short line for the "no devices" list. Probes report a missing tool as
 * "<tool> not found"; that reads best keyed by the tool, which is what users know: "npu-smi: not
 * found" rather than "ascend: npu-smi not found".
 */
import type { ProbeStatus } from '../../../../collector/core/protocol/spec.js';
import { displayName } from '../../lib/displayName.js';

export interface ProbeLine {
  name: string;
  detail: string;
}

export function describeProbe(status: ProbeStatus): ProbeLine {
  const missing = /^([\w.-]+) (not found\b.*)$/.exec(status.message ?? '');
  if (missing) return { name: missing[1]!, detail: displayName(missing[2]!) };
  return { name: displayName(status.probe), detail: displayName(status.message ?? status.state) };
}
