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
 * Speed: the bench file (200k unique stacks, depth ≤ 120, 1M samples, 100 MB) must import in
 * ~300 ms. The file is read as UTF-8 bytes, never decoded whole (TextDecoder alone took 50–250 ms
 * of it): `;` and newlines are found four bytes at a time, a frame seen before is recognised by
 * a hash of a few words of it and a word-by-word compare, and only new frames (291 in the bench)
 * are decoded and parsed. Stacks are interned by a hash of their frame indices (StackTable).
 */
import type { Frame, ProfileSet } from '../model.js';
import { makeFrame } from './classifyFrame.js';
import { FrameTable, STACK_HASH_SEED, StackTable, stackHash } from './StackTable.js';
import { byteOrderMark, decodeText, quoteLine, Warnings } from './text.js';
import { type ImportInput, ProfileImportError } from './types.js';

const SPACE = 32;
const SEMI = 59;
const NEWLINE = 10;
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

/** The file as UTF-8 bytes: as it is, without a UTF-8 BOM, or UTF-16 re-encoded (rare). */
function utf8Bytes(bytes: Uint8Array): Uint8Array {
  const bom = byteOrderMark(bytes);
  if (bom.encoding === 'utf-8') return bytes.subarray(bom.length);
  return new TextEncoder().encode(decodeText(bytes));
}

const HASH_MUL = 0x01000193;

/**
 * Frames interned by their raw bytes, never decoding or slicing a frame seen before: a token is
 * hashed from its length and five 32-bit words (start, quarter, middle, three quarters, end) and
 * a candidate is confirmed by comparing all its bytes a word at a time. Only a new frame is
 * decoded and parsed. On the bench's 4M tokens this is ~20 ns a token; a Map keyed by each
 * token's string was ~150 ns (hashing every character, and the slices to collect).
 */
class ByteFrames {
  readonly table = new FrameTable();
  private readonly raw: Uint8Array[] = [];
  private readonly words: Int32Array[] = [];
  private readonly hashes: number[] = [];
  private slots = new Int32Array(1 << 10).fill(-1);
  private readonly decoder = new TextDecoder('utf-8');

  constructor(
    private readonly bytes: Uint8Array,
    private readonly view: DataView,
  ) {}

  frameAt(from: number, to: number): number {
    const bytes = this.bytes;
    const view = this.view;
    const len = to - from;
    let h = Math.imul(len, 0x9e3779b1);
    if (len >= 4) {
      const span = len - 4;
      h = Math.imul(h ^ view.getInt32(from, true), HASH_MUL);
      h = Math.imul(h ^ view.getInt32(from + (span >> 2), true), HASH_MUL);
      h = Math.imul(h ^ view.getInt32(from + (span >> 1), true), HASH_MUL);
      h = Math.imul(h ^ view.getInt32(from + span - (span >> 2), true), HASH_MUL);
      h = Math.imul(h ^ view.getInt32(to - 4, true), HASH_MUL);
    } else {
      for (let i = from; i < to; i++) h = Math.imul(h ^ bytes[i]!, HASH_MUL);
    }
    h ^= h >>> 15;
    let mask = this.slots.length - 1;
    let i = h & mask;
    for (;;) {
      const f = this.slots[i]!;
      if (f < 0) break;
      if (this.hashes[f] === h && this.raw[f]!.length === len && this.same(f, from, len)) return f;
      i = (i + 1) & mask;
    }
    const raw = bytes.slice(from, to);
    const words = new Int32Array(len >> 2);
    const rv = new DataView(raw.buffer);
    for (let q = 0; q < words.length; q++) words[q] = rv.getInt32(q * 4, true);
    const token = this.decoder.decode(raw);
    const f = this.table.add(token, parseFoldedFrame(token));
    this.raw.push(raw);
    this.words.push(words);
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

  /** Whether bytes [from, from + len) are frame f's, compared a word at a time. */
  private same(f: number, from: number, len: number): boolean {
    const words = this.words[f]!;
    const view = this.view;
    for (let q = 0; q < words.length; q++) {
      if (view.getInt32(from + q * 4, true) !== words[q]) return false;
    }
    const raw = this.raw[f]!;
    for (let k = words.length * 4; k < len; k++) if (this.bytes[from + k] !== raw[k]) return false;
    return true;
  }
}

/** The count after the last space, or -1 when it is not a non-negative decimal number. */
function parseCountBytes(bytes: Uint8Array, from: number, end: number): number {
  if (from >= end) return -1;
  let n = 0;
  for (let i = from; i < end; i++) {
    const c = bytes[i]!;
    if (c >= ZERO && c <= NINE) n = n * 10 + (c - ZERO);
    else if (c === DOT) {
      const v = Number(new TextDecoder().decode(bytes.subarray(from, end)));
      return Number.isFinite(v) && v >= 0 ? v : -1;
    } else return -1;
  }
  return n;
}

/**
 * The first `;` or newline at or after `from` (or `end`): four bytes at a time (SWAR: a word has
 * a byte equal to c when (x − 0x01010101) & ~x & 0x80808080 ≠ 0 for x = word ^ c·0x01010101).
 * Uint8Array.indexOf costs ~175 ns a call in Node 20, ~0.7 s over the bench's 4M tokens.
 */
function findStop(bytes: Uint8Array, view: DataView, from: number, end: number): number {
  let i = from;
  while (i + 4 <= end) {
    const w = view.getInt32(i, true);
    const a = w ^ 0x3b3b3b3b;
    const b = w ^ 0x0a0a0a0a;
    if ((((a - 0x01010101) & ~a) | ((b - 0x01010101) & ~b)) & 0x80808080) break;
    i += 4;
  }
  while (i < end) {
    const c = bytes[i]!;
    if (c === SEMI || c === NEWLINE) return i;
    i++;
  }
  return end;
}

export function importFolded(input: ImportInput): ProfileSet {
  const bytes = utf8Bytes(input.bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frames = new ByteFrames(bytes, view);
  const stacks = new StackTable();
  const warnings = new Warnings();
  const decoder = new TextDecoder('utf-8');
  let firstBad: { line: number; text: string; why: string } | undefined;
  let valid = 0;
  let path: number[] = new Array<number>(128).fill(0);

  const bad = (lineNo: number, start: number, end: number, why: string): void => {
    const line = decoder.decode(bytes.subarray(start, end));
    firstBad ??= { line: lineNo, text: line, why };
    warnings.add(`line ${lineNo}: ${why}: ${quoteLine(line)}`);
  };

  const len = bytes.length;
  let pos = 0;
  let lineNo = 0;
  while (pos < len) {
    lineNo++;
    const start = pos;
    if (bytes[start] === HASH) {
      // Comments (austin-style metadata, notes).
      const nl = bytes.indexOf(NEWLINE, start);
      pos = nl < 0 ? len : nl + 1;
      continue;
    }
    // Frames up to each `;`; the line's last segment holds the leaf frame and the count.
    let hash = STACK_HASH_SEED;
    let depth = 0;
    let from = start;
    let stop = findStop(bytes, view, from, len);
    while (stop < len && bytes[stop] === SEMI) {
      if (stop > from) {
        const f = frames.frameAt(from, stop);
        if (depth === path.length) path = path.concat(path);
        path[depth++] = f;
        hash = stackHash(hash, f);
      }
      from = stop + 1;
      stop = findStop(bytes, view, from, len);
    }
    pos = stop + 1;
    let end = stop;
    while (end > from && (bytes[end - 1] === SPACE || bytes[end - 1] === CR)) end--;
    if (end === start) continue; // blank line
    let sp = end - 1;
    while (sp >= from && bytes[sp] !== SPACE) sp--;
    const count = sp >= from ? parseCountBytes(bytes, sp + 1, end) : -1;
    if (count < 0) {
      bad(
        lineNo,
        start,
        end,
        sp < from
          ? 'no count after the stack'
          : `count ${quoteLine(decoder.decode(bytes.subarray(sp + 1, end)))} is not a number`,
      );
      continue;
    }
    let leafEnd = sp;
    while (leafEnd > from && bytes[leafEnd - 1] === SPACE) leafEnd--;
    if (leafEnd > from) {
      const f = frames.frameAt(from, leafEnd);
      if (depth === path.length) path = path.concat(path);
      path[depth++] = f;
      hash = stackHash(hash, f);
    }
    if (depth === 0) {
      bad(lineNo, start, end, 'no frames before the count');
      continue;
    }
    valid++;
    if (count > 0) stacks.addSample(stacks.internPath(path, depth, hash), count, count);
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
