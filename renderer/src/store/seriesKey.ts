/** Keys that identify a series: (node, device or host, metric) plus its label set. */

export type Labels = Readonly<Record<string, string>>;

// NUL separates the parts: names from real tools never contain it, so node "a|b" + metric "c" and
// node "a" + metric "b|c" stay distinct where a printable separator would merge them.
const SEP = '\u0000';

/** Key of all series of one metric on one device (or on the host when `device` is undefined). */
export function seriesGroupKey(node: string, metric: string, device?: string): string {
  return `${node}${SEP}${device ?? ''}${SEP}${metric}${SEP}`;
}

/** Labels in a canonical order, so {a, b} and {b, a} name the same series. */
export function labelsKey(labels: Labels | undefined): string {
  if (!labels) return '';
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(SEP);
}
