/**
 * What the text importers (folded, perf script, austin, speedscope) build profiles with: a frame
 * table interned by a key the importer chooses, and per profile a table of unique stacks with
 * their summed weight and count — identical stacks become one sample, as stackcollapse does, so a
 * 1M-sample file is held as its ~200k unique stacks.
 *
 * Stacks are deduplicated by a hash of their frame indices, folded in as the importer reads each
 * frame, in an open-addressing table: no string key per stack (keying a Map by the stack's text
 * hashed every character of the 100 MB bench file again, ~260 ms of a ~300 ms budget) and no trie
 * (a (parent, frame) edge table of ~4M entries cost ~400 ms in cache misses and rehashing).
 */
import type { Frame, Measure, Profile, WeightUnit } from '../model.js';

export class FrameTable {
  readonly frames: Frame[] = [];
  private readonly byKey = new Map<string, number>();

  /** Index of the frame interned under `key`, or undefined. */
  find(key: string): number | undefined {
    return this.byKey.get(key);
  }

  add(key: string, frame: Frame): number {
    const i = this.frames.length;
    this.frames.push(frame);
    this.byKey.set(key, i);
    return i;
  }

  /** The index of a frame equal to `frame` in every field, adding it when new. */
  intern(frame: Frame): number {
    const key = `${frame.name}\u0000${frame.file ?? ''}\u0000${frame.line ?? ''}\u0000${
      frame.module ?? ''
    }\u0000${frame.kind}`;
    return this.find(key) ?? this.add(key, frame);
  }
}

/** Folds one more frame into a stack's hash (start from STACK_HASH_SEED). */
export function stackHash(hash: number, frame: number): number {
  return Math.imul(hash ^ frame, 0x01000193);
}

export const STACK_HASH_SEED = 0x811c9dc5 | 0;

export class StackTable {
  readonly stacks: number[][] = [];
  readonly weights: number[] = [];
  readonly counts: number[] = [];
  private hashes: number[] = [];
  // Open addressing: stack index + 1, 0 = empty slot.
  private slots = new Int32Array(1 << 12);

  /**
   * The stack whose frames are path[0, depth) root → leaf and whose hash (stackHash folded over
   * them) is `hash`; `path` is copied only the first time the stack is seen.
   */
  internPath(path: readonly number[], depth: number, hash: number): number {
    let h = hash ^ (hash >>> 16);
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    const mask = this.slots.length - 1;
    let i = h & mask;
    for (;;) {
      const s = this.slots[i]! - 1;
      if (s < 0) break;
      if (this.hashes[s] === hash) {
        const stack = this.stacks[s]!;
        if (stack.length === depth) {
          let j = 0;
          while (j < depth && stack[j] === path[j]) j++;
          if (j === depth) return s;
        }
      }
      i = (i + 1) & mask;
    }
    const s = this.stacks.length;
    this.stacks.push(path.slice(0, depth));
    this.hashes.push(hash);
    this.weights.push(0);
    this.counts.push(0);
    if ((s + 1) * 2 > this.slots.length) this.rehash();
    else this.slots[i] = s + 1;
    return s;
  }

  /** Interns a root → leaf stack. */
  intern(stack: readonly number[]): number {
    let hash = STACK_HASH_SEED;
    for (let i = 0; i < stack.length; i++) hash = stackHash(hash, stack[i]!);
    return this.internPath(stack, stack.length, hash);
  }

  /** Adds a sample: identical stacks sum, as pprof and stackcollapse do. */
  addSample(stack: number, weight: number, count = 1): void {
    this.weights[stack]! += weight;
    this.counts[stack]! += count;
  }

  get size(): number {
    return this.stacks.length;
  }

  /**
   * The profile: one sample per unique stack that carries weight or calls. `counts` is left out
   * when every sample stands for exactly one (the model's "absent: each entry is one").
   */
  toProfile(
    name: string,
    unit: WeightUnit,
    measure: Measure,
    frames: readonly Frame[],
    labels?: Record<string, string>,
  ): Profile {
    const sampleStacks: number[] = [];
    const weights: number[] = [];
    const counts: number[] = [];
    let countsDiffer = false;
    for (let i = 0; i < this.stacks.length; i++) {
      const w = this.weights[i]!;
      const c = this.counts[i]!;
      if (w === 0 && c === 0) continue;
      sampleStacks.push(i);
      weights.push(w);
      counts.push(c);
      if (c !== 1) countsDiffer = true;
    }
    return {
      name,
      unit,
      measure,
      frames,
      stacks: this.stacks,
      sampleStacks,
      weights,
      counts: countsDiffer ? counts : undefined,
      labels,
    };
  }

  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let s = 0; s < this.hashes.length; s++) {
      const hash = this.hashes[s]!;
      let h = hash ^ (hash >>> 16);
      h = Math.imul(h, 0x85ebca6b);
      h ^= h >>> 13;
      let i = h & mask;
      while (this.slots[i] !== 0) i = (i + 1) & mask;
      this.slots[i] = s + 1;
    }
  }
}
