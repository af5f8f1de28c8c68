/**
 * The first array of a message that holds more items than its schema allows, found before TypeBox
 * is asked to describe what failed: `Value.Errors` walks every item of an oversized array, so a
 * metrics message of 70,000 samples cost ~800 ms to describe (one long task in the page, found by
 * e2e/hostile.spec.ts), where this check costs a few property reads.
 *
 * It follows the schema, not the value: object properties and the items of arrays already within
 * bounds, to MAX_DEPTH schema levels (a grid's `v` sits at /grids/N/v, depth 3), with an explicit
 * stack so no input can make it recurse.
 */
import { cut } from './text.js';

interface SchemaNode {
  type?: unknown;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  maxItems?: number;
}

const MAX_DEPTH = 4;
const SHOWN_PATH_CHARS = 120;

export function oversizedArray(schema: unknown, value: unknown): string | undefined {
  const stack: { schema: SchemaNode; value: unknown; path: string; depth: number }[] = [
    { schema: schema as SchemaNode, value, path: '', depth: 0 },
  ];
  while (stack.length > 0) {
    const { schema: s, value: v, path, depth } = stack.pop()!;
    if (depth > MAX_DEPTH || typeof v !== 'object' || v === null) continue;
    if (s.type === 'array' && Array.isArray(v)) {
      if (s.maxItems !== undefined && v.length > s.maxItems) {
        const at = cut(path || '/', SHOWN_PATH_CHARS);
        return `${at}: holds ${v.length.toLocaleString('en')} items, at most ${s.maxItems.toLocaleString('en')}`;
      }
      const items = s.items;
      if (items?.type === 'object' || items?.type === 'array') {
        for (let i = v.length - 1; i >= 0; i--) {
          stack.push({ schema: items, value: v[i], path: `${path}/${i}`, depth: depth + 1 });
        }
      }
    } else if (s.type === 'object' && s.properties !== undefined && !Array.isArray(v)) {
      for (const [name, child] of Object.entries(s.properties)) {
        if (child.type !== 'array' && child.type !== 'object') continue;
        if (!Object.hasOwn(v, name)) continue;
        const field = (v as Record<string, unknown>)[name];
        stack.push({ schema: child, value: field, path: `${path}/${name}`, depth: depth + 1 });
      }
    }
  }
  return undefined;
}
