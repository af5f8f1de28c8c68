/**
 * Reading a profile file for the `osprey profile` commands: refused by size before a byte is read
 * (MAX_PROFILE_BYTES), format detected by content (importProfile), and every failure a
 * ProfileError whose message names the file (and the line or byte, from ProfileImportError).
 */
import { readFile, stat } from 'node:fs/promises';

import { importProfile } from '../core/profile/importers/importProfile.js';
import { ProfileImportError } from '../core/profile/importers/types.js';
import { mergeProfiles } from '../core/profile/merge.js';
import { MAX_PROFILE_BYTES, type Profile, type ProfileSet } from '../core/profile/model.js';
import { formatBytes } from '../core/snapshot/describe.js';

/** A failure the command reports on stderr and exits 1 for. */
export class ProfileError extends Error {
  override readonly name = 'ProfileError';
}

export async function readProfileSet(
  file: string,
  options: { sampleType?: string | undefined } = {},
): Promise<ProfileSet> {
  let size: number;
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new ProfileError(`${file}: not a file`);
    size = s.size;
  } catch (error) {
    if (error instanceof ProfileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ProfileError(
      `${file}: ${code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }
  if (size > MAX_PROFILE_BYTES) {
    throw new ProfileError(
      `${file}: ${formatBytes(size)} is more than the ${formatBytes(MAX_PROFILE_BYTES)} a profile ` +
        'may be; not read (take a shorter capture, or one thread)',
    );
  }
  const bytes = new Uint8Array(await readFile(file));
  try {
    return importProfile({ name: file, bytes }, { sampleType: options.sampleType });
  } catch (error) {
    if (error instanceof ProfileImportError) throw new ProfileError(error.message);
    throw new ProfileError(`${file}: ${(error as Error).message}`);
  }
}

/**
 * One profile of a set, by index (0-based) or name; without a choice, the only one, or all of
 * the first one's unit and measure merged (every thread of a py-spy capture), saying so in `notes`.
 */
export function chooseProfile(
  set: ProfileSet,
  file: string,
  choice: string | undefined,
  notes: string[],
): Profile {
  const profiles = set.profiles;
  if (profiles.length === 0) throw new ProfileError(`${file}: holds no profile`);
  if (choice !== undefined) {
    const byIndex = /^\d+$/.test(choice) ? profiles[Number(choice)] : undefined;
    const found = byIndex ?? profiles.find((p) => p.name === choice);
    if (!found) {
      throw new ProfileError(
        `${file}: no profile ${JSON.stringify(choice)}; it holds ${profiles
          .slice(0, 10)
          .map((p, i) => `${i}: ${JSON.stringify(p.name)}`)
          .join(', ')}${profiles.length > 10 ? ', …' : ''}`,
      );
    }
    return found;
  }
  if (profiles.length === 1) return profiles[0]!;
  const first = profiles[0]!;
  const same = profiles.filter((p) => p.unit === first.unit && p.measure === first.measure);
  notes.push(
    `${file}: ${same.length} profiles of ${first.measure} ${first.unit} merged` +
      (same.length < profiles.length
        ? ` (${profiles.length - same.length} of other units left out; choose one with --profile)`
        : ''),
  );
  return mergeProfiles(same, set.name);
}
