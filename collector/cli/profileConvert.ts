/**
 * `osprey profile convert FILE --to folded|speedscope -o OUT`: the file read by content, written
 * by the core's writers. The output is written to a temporary file beside OUT and renamed over it,
 * so a failure leaves no half-written OUT (and an existing OUT as it was).
 */
import { rename, rm, writeFile } from 'node:fs/promises';

import type { ProfileSet } from '../core/profile/model.js';
import { toFolded, toFoldedSet } from '../core/profile/writers/folded.js';
import { toSpeedscope } from '../core/profile/writers/speedscope.js';
import { ProfileError, readProfileSet } from './profileRead.js';

export const CONVERT_FORMATS = ['folded', 'speedscope'] as const;
export type ConvertFormat = (typeof CONVERT_FORMATS)[number];

export interface ConvertOptions {
  to: string;
  output: string;
  sampleType?: string | undefined;
  /** One profile of the set, by index or name. */
  profile?: string | undefined;
}

function pick(set: ProfileSet, file: string, choice: string | undefined): ProfileSet {
  if (choice === undefined) return set;
  const byIndex = /^\d+$/.test(choice) ? set.profiles[Number(choice)] : undefined;
  const p = byIndex ?? set.profiles.find((x) => x.name === choice);
  if (!p) throw new ProfileError(`${file}: no profile ${JSON.stringify(choice)}`);
  return { ...set, profiles: [p] };
}

export function convertText(set: ProfileSet, to: ConvertFormat, file: string): string {
  if (to === 'speedscope') return toSpeedscope(set);
  try {
    return set.profiles.length === 1 ? toFolded(set.profiles[0]!) : toFoldedSet(set);
  } catch (error) {
    throw new ProfileError(
      `${file}: ${(error as Error).message.replace(/^[^:]*: /, '')} (--profile N)`,
    );
  }
}

/** Returns what was written, for the command's one-line report. */
export async function convertProfile(
  file: string,
  options: ConvertOptions,
): Promise<{ output: string; bytes: number; profiles: number }> {
  if (!(CONVERT_FORMATS as readonly string[]).includes(options.to)) {
    throw new ProfileError(`--to ${JSON.stringify(options.to)}: expected folded or speedscope`);
  }
  const set = pick(await readProfileSet(file, options), file, options.profile);
  const text = convertText(set, options.to as ConvertFormat, file);
  const tmp = `${options.output}.${process.pid}.tmp`;
  try {
    await writeFile(tmp, text, { flag: 'wx' });
    await rename(tmp, options.output);
  } catch (error) {
    await rm(tmp, { force: true });
    throw new ProfileError(`${options.output}: cannot write: ${(error as Error).message}`);
  }
  return { output: options.output, bytes: Buffer.byteLength(text), profiles: set.profiles.length };
}
