/**
 * Which chips' Health cells changed between two tables: a chip leaving OK (or first seen not OK)
 * brings the health checks forward (AscendProbe), whose Signals the diagnosis rules judge. Not
 * one per tick: a chip stuck in Alarm is one change.
 */
import { healthLevel } from './health.js';
import type { TableChip } from './infoTable.js';

export interface HealthChange {
  chip: TableChip;
  /** The previous health word; undefined when the chip is new. */
  previous?: string;
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
