/**
 * Folded ("collapsed") stacks, as Brendan Gregg's stackcollapse scripts and py-spy's `--format raw`
 * write them: one line per unique stack, frames root → leaf joined by `;`, a space, the weight.
 * A frame that knows its file is written py-spy style, `name (file:line)` or `name (file)`, so the
 * folded importer reads the same frame back. Lines are sorted (stackcollapse sorts too), so the
 * same profile always gives the same bytes.
 */
import type { CallTree } from '../callTree.js';
import type { Frame, Profile, ProfileSet } from '../model.js';

/**
 * `;` separates frames and a newline ends a line: in a name either would split it. They become
 * U+FF1B (fullwidth semicolon, reads as `;`) and a space, so the output re-imports to the same
 * stacks and totals (a C++ operator or a Rust closure name can hold `;`).
 */
export function foldedFrameName(frame: Frame): string {
  const name = clean(frame.name) || UNNAMED;
  if (frame.file === undefined || frame.file === '') {
    // stackcollapse-perf's annotations (--kernel, --jit), which the folded importer reads back.
    if (frame.kind === 'kernel') return `${name}_[k]`;
    if (frame.kind === 'jit') return `${name}_[j]`;
    return name;
  }
  const file = clean(frame.file);
  return frame.line !== undefined && frame.line > 0
    ? `${name} (${file}:${frame.line})`
    : `${name} (${file})`;
}

/**
 * Samples with no frame at all (an empty stack: perf's lost samples, an idle thread) have no line
 * of their own in folded text; they get this one frame so the file's total stays the profile's.
 */
export const NO_FRAMES = '(no frames)';
/** An empty name would be an empty frame between two `;`, which readers skip. */
export const UNNAMED = '(unnamed)';

function clean(text: string): string {
  return text.replace(/;/g, '\uff1b').replace(/[\r\n]+/g, ' ');
}

/**
 * A weight as the line's count: integers as integers, others in JS's shortest exact form, never
 * in exponent notation (readers take digits and one dot).
 */
function formatWeight(w: number): string {
  if (Number.isInteger(w)) return w.toFixed(0);
  const text = String(w);
  return text.includes('e') ? w.toFixed(12).replace(/0+$/, '') : text;
}

/** A line starting with `#` is a comment to folded readers (austin's metadata): not a stack. */
function lineStart(text: string): string {
  return text.startsWith('#') ? `\uff03${text.slice(1)}` : text;
}

function isCallTree(x: Profile | CallTree): x is CallTree {
  return (x as CallTree).firstChild !== undefined;
}

/** Stack text → summed weight (identical stacks summed, as stackcollapse does). */
function stackWeights(source: Profile | CallTree, prefix: string, into: Map<string, number>): void {
  if (isCallTree(source)) {
    treeWeights(source, prefix, into);
    return;
  }
  const names = source.frames.map(foldedFrameName);
  const perStack = new Float64Array(source.stacks.length);
  const { sampleStacks, weights } = source;
  for (let i = 0; i < sampleStacks.length; i++) perStack[sampleStacks[i]!]! += weights[i]!;
  for (let s = 0; s < source.stacks.length; s++) {
    const w = perStack[s]!;
    if (w === 0) continue;
    const stack = source.stacks[s]!;
    if (stack.length === 0) {
      into.set(prefix + NO_FRAMES, (into.get(prefix + NO_FRAMES) ?? 0) + w);
      continue;
    }
    let text = prefix;
    for (let d = 0; d < stack.length; d++) text += (d === 0 ? '' : ';') + names[stack[d]!]!;
    into.set(text, (into.get(text) ?? 0) + w);
  }
}

/** Every node with self weight is one line: the path from below the root to it. */
function treeWeights(tree: CallTree, prefix: string, into: Map<string, number>): void {
  const names = tree.frames.map(foldedFrameName);
  const path: string[] = new Array<string>(tree.size);
  // Nodes are stored parents first (the builder appends children after their parent), but a
  // reduced tree need not be: walk depth-first from the root.
  const stack: number[] = [];
  if (tree.self[0]! !== 0)
    into.set(prefix + NO_FRAMES, (into.get(prefix + NO_FRAMES) ?? 0) + tree.self[0]!);
  for (let c = tree.firstChild[0]!; c >= 0; c = tree.nextSibling[c]!) stack.push(c);
  while (stack.length > 0) {
    const node = stack.pop()!;
    const parent = tree.parent[node]!;
    const name = names[tree.frame[node]!]!;
    const text = parent <= 0 ? prefix + name : `${path[parent]!};${name}`;
    path[node] = text;
    const self = tree.self[node]!;
    if (self !== 0) into.set(text, (into.get(text) ?? 0) + self);
    for (let c = tree.firstChild[node]!; c >= 0; c = tree.nextSibling[c]!) stack.push(c);
  }
}

function linesOf(weights: Map<string, number>): string {
  const keys = [...weights.keys()].sort();
  let out = '';
  for (const k of keys) out += `${lineStart(k)} ${formatWeight(weights.get(k)!)}\n`;
  return out;
}

/** One profile or call tree as folded text. A tree's root (the profile's name) is not a frame. */
export function toFolded(source: Profile | CallTree): string {
  const weights = new Map<string, number>();
  stackWeights(source, '', weights);
  return linesOf(weights);
}

/**
 * A whole set as one folded file. One profile: as toFolded. Several (threads, processes): each
 * stack starts with its profile's name, as py-spy's raw output does with `--threads`, so nothing
 * is summed across them by accident. Profiles of different units or measures cannot share one file
 * (a count per line has one unit): the caller picks one.
 */
export function toFoldedSet(set: ProfileSet): string {
  const [first] = set.profiles;
  if (!first) return '';
  if (set.profiles.length === 1) return toFolded(first);
  const mixed = set.profiles.find((p) => p.unit !== first.unit || p.measure !== first.measure);
  if (mixed) {
    throw new Error(
      `${set.name}: its profiles have different units (${first.unit} of ${first.measure} in ` +
        `"${first.name}", ${mixed.unit} of ${mixed.measure} in "${mixed.name}"); ` +
        'folded text has one unit per file: choose one profile',
    );
  }
  const weights = new Map<string, number>();
  for (const p of set.profiles) stackWeights(p, `${clean(p.name)};`, weights);
  return linesOf(weights);
}
