// The functions with the most self time in a Chrome DevTools CPU profile (Profiler.stop's
// `profile`), printed as a table of shares of all samples. Shared by the benches' --profile.

/** Prints the `limit` functions with the most self time under the column title `title`. */
export function printSelfTime(title, profile, limit) {
  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const counts = new Map();
  for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
  let total = 0;
  for (const [id, c] of counts) {
    const f = byId.get(id).callFrame;
    const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + c);
    total += c;
  }
  console.log(`\n| ${title} | function |\n|---|---|`);
  for (const [k, c] of [...self].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
    console.log(`| ${((100 * c) / total).toFixed(1)} % | ${k} |`);
  }
}
