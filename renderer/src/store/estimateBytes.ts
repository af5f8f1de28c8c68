/**
 * Roughly what a decoded JSON value holds in a JS heap: strings as UTF-16 plus a header, numbers
 * and object slots at 8–16 bytes, objects and arrays with a header. Good to a factor of ~2, which
 * is enough to bound inventories (budget.ts, MAX_INVENTORY_BYTES) without a heap snapshot. Walks
 * with its own stack, so no nesting depth can overflow the call stack.
 */
export function estimateBytes(value: unknown): number {
  let total = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === 'string') total += 16 + 2 * v.length;
    else if (typeof v === 'number' || typeof v === 'boolean') total += 8;
    else if (Array.isArray(v)) {
      total += 16 + 8 * v.length;
      for (const item of v) stack.push(item);
    } else if (typeof v === 'object' && v !== null) {
      total += 32;
      for (const [k, item] of Object.entries(v)) {
        total += 16 + 2 * k.length;
        stack.push(item);
      }
    }
  }
  return total;
}
