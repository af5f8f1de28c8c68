/**
 * Chip health as events: one when a chip leaves OK (or is first seen not OK), one when its state
 * changes again, one when it is back to OK. Not one per tick: a chip stuck in Alarm would otherwise
 * flood the timeline. The fault code comes from `npu-smi info -t health -i N -c C`, whose hex codes
 * the Ascend fault dictionary (faultCode.json) classifies.
 */
import type { EventRecord } from '../../core/model.js';
import { healthLevel, healthSeverity } from './health.js';
import type { TableChip } from './infoTable.js';

export interface HealthChange {
  chip: TableChip;
  /** The previous health word; undefined when the chip is new. */
  previous?: string;
}

export interface HealthDetail {
  errorCodes: readonly string[];
  errorInfo?: string;
}

export class HealthTracker {
  private readonly last = new Map<string, string>();

  /** Chips whose health word changed since the previous call. */
  changes(chips: readonly TableChip[]): HealthChange[] {
    const out: HealthChange[] = [];
    for (const chip of chips) {
      const word = chip.health.trim();
      if (word === '') continue;
      const previous = this.last.get(chip.id);
      this.last.set(chip.id, word);
      if (previous === undefined) {
        if (healthLevel(word) !== 0) out.push({ chip });
      } else if (previous.toLowerCase() !== word.toLowerCase()) {
        out.push({ chip, previous });
      }
    }
    return out;
  }
}

export function isRecovery(change: HealthChange): boolean {
  return healthLevel(change.chip.health) === 0;
}

export function healthEvent(change: HealthChange, ts: number, detail?: HealthDetail): EventRecord {
  const { chip, previous } = change;
  const who = `NPU ${chip.npuId} chip ${chip.chip} (${chip.name})`;
  const was = previous === undefined ? '' : ` (was ${previous})`;
  if (isRecovery(change)) {
    return {
      ts,
      kind: 'npu-health',
      severity: 'info',
      message: `${who}: health back to OK${was}`,
      d: chip.id,
    };
  }
  let message = `${who}: health ${chip.health.trim()}${was}`;
  const codes = detail?.errorCodes ?? [];
  if (codes.length > 0) message += `; error code ${codes.join(', ')}`;
  if (detail?.errorInfo) message += ` (${detail.errorInfo})`;
  const event: EventRecord = {
    ts,
    kind: 'npu-health',
    severity: healthSeverity(chip.health),
    message: message.slice(0, 4096),
    d: chip.id,
  };
  if (codes[0] !== undefined) event.code = codes[0].slice(0, 64);
  return event;
}
