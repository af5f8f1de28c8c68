/**
 * `osprey profile diff A B [--json] [--limit N]`: the console's "what changed most" table
 * (core changedMost): per function, self and total before and after, as shares of each profile's
 * total and as absolute weight, the largest self change first.
 */
import { changedMost, type ChangeRow } from '../core/profile/diff.js';
import { totalWeight, type Measure, type WeightUnit } from '../core/profile/model.js';
import { cell, formatWeight, percent, points, table } from './profileFormat.js';
import { chooseProfile, ProfileError, readProfileSet } from './profileRead.js';

export interface DiffOptions {
  limit?: number | undefined;
  sampleType?: string | undefined;
  profile?: string | undefined;
}

export interface ProfileDiff {
  before: { file: string; profile: string; total: number };
  after: { file: string; profile: string; total: number };
  unit: WeightUnit;
  measure: Measure;
  /** Functions in either profile. */
  functions: number;
  /** The first `limit` rows of changedMost, as it returns them. */
  rows: ChangeRow[];
  notes: string[];
}

export async function diffFiles(a: string, b: string, options: DiffOptions): Promise<ProfileDiff> {
  const notes: string[] = [];
  const before = chooseProfile(await readProfileSet(a, options), a, options.profile, notes);
  const after = chooseProfile(await readProfileSet(b, options), b, options.profile, notes);
  let rows: ChangeRow[];
  try {
    rows = changedMost(before, after);
  } catch (error) {
    throw new ProfileError(`${a} vs ${b}: ${(error as Error).message}`);
  }
  return {
    before: { file: a, profile: before.name, total: totalWeight(before) },
    after: { file: b, profile: after.name, total: totalWeight(after) },
    unit: after.unit,
    measure: after.measure,
    functions: rows.length,
    rows: rows.slice(0, options.limit ?? 20),
    notes,
  };
}

function signed(value: number, unit: WeightUnit): string {
  return value > 0 ? `+${formatWeight(value, unit)}` : formatWeight(value, unit);
}

export function formatDiff(d: ProfileDiff): string {
  const side = (s: ProfileDiff['before']) =>
    `${s.file}${s.profile === s.file ? '' : ` (${cell(s.profile, 60)})`}, ${formatWeight(s.total, d.unit)}`;
  const out = [
    `before: ${side(d.before)}`,
    `after:  ${side(d.after)}`,
    `${d.functions} functions; the ${d.rows.length} whose self share changed most:`,
    '',
  ];
  const rows = [
    ['self Δ', 'self before → after', 'self Δ abs', 'total Δ', 'total Δ abs', 'function'],
  ];
  const share = (v: number, sum: number) => (sum === 0 ? 0 : v / sum);
  for (const r of d.rows) {
    rows.push([
      points(r.selfDelta),
      `${percent(share(r.selfBefore, d.before.total))} → ${percent(share(r.selfAfter, d.after.total))}`,
      signed(r.selfAfter - r.selfBefore, d.unit),
      points(r.totalDelta),
      signed(r.totalAfter - r.totalBefore, d.unit),
      cell(r.file ? `${r.name} (${r.file})` : r.name),
    ]);
  }
  out.push(table(rows, new Set([0, 1, 2, 3, 4])));
  return out.join('\n');
}
