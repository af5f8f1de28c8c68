/**
 * Frames and stacks interned once, samples appended: what the pprof, Pyroscope and Chrome trace
 * importers build their profiles with. A stack is found by a hash of its frame indices and one
 * comparison, so a sample costs a multiply per frame and one Map lookup; a trie of (parent, frame)
 * edges was 4× slower on google/pprof large.cpu (600k frames: a random probe per frame).
 */
import type { Frame, Measure, Profile, WeightUnit } from '../model.js';

export class FrameIndex {
  readonly frames: Frame[] = [];
  private readonly index = new Map<string, number>();

  /** The index of a frame equal to `frame` in every field, adding it when new. */
  intern(frame: Frame): number {
    const key = `${frame.name}\u0000${frame.file ?? ''}\u0000${frame.line ?? ''}\u0000${
      frame.module ?? ''
    }\u0000${frame.kind}`;
    let i = this.index.get(key);
    if (i === undefined) {
      i = this.frames.length;
      this.frames.push(frame);
      this.index.set(key, i);
    }
    return i;
  }
}

export class StackIndex {
  readonly stacks: number[][] = [];
  /** Per stack: the summed weight and count of its samples (one sample per stack in the end). */
  private readonly weights: number[] = [];
  private readonly counts: number[] = [];
  /** Hash of a stack's frames → its index, or the indices of all stacks with that hash. */
  private readonly byHash = new Map<number, number | number[]>();

  /** The index of the stack (root → leaf frame indices), adding a copy when new. */
  stack(frames: readonly number[]): number {
    const n = frames.length;
    let h = 0x811c9dc5 ^ n;
    for (let i = 0; i < n; i++) h = Math.imul(h ^ frames[i]!, 0x01000193);
    const found = this.byHash.get(h);
    if (found !== undefined) {
      if (typeof found === 'number') {
        if (same(this.stacks[found]!, frames)) return found;
      } else {
        for (const s of found) if (same(this.stacks[s]!, frames)) return s;
      }
    }
    const s = this.stacks.length;
    this.stacks.push(frames.slice());
    this.weights.push(0);
    this.counts.push(0);
    if (found === undefined) this.byHash.set(h, s);
    else if (typeof found === 'number') this.byHash.set(h, [found, s]);
    else found.push(s);
    return s;
  }

  /** Adds a sample: identical stacks sum, as pprof and stackcollapse do. */
  add(stack: number, weight: number, count = 1): void {
    this.weights[stack]! += weight;
    this.counts[stack]! += count;
  }

  /**
   * The profile: one sample per stack that carries weight or calls (a 1M-span trace is its few
   * thousand distinct stacks). `counts` is left out when every sample stands for exactly one.
   */
  toProfile(
    name: string,
    unit: WeightUnit,
    measure: Measure,
    frames: readonly Frame[],
    labels?: Readonly<Record<string, string>>,
  ): Profile {
    const sampleStacks: number[] = [];
    const weights: number[] = [];
    const counts: number[] = [];
    let allOnes = true;
    for (let i = 0; i < this.stacks.length; i++) {
      const w = this.weights[i]!;
      const c = this.counts[i]!;
      if (w === 0 && c === 0) continue;
      sampleStacks.push(i);
      weights.push(w);
      counts.push(c);
      if (c !== 1) allOnes = false;
    }
    return {
      name,
      unit,
      measure,
      frames,
      stacks: this.stacks,
      sampleStacks,
      weights,
      counts: allOnes ? undefined : counts,
      labels,
    };
  }
}

function same(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
