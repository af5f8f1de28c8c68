// The bench:flame profile: folded stacks built from REAL stacks only. Frames and stack shapes come
// from the real captures in collector/core/profile/fixtures (perf script of python, node with JIT,
// bash/system-wide; py-spy raw): each generated stack is a real stack's prefix continued by slices
// of other real stacks (frames keep their real neighbours), until a depth drawn from a long-tailed
// distribution (mean ~18, max 120). Unique stacks until the target count; samples spread over them
// skewed as real profiles are (a few hot stacks, a long tail of 1s). Deterministic for a seed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** mulberry32: small, fast, deterministic. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** perf script text → stacks root → leaf, frames as stackcollapse-perf names them. */
function perfStacks(text) {
  const out = [];
  let comm;
  let frames = [];
  const flush = () => {
    if (comm !== undefined && frames.length > 0) out.push([comm, ...frames.reverse()]);
    comm = undefined;
    frames = [];
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (line.startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      flush();
      comm = line.trim().split(/\s+/)[0];
      continue;
    }
    const m = /^\s*[0-9a-f]+\s+(.*?)\s+\((.*)\)\s*$/.exec(line);
    if (!m) continue;
    let sym = m[1].replace(/\+0x[0-9a-f]+$/, '');
    const dso = m[2];
    if (sym === '[unknown]') {
      const base = dso.split('/').pop();
      sym = base.startsWith('[') ? base : `[${base}]`;
    }
    if (dso === '[kernel.kallsyms]') sym += '_[k]';
    frames.push(sym);
  }
  flush();
  return out;
}

function foldedStacks(text) {
  const out = [];
  for (const line of text.split('\n')) {
    const sp = line.lastIndexOf(' ');
    if (sp <= 0 || !/^\d+$/.test(line.slice(sp + 1).trim())) continue;
    out.push(line.slice(0, sp).split(';').filter(Boolean));
  }
  return out;
}

/**
 * The real captures the stacks come from, named (not globbed: a crafted or new fixture must not
 * change the bench's data): perf script of python3, node with JIT frames, bash, forks, a Rust
 * binary and a whole system (fixtures/SOURCES.md), and py-spy's raw output with and without
 * native frames and threads.
 */
export const REAL_CAPTURES = [
  'perf-script/forks.linux-perf.txt',
  'perf-script/one-sample.linux-perf.txt',
  'perf-script/perf-node-jit.txt',
  'perf-script/perf-python-pid.txt',
  'perf-script/rust-mangled.linux-perf.txt',
  'perf-script/simple-with-header.linux-perf.txt',
  'perf-script/simple-with-pid.linux-perf.txt',
  'perf-script/system-wide.linux-perf.txt',
  'folded/py-spy-native.txt',
  'folded/py-spy-threads.txt',
  'folded/py-spy.txt',
];

/** Every real stack of REAL_CAPTURES (de-duplicated), and where they came from. */
export function realStacks(fixturesDir) {
  const seen = new Set();
  const stacks = [];
  const sources = [];
  for (const rel of REAL_CAPTURES) {
    const parse = rel.startsWith('perf-script/') ? perfStacks : foldedStacks;
    let added = 0;
    for (const s of parse(readFileSync(join(fixturesDir, rel), 'utf8'))) {
      const key = s.join(';');
      if (seen.has(key)) continue;
      seen.add(key);
      stacks.push(s);
      added++;
    }
    if (added > 0) sources.push(`${rel} (${added} stacks)`);
  }
  return { stacks, sources };
}

export function generateFolded({ fixturesDir, samples, uniqueStacks, maxDepth, seed }) {
  const { stacks: real, sources } = realStacks(fixturesDir);
  const random = rng(seed);
  const pick = (arr) => arr[Math.floor(random() * arr.length)];
  const frames = new Set();
  for (const s of real) for (const f of s) frames.add(f);
  const out = [];
  const keys = new Set();
  let attempts = 0;
  let deepest = 0;
  while (out.length < uniqueStacks) {
    if (++attempts > uniqueStacks * 50)
      throw new Error('bench:flame: cannot make enough unique stacks');
    // Long-tailed depth: mean ~18 (py-spy of a Python server), a few dozen at the cap.
    const depth = Math.min(maxDepth, 3 + Math.floor(-Math.log(1 - random()) * 15));
    const base = pick(real);
    const stack = base.slice(0, Math.min(depth, 1 + Math.floor(random() * base.length)));
    while (stack.length < depth) {
      const next = pick(real);
      if (next.length < 2) continue;
      const from = 1 + Math.floor(random() * (next.length - 1));
      const to = from + 1 + Math.floor(random() * (next.length - from));
      for (let i = from; i < to && stack.length < depth; i++) stack.push(next[i]);
    }
    const key = stack.join(';');
    if (keys.has(key)) continue;
    keys.add(key);
    out.push(key);
    deepest = Math.max(deepest, stack.length);
  }
  // One sample each, the rest skewed (u^4: the first stacks get most, as hot paths do).
  const counts = new Float64Array(out.length).fill(1);
  for (let i = out.length; i < samples; i++) counts[Math.floor(random() ** 4 * out.length)] += 1;
  let text = '';
  const lines = [];
  for (let i = 0; i < out.length; i++) lines.push(`${out[i]} ${counts[i]}\n`);
  text = lines.join('');
  return {
    text,
    stats: {
      realStacks: real.length,
      realFrames: frames.size,
      sources,
      uniqueStacks: out.length,
      samples,
      deepest,
    },
  };
}
