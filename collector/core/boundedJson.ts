/**
 * Walking JSON that came from outside without recursion. JSON.parse accepts any nesting (V8's
 * parser is iterative: `[` × 1,000,000 parses), but every recursive walker over the result —
 * JSON.stringify included — throws RangeError near 5,000–10,000 levels in Node and sooner in a
 * browser worker. So readers of outside JSON refuse nesting past MAX_JSON_DEPTH with a problem, and
 * quote values with jsonPrefix, which keeps its own stack and stops once it has written enough.
 */

/** Deeper than any message we read needs (Eagle Eye stats, Prometheus responses: under 8). */
export const MAX_JSON_DEPTH = 64;

/**
 * True when `value` nests arrays/objects more than `max` levels deep (a scalar is depth 0,
 * `[1]` is 1). Explicit stack; stops at the first branch past the limit.
 */
export function jsonDepthExceeds(value: unknown, max = MAX_JSON_DEPTH): boolean {
  const stack: { node: unknown; depth: number }[] = [{ node: value, depth: 0 }];
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth + 1 > max) return true;
    const children = Array.isArray(node) ? node : Object.values(node);
    for (let i = 0; i < children.length; i++) {
      const child: unknown = children[i];
      if (typeof child === 'object' && child !== null)
        stack.push({ node: child, depth: depth + 1 });
    }
  }
  return false;
}

type Frame =
  | { array: readonly unknown[]; i: number }
  | { object: Record<string, unknown>; keys: string[]; i: number; wrote: boolean };

/**
 * `JSON.stringify(value)` cut to at most `limit` characters, without recursion and without writing
 * much more than `limit` (a 10^6-deep array or a 4 MB string costs what its first `limit`
 * characters do). Values JSON cannot write (undefined, functions, bigint) are written with String.
 */
export function jsonPrefix(value: unknown, limit: number): string {
  let out = '';
  const stack: Frame[] = [];
  let next: unknown = value;
  let hasNext = true;
  while (out.length < limit) {
    if (hasNext) {
      hasNext = false;
      if (Array.isArray(next)) {
        out += '[';
        stack.push({ array: next, i: 0 });
      } else if (typeof next === 'object' && next !== null) {
        out += '{';
        const object = next as Record<string, unknown>;
        stack.push({ object, keys: Object.keys(object), i: 0, wrote: false });
      } else {
        out += scalar(next, limit - out.length);
      }
      continue;
    }
    const top = stack[stack.length - 1];
    if (top === undefined) break;
    if ('array' in top) {
      if (top.i >= top.array.length) {
        out += ']';
        stack.pop();
        continue;
      }
      if (top.i > 0) out += ',';
      const item = top.array[top.i++];
      // JSON writes a hole or an unwritable array item as null.
      next = item === undefined || typeof item === 'function' ? null : item;
      hasNext = true;
    } else {
      if (top.i >= top.keys.length) {
        out += '}';
        stack.pop();
        continue;
      }
      const key = top.keys[top.i++]!;
      const item = top.object[key];
      if (item === undefined || typeof item === 'function') continue;
      if (top.wrote) out += ',';
      top.wrote = true;
      out += `${JSON.stringify(key.length > limit ? key.slice(0, limit) : key)}:`;
      next = item;
      hasNext = true;
    }
  }
  return out.length > limit ? out.slice(0, limit) : out;
}

function scalar(value: unknown, room: number): string {
  if (typeof value === 'string') {
    // Escaping only lengthens a string, so its first `room` characters decide the prefix.
    return JSON.stringify(value.length > room ? value.slice(0, room) : value);
  }
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  if (typeof value === 'boolean' || value === null) return String(value);
  return String(value);
}
