/**
 * speedscope's JSON (jlfwong/speedscope src/lib/file-format-spec.ts; what py-spy `--format
 * speedscope` and austin write): frames shared by every profile, then per profile either
 *   sampled: `samples` (frame indices root → leaf) with `weights`, or
 *   evented: `events` [{type: 'O' | 'C', at, frame}] — opens and closes, nested.
 * Units none | nanoseconds | microseconds | milliseconds | seconds | bytes; time is converted to
 * nanoseconds. Evented profiles become intervals: each stretch between two events is self time of
 * the stack open then, and each close is one call of its frame.
 */
import type { Frame, Measure, Profile, ProfileSet, WeightUnit } from '../model.js';
import { makeFrame } from './classifyFrame.js';
import { STACK_HASH_SEED, StackTable, stackHash } from './StackTable.js';
import { decodeText, Warnings } from './text.js';
import { type ImportInput, ProfileImportError } from './types.js';

const TIME_NS: Record<string, number> = {
  nanoseconds: 1,
  microseconds: 1e3,
  milliseconds: 1e6,
  seconds: 1e9,
};

interface SpeedscopeFrame {
  name?: unknown;
  file?: unknown;
  line?: unknown;
}

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function importSpeedscope(input: ImportInput): ProfileSet {
  const text = decodeText(input.bytes);
  const fail = (problem: string, line?: number): never => {
    throw new ProfileImportError(input.name, 'speedscope', { line }, problem);
  };
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const m = /position (\d+)/.exec(String(e));
    // V8 names a position for most errors; a truncated file ends "unexpected end": its last line.
    const at = m !== null ? Number(m[1]) : /end of JSON/i.test(String(e)) ? text.length : -1;
    let line: number | undefined;
    if (at >= 0) {
      line = 1;
      for (let i = text.indexOf('\n'); i >= 0 && i < at; i = text.indexOf('\n', i + 1)) line++;
    }
    return fail(`not valid JSON (${e instanceof Error ? e.message : String(e)})`, line);
  }
  if (!isObj(doc)) return fail('expected a JSON object with "shared" and "profiles"');
  const shared = doc.shared;
  if (!isObj(shared) || !Array.isArray(shared.frames)) {
    return fail('expected "shared": {"frames": [...]}');
  }
  if (!Array.isArray(doc.profiles) || doc.profiles.length === 0) {
    return fail('expected "profiles": [...] with at least one profile');
  }

  const frames: Frame[] = (shared.frames as unknown[]).map((raw, i) => {
    const f = raw as SpeedscopeFrame;
    if (!isObj(raw) || typeof f.name !== 'string') {
      return fail(`shared.frames[${i}] has no "name"`);
    }
    const file = typeof f.file === 'string' ? f.file : undefined;
    const line = typeof f.line === 'number' ? f.line : undefined;
    return makeFrame(f.name, file, line);
  });

  const warnings = new Warnings();
  const profiles: Profile[] = [];
  (doc.profiles as unknown[]).forEach((raw, p) => {
    if (!isObj(raw)) return fail(`profiles[${p}] is not an object`);
    const name = typeof raw.name === 'string' ? raw.name : `profile ${p + 1}`;
    const where = `profiles[${p}] (${JSON.stringify(name)})`;
    const unitName = typeof raw.unit === 'string' ? raw.unit : 'none';
    const scale = TIME_NS[unitName] ?? 1;
    if (unitName !== 'none' && unitName !== 'bytes' && TIME_NS[unitName] === undefined) {
      return fail(`${where}: unit ${JSON.stringify(unitName)} is not one the spec names`);
    }
    const unit: WeightUnit =
      unitName === 'bytes' ? 'bytes' : unitName === 'none' ? 'samples' : 'nanoseconds';
    const checkFrame = (f: unknown, what: string): number => {
      if (typeof f !== 'number' || !Number.isInteger(f) || f < 0 || f >= frames.length) {
        return fail(
          `${where}: ${what} names frame ${JSON.stringify(f)}, not one of the ${frames.length} shared frames`,
        );
      }
      return f;
    };
    const stacks = new StackTable();
    let measure: Measure;
    if (raw.type === 'sampled') {
      measure = unit === 'bytes' ? 'alloc' : 'cpu';
      const samples = raw.samples;
      const weights = raw.weights;
      if (!Array.isArray(samples)) return fail(`${where}: a sampled profile needs "samples"`);
      if (weights !== undefined && (!Array.isArray(weights) || weights.length !== samples.length)) {
        return fail(`${where}: "weights" must have one entry per sample (${samples.length})`);
      }
      const path: number[] = [];
      for (let i = 0; i < samples.length; i++) {
        const s = samples[i] as unknown;
        if (!Array.isArray(s)) return fail(`${where}: samples[${i}] is not an array of frames`);
        let hash = STACK_HASH_SEED;
        for (let d = 0; d < s.length; d++) {
          const f = checkFrame(s[d], `samples[${i}]`);
          path[d] = f;
          hash = stackHash(hash, f);
        }
        const w = weights === undefined ? 1 : (weights[i] as unknown);
        if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) {
          return fail(`${where}: weights[${i}] is ${JSON.stringify(w)}, not a weight`);
        }
        stacks.addSample(stacks.internPath(path, s.length, hash), w * scale, 1);
      }
    } else if (raw.type === 'evented') {
      measure = unit === 'bytes' ? 'alloc' : 'wall';
      if (!Array.isArray(raw.events)) return fail(`${where}: an evented profile needs "events"`);
      readEvents(raw.events as unknown[], stacks, scale, checkFrame, (msg) =>
        fail(`${where}: ${msg}`),
      );
    } else {
      return fail(`${where}: type ${JSON.stringify(raw.type)} is neither "sampled" nor "evented"`);
    }
    if (stacks.size === 0) warnings.add(`${where}: no samples`);
    profiles.push(stacks.toProfile(name, unit, measure, frames));
  });

  const first = doc.profiles[0] as Obj;
  const unit0 = typeof first.unit === 'string' ? TIME_NS[first.unit] : undefined;
  const span =
    typeof first.startValue === 'number' && typeof first.endValue === 'number'
      ? first.endValue - first.startValue
      : undefined;
  const exporter = typeof doc.exporter === 'string' ? doc.exporter : undefined;
  return {
    format: 'speedscope',
    name: typeof doc.name === 'string' && doc.name !== '' ? doc.name : input.name,
    profiles,
    meta: {
      source: exporter,
      durationNs: unit0 !== undefined && span !== undefined && span > 0 ? span * unit0 : undefined,
    },
    warnings: warnings.toArray(),
  };
}

/**
 * Opens and closes → self time per stack (the stretch until the next event) and one call per
 * close. Closes must match the innermost open frame and `at` must not go back: speedscope's own
 * importer throws on both ("out-of-order-events.json" in its samples), and so does this, naming
 * the event.
 */
function readEvents(
  events: readonly unknown[],
  stacks: StackTable,
  scale: number,
  checkFrame: (f: unknown, what: string) => number,
  fail: (message: string) => never,
): void {
  const open: number[] = [];
  const openedAt: number[] = [];
  const hashes: number[] = [STACK_HASH_SEED];
  let last = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < events.length; i++) {
    const e = events[i];
    if (!isObj(e)) fail(`events[${i}] is not an object`);
    const ev = e as Obj;
    const at = ev.at;
    if (typeof at !== 'number' || !Number.isFinite(at)) fail(`events[${i}] has no numeric "at"`);
    const t = at as number;
    if (t < last) fail(`events[${i}] at ${t} is before the previous event (${last})`);
    const frame = checkFrame(ev.frame, `events[${i}]`);
    if (open.length > 0 && t > last) {
      const depth = open.length;
      stacks.addSample(stacks.internPath(open, depth, hashes[depth]!), (t - last) * scale, 0);
    }
    last = t;
    if (ev.type === 'O') {
      open.push(frame);
      openedAt.push(i);
      hashes.push(stackHash(hashes[hashes.length - 1]!, frame));
    } else if (ev.type === 'C') {
      const top = open[open.length - 1];
      if (top === undefined) fail(`events[${i}] closes frame ${frame} but no frame is open`);
      if (top !== frame) {
        fail(
          `events[${i}] closes frame ${frame} but the innermost open frame is ${top} (opened by events[${openedAt[openedAt.length - 1]}])`,
        );
      }
      // One call of this frame: counted on its stack, without weight (its time is above).
      stacks.addSample(stacks.internPath(open, open.length, hashes[open.length]!), 0, 1);
      open.pop();
      openedAt.pop();
      hashes.pop();
    } else {
      fail(`events[${i}] has type ${JSON.stringify(ev.type)}, not "O" or "C"`);
    }
  }
  if (open.length > 0) {
    fail(
      `events[${openedAt[openedAt.length - 1]}] opens frame ${open[open.length - 1]} that is never closed (${open.length} frames still open at the end)`,
    );
  }
}
