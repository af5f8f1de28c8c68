/**
 * Several profiles of one unit as one: the same engine captured on eight nodes, or every thread
 * of a process. Frames are unified by name, file and line; samples are kept as they are, so the
 * merged total is the sum of the totals.
 */
import { DiffUnitError } from './diff.js';
import type { Frame, Profile } from './model.js';

export function mergeProfiles(profiles: readonly Profile[], name: string): Profile {
  const first = profiles[0];
  if (!first) throw new DiffUnitError('nothing to merge: no profiles given');
  for (const p of profiles) {
    if (p.unit !== first.unit || p.measure !== first.measure) {
      throw new DiffUnitError(
        `cannot merge "${p.name}" (${p.measure} ${p.unit}) into "${first.name}" ` +
          `(${first.measure} ${first.unit}): every profile must measure the same thing`,
      );
    }
  }
  const frames: Frame[] = [];
  const frameIndex = new Map<string, number>();
  const stacks: number[][] = [];
  const sampleStacks: number[] = [];
  const weights: number[] = [];
  const counts: number[] = [];
  for (const p of profiles) {
    const remap = p.frames.map((f) => {
      const key = `${f.name}\u0000${f.file ?? ''}\u0000${f.line ?? ''}`;
      let i = frameIndex.get(key);
      if (i === undefined) {
        i = frames.length;
        frames.push(f);
        frameIndex.set(key, i);
      }
      return i;
    });
    const base = stacks.length;
    for (const stack of p.stacks) stacks.push(stack.map((f) => remap[f]!));
    for (let i = 0; i < p.sampleStacks.length; i++) {
      sampleStacks.push(base + p.sampleStacks[i]!);
      weights.push(p.weights[i]!);
      counts.push(p.counts ? p.counts[i]! : 1);
    }
  }
  return {
    name,
    unit: first.unit,
    measure: first.measure,
    frames,
    stacks,
    sampleStacks,
    weights,
    counts,
  };
}
