/** Profiles for the core's tests, from folded-like lines: "a;b;c 5". */
import type { Frame, Profile } from './model.js';

export function profileOf(lines: readonly string[], name = 'test'): Profile {
  const frames: Frame[] = [];
  const index = new Map<string, number>();
  const stacks: number[][] = [];
  const weights: number[] = [];
  for (const line of lines) {
    const cut = line.lastIndexOf(' ');
    const names = line.slice(0, cut) === '' ? [] : line.slice(0, cut).split(';');
    stacks.push(
      names.map((n) => {
        let i = index.get(n);
        if (i === undefined) {
          i = frames.length;
          frames.push({ name: n, kind: 'other' });
          index.set(n, i);
        }
        return i;
      }),
    );
    weights.push(Number(line.slice(cut + 1)));
  }
  return {
    name,
    unit: 'samples',
    measure: 'cpu',
    frames,
    stacks,
    sampleStacks: stacks.map((_, i) => i),
    weights,
  };
}
