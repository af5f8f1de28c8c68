/**
 * Prometheus text format 0.0.4 (https://prometheus.io/docs/instrumenting/exposition_formats/) for
 * the simulator's exporters: families keep their lines together (the format requires it), label
 * values are escaped, `le` bounds print as Python's prometheus_client prints them (`1.0`, `0.25`,
 * `+Inf`), since the real exporters are written with it.
 */
export type Labels = readonly (readonly [string, string])[];

export class Families {
  private readonly families = new Map<string, { head: string; lines: string[] }>();

  /**
   * Declares a family once (first help/type wins) and returns its line list. An empty help writes
   * no HELP line, as exporters that describe nothing do (metrics-exporter-prometheus).
   */
  family(name: string, help: string, type: 'gauge' | 'counter' | 'histogram'): string[] {
    let f = this.families.get(name);
    if (!f) {
      const helpLine = help === '' ? '' : `# HELP ${name} ${escapeHelp(help)}\n`;
      f = { head: `${helpLine}# TYPE ${name} ${type}\n`, lines: [] };
      this.families.set(name, f);
    }
    return f.lines;
  }

  text(): string {
    let out = '';
    for (const f of this.families.values()) {
      if (f.lines.length > 0) out += f.head + f.lines.join('\n') + '\n';
    }
    return out;
  }
}

/**
 * The inside of a label set's braces, `k1="v1",k2="v2"`. Callers compute it once per device or
 * engine and keep it (the label values never change), so a scrape only writes numbers.
 */
export function labelText(labels: Labels): string {
  return labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',');
}

export function sample(name: string, labels: string, value: number): string {
  return labels === ''
    ? `${name} ${formatValue(value)}`
    : `${name}{${labels}} ${formatValue(value)}`;
}

export function formatValue(v: number): string {
  if (Number.isInteger(v)) return String(v);
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(Number.parseFloat(v.toPrecision(12)));
}

/** prometheus_client's float repr of a bucket bound: `1.0`, `0.25`, `2560.0`. */
export function leText(bound: number): string {
  return Number.isInteger(bound) ? `${bound}.0` : String(bound);
}

const bucketHeads = new WeakMap<readonly number[], string[]>();

/** A histogram family's `_bucket` (le first, as prometheus_client writes it), `_sum`, `_count`. */
export function histogramLines(
  out: string[],
  name: string,
  labels: string,
  bounds: readonly number[],
  cumulative: readonly number[],
  sum: number,
  count: number,
): void {
  let heads = bucketHeads.get(bounds);
  if (!heads) {
    heads = [...bounds.map(leText), '+Inf'].map((le) => `{le="${le}",`);
    bucketHeads.set(bounds, heads);
  }
  for (let i = 0; i < heads.length; i++) {
    out.push(`${name}_bucket${heads[i]}${labels}} ${formatValue(cumulative[i]!)}`);
  }
  out.push(sample(`${name}_sum`, labels, sum));
  out.push(sample(`${name}_count`, labels, count));
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}
