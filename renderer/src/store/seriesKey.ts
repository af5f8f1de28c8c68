/** Label sets: how series of one metric on one device are told apart (per interface, engine…). */

export type Labels = Readonly<Record<string, string>>;

// NUL separates the parts: names from real tools never contain it, so {a: "b\u0000c"} and
// {a: "b", c: ""} keep distinct keys where a printable separator could merge them.
const SEP = '\u0000';

/** Labels in a canonical order, so {a, b} and {b, a} name the same series. */
export function labelsKey(labels: Labels | undefined): string {
  if (!labels) return '';
  return Object.keys(labels)
    .sort()
    .map((k) => `${k}=${labels[k]}`)
    .join(SEP);
}

/** Whether two label sets are equal, in any key order, without building keys. */
export function sameLabels(a: Labels, b: Labels): boolean {
  let n = 0;
  for (const k in a) {
    if (b[k] !== a[k]) return false;
    n += 1;
  }
  for (const _ in b) n -= 1;
  return n === 0;
}
