/**
 * The time range every history chart shows: relative to now ("last 1 h", moving with the clock)
 * or absolute (fixed from/to, e.g. after zooming). Pure: resolving needs the caller's `now`.
 */

export const RELATIVE_SPANS = [
  { id: '5m', label: 'Last 5 minutes', short: '5m', ms: 5 * 60_000 },
  { id: '15m', label: 'Last 15 minutes', short: '15m', ms: 15 * 60_000 },
  { id: '1h', label: 'Last 1 hour', short: '1h', ms: 3_600_000 },
  { id: '3h', label: 'Last 3 hours', short: '3h', ms: 3 * 3_600_000 },
  { id: '6h', label: 'Last 6 hours', short: '6h', ms: 6 * 3_600_000 },
  { id: '12h', label: 'Last 12 hours', short: '12h', ms: 12 * 3_600_000 },
  { id: '24h', label: 'Last 24 hours', short: '24h', ms: 24 * 3_600_000 },
  { id: '2d', label: 'Last 2 days', short: '2d', ms: 2 * 86_400_000 },
  { id: '7d', label: 'Last 7 days', short: '7d', ms: 7 * 86_400_000 },
] as const;

export type RelativeSpan = (typeof RELATIVE_SPANS)[number]['id'];

export type TimeRange =
  { kind: 'relative'; span: RelativeSpan } | { kind: 'absolute'; from: number; to: number };

/** A range pinned to milliseconds since the epoch. */
export interface ResolvedRange {
  start: number;
  end: number;
}

/** Below this a chart has fewer pixels of data than of axis labels; zooming stops here. */
export const MIN_RANGE_MS = 10_000;

export function spanMs(span: RelativeSpan): number {
  const found = RELATIVE_SPANS.find((s) => s.id === span);
  if (!found) throw new Error(`unknown relative range "${span}"`);
  return found.ms;
}

export function isRelativeSpan(value: string): value is RelativeSpan {
  return RELATIVE_SPANS.some((s) => s.id === value);
}

export function resolveRange(range: TimeRange, now: number): ResolvedRange {
  if (range.kind === 'absolute') return { start: range.from, end: range.to };
  return { start: now - spanMs(range.span), end: now };
}

/**
 * An absolute range from two datetime-local inputs ("2026-05-12T10:30", local time). Returns the
 * range or a message naming the field at fault.
 */
export function parseAbsolute(
  fromText: string,
  toText: string,
): { range: TimeRange & { kind: 'absolute' } } | { error: string } {
  const from = parseLocal(fromText);
  if (from === undefined) return { error: `"From" is not a date and time: "${fromText}"` };
  const to = parseLocal(toText);
  if (to === undefined) return { error: `"To" is not a date and time: "${toText}"` };
  if (to - from < MIN_RANGE_MS) {
    return { error: `"To" must be at least ${MIN_RANGE_MS / 1000} s after "From"` };
  }
  return { range: { kind: 'absolute', from, to } };
}

function parseLocal(text: string): number | undefined {
  // `new Date("2026-05-12T10:30")` is local time; a bare date would be UTC, so insist on a time.
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?$/.test(text.trim())) return undefined;
  const t = new Date(text.trim()).getTime();
  return Number.isFinite(t) ? t : undefined;
}

/** `YYYY-MM-DDTHH:mm:ss` in local time, the value a datetime-local input takes. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return (
    `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}` +
    `T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
  );
}

/** "Last 1 hour", or "12 May 10:30:00 – 11:00:00" (the date once when both ends share it). */
export function describeRange(range: TimeRange): string {
  if (range.kind === 'relative') return RELATIVE_SPANS.find((s) => s.id === range.span)!.label;
  const from = new Date(range.from);
  const to = new Date(range.to);
  const day = (d: Date) => d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
  const time = (d: Date) => d.toLocaleTimeString('en-GB', { hour12: false });
  const sameDay = from.toDateString() === to.toDateString();
  return sameDay
    ? `${day(from)} ${time(from)} – ${time(to)}`
    : `${day(from)} ${time(from)} – ${day(to)} ${time(to)}`;
}

/** A zoom selection, widened to the minimum and clamped to order; undefined if degenerate. */
export function zoomRange(a: number, b: number): (TimeRange & { kind: 'absolute' }) | undefined {
  if (!Number.isFinite(a) || !Number.isFinite(b)) return undefined;
  let from = Math.min(a, b);
  let to = Math.max(a, b);
  if (to - from < MIN_RANGE_MS) {
    const mid = (from + to) / 2;
    from = mid - MIN_RANGE_MS / 2;
    to = mid + MIN_RANGE_MS / 2;
  }
  return { kind: 'absolute', from: Math.round(from), to: Math.round(to) };
}
