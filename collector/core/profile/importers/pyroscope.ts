/**
 * Pyroscope flamebearer JSON: the legacy render API's
 * `{flamebearer:{names,levels,numTicks,maxSelf}, metadata:{format,units,spyName,sampleRate}}` and
 * the Connect API's `{flamegraph:{names, levels:[{values}], total, maxSelf}}` (int64 as strings).
 *
 * Levels are the tree flattened by depth; each node is a run of integers (grafana/pyroscope
 * pkg/model/flamegraph.go, og/ flamegraph deltaDiffWrapper):
 *   single: [x offset, total, self, name index]                              (4 per node)
 *   double: [left offset, left total, left self, right offset, right total, right self, name] (7)
 * Offsets are delta-encoded: a node's x is its offset plus the end (x + total) of the node
 * before it on its level; in a diff, left and right each on their own axis. A node's parent is
 * the node one level up whose [x, x + total) holds its x. Level 0 is the root ("total").
 *
 * Each node's SELF becomes one sample whose stack is its path from the root — what Pyroscope's
 * own FlameGraphMerger does — so every total equals the file's (numTicks; left/rightTicks).
 * A diff becomes two profiles, "before (left)" and "after (right)", for the console's diff.
 */
import type { Measure, ProfileMeta, ProfileSet, WeightUnit } from '../model.js';
import { classifyFrame } from './classifyFrame.js';
import { FrameTable, StackTable } from './StackTable.js';
import { jsonErrorLine, jsonText } from './jsonText.js';
import { type ImportInput, ProfileImportError } from './types.js';

export function looksLikePyroscope(text: string): boolean {
  const head = text.slice(0, 4096);
  return /^\s*\{/.test(head) && /"(?:flamebearer|flamegraph)"\s*:\s*\{/.test(head);
}

interface Metadata {
  readonly format?: unknown;
  readonly units?: unknown;
  readonly spyName?: unknown;
  readonly sampleRate?: unknown;
  readonly name?: unknown;
}

/** Pyroscope's units (pkg/og/storage/metadata Units) → the model's unit and measure. */
function unitsOf(
  units: string,
  sampleRate: number | undefined,
): { unit: WeightUnit; measure: Measure } {
  switch (units) {
    case 'samples':
      // v1 exports CPU in nanoseconds as "samples" at a sample rate of 1e9 (ExportToFlamebearer).
      return sampleRate === 1e9
        ? { unit: 'nanoseconds', measure: 'cpu' }
        : { unit: 'samples', measure: 'cpu' };
    case 'objects':
      return { unit: 'count', measure: 'alloc' };
    case 'bytes':
      return { unit: 'bytes', measure: 'alloc' };
    case 'lock_nanoseconds':
      return { unit: 'nanoseconds', measure: 'other' };
    case 'trace_samples':
      return { unit: 'samples', measure: 'wall' };
    default:
      // goroutines, lock_samples, exceptions, or none (the Connect API sends no units).
      return { unit: units === '' ? 'samples' : 'count', measure: 'other' };
  }
}

function toInt(v: unknown): number {
  return typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
}

export function importPyroscope(input: ImportInput): ProfileSet {
  const text = jsonText(input.bytes);
  let doc: Record<string, unknown>;
  try {
    doc = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    throw new ProfileImportError(
      input.name,
      'pyroscope',
      { line: jsonErrorLine(text, e) },
      `invalid JSON: ${why}`,
    );
  }
  const fail = (problem: string): never => {
    throw new ProfileImportError(input.name, 'pyroscope', {}, problem);
  };
  if (doc === null || typeof doc !== 'object') fail('expected a JSON object');
  const legacy = doc.flamebearer as Record<string, unknown> | undefined;
  const connect = doc.flamegraph as Record<string, unknown> | undefined;
  const fb = legacy ?? connect;
  if (fb === undefined || fb === null || typeof fb !== 'object') {
    return fail('expected a "flamebearer" or "flamegraph" object');
  }
  const where = legacy !== undefined ? 'flamebearer' : 'flamegraph';
  const meta = (doc.metadata ?? {}) as Metadata;
  const names = fb.names;
  if (!Array.isArray(names)) return fail(`${where}.names is not an array`);
  if (!Array.isArray(fb.levels)) return fail(`${where}.levels is not an array`);

  const levels: Float64Array[] = (fb.levels as unknown[]).map((l, i) => {
    const raw = Array.isArray(l) ? l : (l as { values?: unknown } | null)?.values;
    if (!Array.isArray(raw)) return fail(`${where}.levels[${i}] is not an array of integers`);
    const out = new Float64Array(raw.length);
    for (let k = 0; k < raw.length; k++) {
      const v = toInt(raw[k]);
      if (!Number.isSafeInteger(v)) {
        return fail(`${where}.levels[${i}][${k}] is ${JSON.stringify(raw[k])}, not an integer`);
      }
      out[k] = v;
    }
    return out;
  });

  const declared = str(meta.format) || str(fb.format);
  const double =
    declared === 'double' ||
    (declared === '' && (fb.leftTicks !== undefined || fb.rightTicks !== undefined));
  const step = double ? 7 : 4;
  levels.forEach((l, i) => {
    if (l.length % step !== 0) {
      fail(
        `${where}.levels[${i}] has ${l.length} values, not a multiple of ${step} (format "${double ? 'double' : 'single'}")`,
      );
    }
  });

  const sampleRate = toInt(meta.sampleRate ?? fb.sampleRate);
  const units = str(meta.units ?? fb.units);
  const { unit, measure } = unitsOf(units, Number.isFinite(sampleRate) ? sampleRate : undefined);
  const frames = new FrameTable();
  // Frame per name index: -1 until first seen (a typed array, read once per node).
  const frameOfName = new Int32Array(names.length).fill(-1);
  const frameOf = (nameIndex: number, level: number, node: number): number => {
    let f = frameOfName[nameIndex] ?? -1;
    if (f < 0) {
      const name = names[nameIndex];
      if (typeof name !== 'string') {
        return fail(
          `${where}.levels[${level}] node ${node} names index ${nameIndex}, outside names (${names.length})`,
        );
      }
      const cls = classifyFrame(name);
      f = frames.intern({ name, kind: cls.kind, module: cls.module });
      frameOfName[nameIndex] = f;
    }
    return f;
  };

  const sides = double ? [0, 3] : [0];
  const tables = sides.map(() => new StackTable());
  // Per node of each level: its parent's index one level up and its frame; a node's path is
  // walked up these only when it has self weight (a capped response holds ~8k nodes, a full
  // tree 400k+, most with no self: no path array per node).
  const parents: Int32Array[] = [];
  const nodeFrames: Int32Array[] = [];
  const path: number[] = [];
  let prevX = new Float64Array(0);
  let prevW = new Float64Array(0);
  levels.forEach((level, li) => {
    const count = level.length / step;
    const xs = new Float64Array(count);
    const ws = new Float64Array(count);
    const up = new Int32Array(count);
    const fr = new Int32Array(count);
    parents.push(up);
    nodeFrames.push(fr);
    const ends = sides.map(() => 0);
    let parent = 0;
    for (let n = 0; n < count; n++) {
      const o = n * step;
      // Combined axis: left x + right x, width left total + right total (nests like either).
      let x = 0;
      let w = 0;
      for (let s = 0; s < sides.length; s++) {
        const side = sides[s]!;
        const sx = ends[s]! + level[o + side]!;
        ends[s] = sx + level[o + side + 1]!;
        x += sx;
        w += level[o + side + 1]!;
      }
      xs[n] = x;
      ws[n] = w;
      if (li === 0) {
        // The root ("total") is the profile itself, not a frame.
        up[n] = -1;
        fr[n] = -1;
      } else {
        while (parent < prevX.length - 1 && prevX[parent]! + prevW[parent]! <= x) parent++;
        const px = prevX[parent];
        // A node of width 0 holds nothing (no self, no children): any parent will do.
        if (px === undefined || (w > 0 && (x < px || x + w > px + prevW[parent]!))) {
          return fail(
            `${where}.levels[${li}] node ${n} at x=${x} lies under no node of level ${li - 1}`,
          );
        }
        up[n] = parent;
        fr[n] = frameOf(level[o + step - 1]!, li, n);
      }
      let pathReady = false;
      for (let s = 0; s < sides.length; s++) {
        const self = level[o + sides[s]! + 2]!;
        if (self === 0) continue;
        if (!pathReady) {
          path.length = li;
          for (let l = li, k = n; l > 0; l--) {
            path[l - 1] = nodeFrames[l]![k]!;
            k = parents[l]![k]!;
          }
          pathReady = true;
        }
        const t = tables[s]!;
        t.addSample(t.intern(path), self, unit === 'samples' ? self : 1);
      }
    }
    prevX = xs;
    prevW = ws;
  });

  const spy = str(meta.spyName ?? fb.spyName);
  const timeline = doc.timeline as
    { startTime?: unknown; samples?: unknown; durationDelta?: unknown } | undefined;
  const start = toInt(timeline?.startTime);
  const delta = toInt(timeline?.durationDelta);
  const points = Array.isArray(timeline?.samples) ? timeline.samples.length : 0;
  const profileMeta: ProfileMeta = {
    source: spy ? `pyroscope (${spy})` : 'pyroscope',
    rateHz: unit === 'samples' && sampleRate > 0 ? sampleRate : undefined,
    startMs: start > 0 ? start * 1000 : undefined,
    durationNs: delta > 0 && points > 0 ? delta * points * 1e9 : undefined,
  };
  const title = str(meta.name) || input.name;
  const profiles = double
    ? [
        tables[0]!.toProfile('before (left)', unit, measure, frames.frames),
        tables[1]!.toProfile('after (right)', unit, measure, frames.frames),
      ]
    : [tables[0]!.toProfile(title, unit, measure, frames.frames)];
  return { format: 'pyroscope', name: input.name, profiles, meta: profileMeta, warnings: [] };
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}
