/**
 * Safe PromQL text from untrusted values: label values (model names, instance names — whatever the
 * scraped targets wrote) go into double-quoted PromQL strings, whose escapes are Go's
 * (`\\`, `\"`, `\n`, `\t`, `\xNN`, `\uNNNN`; promql/parser/lex.go lexEscape, then strconv.Unquote).
 * Several values of one label become an RE2 alternation of regex-escaped literals.
 * Label names are checked against the legacy charset so a 2.42 server parses every query
 * (contracts §6.3: the quoted UTF-8 syntax is 3.x only).
 */

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** A double-quoted PromQL string literal holding exactly `v`. */
export function promString(v: string): string {
  let out = '"';
  for (const ch of v) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return out + '"';
}

/** RE2 metacharacters escaped, so the value matches only itself inside `=~`. */
export function regexEscape(v: string): string {
  return v.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');
}

export function checkLabelName(name: string): string {
  if (!LABEL_NAME.test(name)) throw new Error(`invalid label name ${JSON.stringify(name)}`);
  return name;
}

export function checkMetricName(name: string): string {
  if (!METRIC_NAME.test(name)) throw new Error(`invalid metric name ${JSON.stringify(name)}`);
  return name;
}

/** label → one value (=) or several (=~ alternation); empty lists and undefined mean "any". */
export type LabelFilter = Readonly<Record<string, string | readonly string[] | undefined>>;

/** The matcher list without braces: `model_name="a",instance=~"h1:8000|h2:8000"`. */
export function matchers(filter: LabelFilter): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(filter)) {
    if (value === undefined) continue;
    checkLabelName(name);
    if (typeof value === 'string') parts.push(`${name}=${promString(value)}`);
    else if (value.length === 1) parts.push(`${name}=${promString(value[0]!)}`);
    else if (value.length > 1)
      parts.push(`${name}=~${promString(value.map(regexEscape).join('|'))}`);
  }
  return parts.join(',');
}

/** `name{matchers}` (or the bare name when nothing filters). */
export function selector(name: string, filter: LabelFilter): string {
  const m = matchers(filter);
  return m ? `${checkMetricName(name)}{${m}}` : checkMetricName(name);
}

/** `by (a, b)` for aggregations; empty when there is nothing to keep. */
export function byClause(labels: readonly string[]): string {
  return labels.length ? ` by (${labels.map(checkLabelName).join(', ')})` : '';
}
