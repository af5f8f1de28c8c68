/**
 * Folded ("collapsed") stacks, Brendan Gregg's stackcollapse format and what py-spy
 * `--format raw` writes: one line per stack, frames root → leaf joined by `;`, a space, a count.
 *
 *   swapper;start_kernel;rest_init;cpu_idle;default_idle 1
 *   <module> (serve.py:12);run (vllm/engine.py:88);step (vllm/engine.py:140) 7
 *
 * The count is after the LAST space (frame names hold spaces: `name (file:line)`). Identical
 * stacks are summed. perf's `_[k]` suffix marks kernel frames (stackcollapse-perf --kernel),
 * `_[j]` JIT ones.
 *
 * Speed: the bench file (200k unique stacks, depth ≤ 120, 1M samples) must import in ~300 ms, so
 * the loop uses indexOf rather than split or regex, interns frames by their raw text (a frame
 * seen before is one Map lookup), and reuses the frames of the previous new stack up to the
 * common prefix (tools write stacks sorted or grouped, so most of a stack is its neighbour's).
 */
import type { Frame, ProfileSet } from '../model.js';
import { makeFrame } from './classifyFrame.js';
import { FrameTable, STACK_HASH_SEED, StackTable, stackHash } from './StackTable.js';
import { decodeText, quoteLine, Warnings } from './text.js';
import { type ImportInput, ProfileImportError } from './types.js';

const SPACE = 32;
const CR = 13;
const ZERO = 48;
const NINE = 57;
const DOT = 46;
const HASH = 35;

/** Parses one frame of a folded line: annotations, py-spy's `name (file:line)`, `name (file)`. */
export function parseFoldedFrame(token: string): Frame {
  let name = token;
  let forced: 'kernel' | 'jit' | undefined;
  if (name.endsWith(']') && name.length > 3) {
    const tag = name.charAt(name.length - 2);
    const before = name.charAt(name.length - 3);
    if (before === '[' && (tag === 'k' || tag === 'j' || tag === 'i' || tag === 'w')) {
      let cut = name.length - 3;
      if (name.charAt(cut - 1) === '_') cut--;
      if (cut > 0) {
        name = name.slice(0, cut);
        if (tag === 'k') forced = 'kernel';
        else if (tag === 'j') forced = 'jit';
      }
    }
  }
  if (forced === 'kernel') return { name, kind: 'kernel', module: 'kernel' };
  if (forced === 'jit') return { name, kind: 'jit', module: 'JIT' };
  if (name.endsWith(')')) {
    const open = name.lastIndexOf(' (');
    if (open > 0) {
      const inside = name.slice(open + 2, -1);
      const colon = inside.lastIndexOf(':');
      if (colon > 0 && colon < inside.length - 1 && isDigits(inside, colon + 1)) {
        return makeFrame(
          name.slice(0, open),
          inside.slice(0, colon),
          Number(inside.slice(colon + 1)),
        );
      }
      if (inside.includes('.') || inside.includes('/') || inside.startsWith('<')) {
        return makeFrame(name.slice(0, open), inside);
      }
    }
  }
  return makeFrame(name);
}

function isDigits(s: string, from: number): boolean {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < ZERO || c > NINE) return false;
  }
  return true;
}

/** The count after the last space, or -1 when it is not a non-negative decimal number. */
function parseCount(text: string, from: number, end: number): number {
  if (from >= end) return -1;
  let n = 0;
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= ZERO && c <= NINE) n = n * 10 + (c - ZERO);
    else if (c === DOT) {
      const v = Number(text.slice(from, end));
      return Number.isFinite(v) && v >= 0 ? v : -1;
    } else return -1;
  }
  return n;
}

/**
 * Frames interned by their raw text without slicing it: a token is hashed from its length and a
 * few of its characters, and a candidate is confirmed by comparing the token's slice with it, so only a new frame is parsed. A Map keyed by each token's slice cost ~150 ns a
 * token (hashing every character) on the bench's 4M tokens; this ~50 ns.
 */
class TokenFrames {
  readonly table = new FrameTable();
  private readonly raw: string[] = [];
  private slots = new Int32Array(1 << 10).fill(-1);

  frameAt(text: string, from: number, to: number): number {
    const len = to - from;
    let h = len;
    h = Math.imul(h ^ text.charCodeAt(from), 0x01000193);
    h = Math.imul(h ^ text.charCodeAt(to - 1), 0x01000193);
    if (len > 2) {
      h = Math.imul(h ^ text.charCodeAt(from + 1), 0x01000193);
      h = Math.imul(h ^ text.charCodeAt(to - 2), 0x01000193);
      h = Math.imul(h ^ text.charCodeAt(to - 3), 0x01000193);
      // Up to 8 more characters spread over the token (names differ in the middle too).
      const step = len > 16 ? len >> 3 : 1;
      for (let i = from + 2; i < to - 3; i += step)
        h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    }
    h ^= h >>> 15;
    let mask = this.slots.length - 1;
    let i = h & mask;
    let token: string | undefined;
    for (;;) {
      const f = this.slots[i]!;
      if (f < 0) break;
      const r = this.raw[f]!;
      if (r.length === len) {
        // A slice compared with === (memcmp) beat startsWith(r, from) and a charCodeAt loop 2×.
        token ??= text.slice(from, to);
        if (token === r) return f;
      }
      i = (i + 1) & mask;
    }
    token ??= text.slice(from, to);
    const f = this.table.add(token, parseFoldedFrame(token));
    this.raw.push(token);
    this.hashes.push(h);
    if (this.raw.length * 2 > this.slots.length) {
      this.slots = new Int32Array(this.slots.length * 2).fill(-1);
      mask = this.slots.length - 1;
      for (let j = 0; j < this.hashes.length; j++) {
        let k = this.hashes[j]! & mask;
        while (this.slots[k]! >= 0) k = (k + 1) & mask;
        this.slots[k] = j;
      }
    } else {
      this.slots[i] = f;
    }
    return f;
  }

  private readonly hashes: number[] = [];
}

export function importFolded(input: ImportInput): ProfileSet {
  const text = decodeText(input.bytes);
  const frames = new TokenFrames();
  const stacks = new StackTable();
  const warnings = new Warnings();
  let firstBad: { line: number; text: string; why: string } | undefined;
  let valid = 0;
  let path: number[] = new Array<number>(128).fill(0);

  const len = text.length;
  let pos = 0;
  let lineNo = 0;
  while (pos < len) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = len;
    lineNo++;
    let end = nl;
    if (end > pos && text.charCodeAt(end - 1) === CR) end--;
    const start = pos;
    pos = nl + 1;
    while (end > start && text.charCodeAt(end - 1) === SPACE) end--;
    if (end === start) continue;
    if (text.charCodeAt(start) === HASH) continue; // comments (austin-style metadata, notes)

    const sp = text.lastIndexOf(' ', end - 1);
    const count = sp >= start ? parseCount(text, sp + 1, end) : -1;
    if (count < 0) {
      const why =
        sp < start
          ? 'no count after the stack'
          : `count ${quoteLine(text.slice(sp + 1, end))} is not a number`;
      const line = text.slice(start, end);
      firstBad ??= { line: lineNo, text: line, why };
      warnings.add(`line ${lineNo}: ${why}: ${quoteLine(line)}`);
      continue;
    }
    let stackEnd = sp;
    while (stackEnd > start && text.charCodeAt(stackEnd - 1) === SPACE) stackEnd--;
    if (stackEnd === start) {
      const line = text.slice(start, end);
      firstBad ??= { line: lineNo, text: line, why: 'no frames before the count' };
      warnings.add(`line ${lineNo}: no frames before the count: ${quoteLine(line)}`);
      continue;
    }
    if (count === 0) {
      valid++;
      continue;
    }

    let hash = STACK_HASH_SEED;
    let depth = 0;
    let from = start;
    while (from <= stackEnd) {
      let semi = text.indexOf(';', from);
      if (semi < 0 || semi > stackEnd) semi = stackEnd;
      if (semi > from) {
        const f = frames.frameAt(text, from, semi);
        if (depth === path.length) path = path.concat(path);
        path[depth++] = f;
        hash = stackHash(hash, f);
      }
      from = semi + 1;
    }
    if (depth === 0) {
      const line = text.slice(start, end);
      firstBad ??= { line: lineNo, text: line, why: 'no frames before the count' };
      warnings.add(`line ${lineNo}: no frames before the count: ${quoteLine(line)}`);
      continue;
    }
    valid++;
    stacks.addSample(stacks.internPath(path, depth, hash), count, count);
  }

  if (valid === 0) {
    if (firstBad === undefined) {
      throw new ProfileImportError(input.name, 'folded', { line: 1 }, 'the file holds no stacks');
    }
    throw new ProfileImportError(
      input.name,
      'folded',
      { line: firstBad.line },
      `${firstBad.why}; expected "frame;frame;… count": ${quoteLine(firstBad.text)}`,
    );
  }
  const profile = stacks.toProfile(input.name, 'samples', 'cpu', frames.table.frames);
  return {
    format: 'folded',
    name: input.name,
    profiles: [profile],
    meta: {},
    warnings: warnings.toArray(),
  };
}
