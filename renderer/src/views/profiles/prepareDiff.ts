/**
 * The differential view's choices: every profile of every opened set ("before" and "after" may be
 * two files, two captures, or two threads of one file), and why two cannot be compared. Pure.
 */
import type { Measure, Profile } from '../../../../collector/core/profile/model.js';
import { displayName } from '../../lib/displayName.js';
import type { ProfileEntry } from '../../profiles/ProfileLibrary.js';
import { unitName } from './units.js';

export interface ProfileChoice {
  /** `<entry id>/<profile index>` */
  readonly id: string;
  readonly label: string;
  readonly profile: Profile;
}

export function profileChoices(entries: readonly ProfileEntry[]): ProfileChoice[] {
  return entries.flatMap((entry) =>
    entry.set.profiles.map((profile, i) => ({
      id: `${entry.id}/${i}`,
      label:
        entry.set.profiles.length === 1
          ? displayName(entry.set.name)
          : `${displayName(entry.set.name)} · ${displayName(profile.name)}`,
      profile,
    })),
  );
}

const MEASURE_LABEL: Readonly<Record<Measure, string>> = {
  cpu: 'CPU time',
  wall: 'wall time',
  gpu: 'GPU time',
  alloc: 'allocations',
  other: 'another measure',
};

/** Why `before` and `after` make no diff, or undefined when they do. */
export function whyNotComparable(before: Profile, after: Profile): string | undefined {
  if (before === after) return 'Before and after are the same profile: choose two.';
  if (before.unit !== after.unit) {
    return (
      `Before is in ${unitName(before.unit)} and after in ${unitName(after.unit)}: ` +
      'a diff compares shares of one unit.'
    );
  }
  if (before.measure !== after.measure) {
    return (
      `Before measures ${MEASURE_LABEL[before.measure]} and after ` +
      `${MEASURE_LABEL[after.measure]}: a diff compares one measure.`
    );
  }
  return undefined;
}
