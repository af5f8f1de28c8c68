/**
 * The metric-name prefixes a server holds, counted: what the "no engine metrics" hint shows beside
 * what discovery looks for, so a user whose engine Osprey does not know sees both at once
 * ("foo_ ×120, bar: ×40"). A prefix runs to the first `:` when the name has one (engines write
 * `vllm:`, `sglang:`, `ray_vllm:`), else to the first `_` (`DCGM_`, `node_`, `tgi_`); a name with
 * neither (`up`) is its own group.
 */
export interface PrefixCount {
  prefix: string;
  /** Distinct metric names under the prefix */
  count: number;
}

export interface PrefixSummary {
  /** The biggest groups, most names first (ties by prefix) */
  top: PrefixCount[];
  /** Groups left out of `top`, and the names in them */
  otherGroups: number;
  otherNames: number;
  /** Every distinct name counted */
  total: number;
}

export function namePrefix(name: string): string {
  const colon = name.indexOf(':');
  if (colon > 0) return name.slice(0, colon + 1);
  const underscore = name.indexOf('_');
  return underscore > 0 ? name.slice(0, underscore + 1) : name;
}

/** `limit` groups at most (default 12, what fits a sentence). */
export function namePrefixes(names: Iterable<string>, limit = 12): PrefixSummary {
  const counts = new Map<string, number>();
  const seen = new Set<string>();
  for (const n of names) {
    if (seen.has(n)) continue;
    seen.add(n);
    const p = namePrefix(n);
    counts.set(p, (counts.get(p) ?? 0) + 1);
  }
  const all = [...counts]
    .map(([prefix, count]) => ({ prefix, count }))
    .sort((a, b) => b.count - a.count || (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
  const top = all.slice(0, Math.max(0, limit));
  const rest = all.slice(top.length);
  return {
    top,
    otherGroups: rest.length,
    otherNames: rest.reduce((a, p) => a + p.count, 0),
    total: seen.size,
  };
}

/** "foo_ ×120, bar: ×40 and 3 more prefixes (9 names)" */
export function prefixSummaryText(s: PrefixSummary): string {
  if (s.total === 0) return 'no metric names at all';
  const head = s.top.map((p) => `${p.prefix} ×${p.count}`).join(', ');
  if (s.otherGroups === 0) return head;
  const more = s.otherGroups === 1 ? '1 more prefix' : `${s.otherGroups} more prefixes`;
  return `${head} and ${more} (${s.otherNames} name${s.otherNames === 1 ? '' : 's'})`;
}
