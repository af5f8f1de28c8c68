/**
 * A small reader of Prometheus text (families, HELP, TYPE, samples with labels) for the
 * simulator's tests: enough to compare its /metrics with real exporters' dumps.
 */
export interface PromFamily {
  type?: string;
  help?: string;
  samples: { name: string; labels: Record<string, string>; value: number }[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;
const SUFFIXES = ['_bucket', '_sum', '_count'];

export function parseProm(text: string): Map<string, PromFamily> {
  const families = new Map<string, PromFamily>();
  const family = (name: string): PromFamily => {
    let f = families.get(name);
    if (!f) families.set(name, (f = { samples: [] }));
    return f;
  };
  for (const line of text.split('\n')) {
    const meta = /^# (HELP|TYPE) (\S+)(?: (.*))?$/.exec(line);
    if (meta) {
      const f = family(meta[2]!);
      if (meta[1] === 'HELP') f.help = meta[3] ?? '';
      else f.type = meta[3];
      continue;
    }
    if (line.startsWith('#') || line.trim() === '') continue;
    const m = SAMPLE.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const name = m[1]!;
    const base = SUFFIXES.find(
      (s) => name.endsWith(s) && families.get(name.slice(0, -s.length))?.type === 'histogram',
    );
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(LABEL)) labels[l[1]!] = l[2]!;
    family(base ? name.slice(0, -base.length) : name).samples.push({
      name,
      labels,
      value: Number(m[3]),
    });
  }
  return families;
}
