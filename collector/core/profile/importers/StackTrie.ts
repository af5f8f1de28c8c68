/**
 * Frames and stacks interned once, samples appended: what the pprof, Pyroscope and Chrome trace
 * importers build their profiles with. Stacks are deduplicated through a trie of (parent, frame)
 * edges, so a sample costs one hash probe per frame and no string keys.
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

export class StackTrie {
  readonly stacks: number[][] = [];
  readonly sampleStacks: number[] = [];
  readonly weights: number[] = [];
  readonly counts: number[] = [];
  /**
   * The trie's edges in an open-addressing hash table of int32s: (parent node, frame) → child.
   * A Map keyed by parent·2^k + frame was 10× slower: keys past 2^31 are heap numbers to hash.
   */
  private keyNode = new Int32Array(1024).fill(-1);
  private keyFrame = new Int32Array(1024);
  private child = new Int32Array(1024);
  private edges = 0;
  /** Per trie node (0 = empty stack): its index in `stacks`, or -1 until a sample ends there. */
  private readonly stackOfNode: number[] = [-1];

  /** The index of the stack (root → leaf frame indices), adding it when new. */
  stack(frames: readonly number[]): number {
    let node = 0;
    for (let i = 0; i < frames.length; i++) node = this.next(node, frames[i]!);
    let s = this.stackOfNode[node]!;
    if (s < 0) {
      s = this.stacks.length;
      this.stacks.push(frames.slice());
      this.stackOfNode[node] = s;
    }
    return s;
  }

  private next(node: number, frame: number): number {
    const mask = this.keyNode.length - 1;
    let h = (Math.imul(node, 0x9e3779b1) ^ Math.imul(frame, 0x85ebca6b)) & mask;
    const keyNode = this.keyNode;
    for (;;) {
      const k = keyNode[h]!;
      if (k === -1) break;
      if (k === node && this.keyFrame[h] === frame) return this.child[h]!;
      h = (h + 1) & mask;
    }
    const created = this.stackOfNode.length;
    this.stackOfNode.push(-1);
    keyNode[h] = node;
    this.keyFrame[h] = frame;
    this.child[h] = created;
    if (++this.edges * 2 > keyNode.length) this.grow();
    return created;
  }

  private grow(): void {
    const oldNode = this.keyNode;
    const oldFrame = this.keyFrame;
    const oldChild = this.child;
    const size = oldNode.length * 2;
    const mask = size - 1;
    this.keyNode = new Int32Array(size).fill(-1);
    this.keyFrame = new Int32Array(size);
    this.child = new Int32Array(size);
    for (let i = 0; i < oldNode.length; i++) {
      const node = oldNode[i]!;
      if (node === -1) continue;
      const frame = oldFrame[i]!;
      let h = (Math.imul(node, 0x9e3779b1) ^ Math.imul(frame, 0x85ebca6b)) & mask;
      while (this.keyNode[h] !== -1) h = (h + 1) & mask;
      this.keyNode[h] = node;
      this.keyFrame[h] = frame;
      this.child[h] = oldChild[i]!;
    }
  }

  add(stack: number, weight: number, count = 1): void {
    this.sampleStacks.push(stack);
    this.weights.push(weight);
    this.counts.push(count);
  }

  get sampleCount(): number {
    return this.weights.length;
  }

  /** The profile; `counts` is left out when every sample stands for one. */
  toProfile(
    name: string,
    unit: WeightUnit,
    measure: Measure,
    frames: readonly Frame[],
    labels?: Readonly<Record<string, string>>,
  ): Profile {
    const allOnes = this.counts.every((c) => c === 1);
    return {
      name,
      unit,
      measure,
      frames,
      stacks: this.stacks,
      sampleStacks: this.sampleStacks,
      weights: this.weights,
      counts: allOnes ? undefined : this.counts,
      labels,
    };
  }
}
