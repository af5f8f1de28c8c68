/**
 * A ProfileSet as a speedscope file (jlfwong/speedscope src/lib/file-format-spec.ts; the schema
 * is https://www.speedscope.app/file-format-schema.json): frames shared by every profile, one
 * "sampled" profile per profile, samples root → leaf as speedscope's own importer reads them.
 * Samples in a row on the same stack are written once with their weights summed: the time order
 * speedscope shows stays the same, and a profile of 1M samples on a few stacks stays small.
 */
import { functionKey, type Frame, type ProfileSet, type WeightUnit } from '../model.js';

export const SPEEDSCOPE_SCHEMA = 'https://www.speedscope.app/file-format-schema.json';

/** speedscope's ValueUnit; samples and counts have no unit there ("none"). */
export type SpeedscopeUnit =
  'none' | 'nanoseconds' | 'microseconds' | 'milliseconds' | 'seconds' | 'bytes';

export function speedscopeUnit(unit: WeightUnit): SpeedscopeUnit {
  switch (unit) {
    case 'nanoseconds':
      return 'nanoseconds';
    case 'bytes':
      return 'bytes';
    case 'samples':
    case 'count':
      return 'none';
  }
}

export interface SpeedscopeFrame {
  name: string;
  file?: string;
  line?: number;
}

export interface SpeedscopeSampledProfile {
  type: 'sampled';
  name: string;
  unit: SpeedscopeUnit;
  startValue: number;
  endValue: number;
  samples: number[][];
  weights: number[];
}

export interface SpeedscopeFile {
  $schema: typeof SPEEDSCOPE_SCHEMA;
  shared: { frames: SpeedscopeFrame[] };
  profiles: SpeedscopeSampledProfile[];
  name: string;
  activeProfileIndex: number;
  exporter: string;
}

function frameKey(f: Frame): string {
  return f.line === undefined ? functionKey(f) : `${functionKey(f)}\u0000${f.line}`;
}

export function toSpeedscopeFile(set: ProfileSet, exporter = 'osprey'): SpeedscopeFile {
  const shared: SpeedscopeFrame[] = [];
  const sharedIndex = new Map<string, number>();
  const profiles = set.profiles.map((p): SpeedscopeSampledProfile => {
    const map = p.frames.map((f) => {
      const key = frameKey(f);
      let at = sharedIndex.get(key);
      if (at === undefined) {
        at = shared.length;
        sharedIndex.set(key, at);
        const out: SpeedscopeFrame = { name: f.name };
        if (f.file !== undefined && f.file !== '') out.file = f.file;
        if (f.line !== undefined) out.line = f.line;
        shared.push(out);
      }
      return at;
    });
    const stacks = p.stacks.map((s) => s.map((f) => map[f]!));
    const samples: number[][] = [];
    const weights: number[] = [];
    let last = -1;
    let total = 0;
    for (let i = 0; i < p.sampleStacks.length; i++) {
      const s = p.sampleStacks[i]!;
      const w = p.weights[i]!;
      total += w;
      if (s === last) weights[weights.length - 1]! += w;
      else {
        samples.push(stacks[s]!);
        weights.push(w);
        last = s;
      }
    }
    return {
      type: 'sampled',
      name: p.name,
      unit: speedscopeUnit(p.unit),
      startValue: 0,
      endValue: total,
      samples,
      weights,
    };
  });
  return {
    $schema: SPEEDSCOPE_SCHEMA,
    shared: { frames: shared },
    profiles,
    name: set.name,
    activeProfileIndex: 0,
    exporter,
  };
}

/** The set as speedscope JSON text. */
export function toSpeedscope(set: ProfileSet, exporter?: string): string {
  return JSON.stringify(toSpeedscopeFile(set, exporter));
}
