/**
 * Which nodes a recording keeps, from the text the user typed: empty → all nodes; with `*` or `?`
 * a glob over the whole node name (`gpu-a-*`); otherwise the name contains it, case-insensitive,
 * as the fleet view's search box matches. Returns undefined for "all nodes".
 */
export function recordNodeFilter(text: string): ((node: string) => boolean) | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (/[*?]/.test(t)) {
    const source = t
      .split('')
      .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
    const re = new RegExp(`^${source}$`, 'i');
    return (node) => re.test(node);
  }
  const needle = t.toLowerCase();
  return (node) => node.toLowerCase().includes(needle);
}
