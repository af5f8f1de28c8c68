/**
 * What the player bar shows, from the player's status: the play button, the position on the scrub
 * bar, the times (recording time, never the wall clock), the event marks binned to what a bar can
 * show, the speed menu and the loop toggle, and honest words when the player is behind or broken.
 */
import type { Severity } from '../../../collector/core/protocol/spec.js';
import type { EventMark } from './eventMarks.js';
import type { PlayerStatus } from './playerTypes.js';
import { SPEEDS, speedLabel } from './speeds.js';

/** Marks are binned to this many slots: one slot is ~4 px of a 1,000 px bar. */
export const MARK_BINS = 250;

export interface MarkBin {
  /** Position on the bar, 0–1 (the first event of the bin). */
  at: number;
  /** Recording time to seek to when the bin is clicked: its first event. */
  time: number;
  severity: Severity;
  count: number;
  /** Tooltip text (plain text: event messages come from the cluster). */
  title: string;
}

export interface PlayerBarModel {
  /** What the main button does: play, pause, or play again from the start. */
  action: 'play' | 'pause' | 'replay';
  /** False until the recording is open (or when it could not be). */
  enabled: boolean;
  /** Scrub bar: `value` within 0–`max` (ms from the start). */
  max: number;
  value: number;
  /** Current recording time, e.g. "14:03:27.4". */
  timeLabel: string;
  /** "02:05 / 1:00:00": position and length of the recording. */
  elapsedLabel: string;
  /** "Recording of gpu-a, 2 Dec 14:00:00 – 15:00:00". */
  title: string;
  marks: MarkBin[];
  /** "+1,204 events not marked" when the marks were bounded. */
  marksNote: string | undefined;
  speed: number;
  speeds: { value: number; label: string }[];
  loop: boolean;
  /** "behind by 12.0 s: the recording reads slower than 16×". */
  behind: string | undefined;
  /** The error, or "opening…", or "ended"; undefined while paused or playing normally. */
  stateText: string | undefined;
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2, critical: 3 };

export interface FormatOptions {
  /** IANA zone for the times shown; the browser's own when undefined (tests pass 'UTC'). */
  timeZone?: string;
}

/** "14:03:27": time of day, 24 h, as time/timeRange.ts writes it. */
function timeOfDay(t: number, options: FormatOptions): string {
  return new Date(t).toLocaleTimeString('en-GB', { hour12: false, timeZone: options.timeZone });
}

/** "14:03:27.4": with tenths, since one tick at 16× moves 0.8 s. */
export function clockLabel(t: number, options: FormatOptions = {}): string {
  return `${timeOfDay(t, options)}.${Math.floor((((t % 1000) + 1000) % 1000) / 100)}`;
}

/** "2 Dec 14:00:00". */
function dayTimeLabel(t: number, options: FormatOptions): string {
  const day = new Date(t).toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'short',
    timeZone: options.timeZone,
  });
  return `${day} ${timeOfDay(t, options)}`;
}

const sameDay = (a: number, b: number, options: FormatOptions): boolean => {
  const f = (t: number) => new Date(t).toLocaleDateString('en-GB', { timeZone: options.timeZone });
  return f(a) === f(b);
};

/** "0:05", "12:34", "1:02:03": a duration in whole seconds. */
export function durationLabel(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = String(total % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${s}` : `${m}:${s}`;
}

/** The recording time at a position of the bar (0–1), for a click or a drag. */
export function timeAt(fraction: number, range: { start: number; end: number }): number {
  const f = Math.min(1, Math.max(0, fraction));
  return range.start + f * (range.end - range.start);
}

export function binMarks(
  marks: readonly EventMark[],
  range: { start: number; end: number },
  bins = MARK_BINS,
  options: FormatOptions = {},
): MarkBin[] {
  const span = range.end - range.start;
  const slots = new Map<number, { first: EventMark; worst: EventMark; count: number }>();
  for (const m of marks) {
    const at = span > 0 ? (m.time - range.start) / span : 0;
    const slot = Math.min(bins - 1, Math.max(0, Math.floor(at * bins)));
    const bin = slots.get(slot);
    if (!bin) slots.set(slot, { first: m, worst: m, count: 1 });
    else {
      bin.count++;
      if (SEVERITY_RANK[m.severity] > SEVERITY_RANK[bin.worst.severity]) bin.worst = m;
    }
  }
  return [...slots.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, { first, worst, count }]) => {
      const what = `${clockLabel(worst.time, options)} · ${worst.node}${worst.device ? ` · ${worst.device}` : ''} · ${worst.kind}: ${worst.message}`;
      return {
        at: span > 0 ? (first.time - range.start) / span : 0,
        time: first.time,
        severity: worst.severity,
        count,
        title: count > 1 ? `${what} (+${count - 1} more)` : what,
      };
    });
}

export function preparePlayerBar(
  status: PlayerStatus,
  options: FormatOptions = {},
): PlayerBarModel {
  const range = status.range;
  const start = range?.start ?? 0;
  const length = range ? range.end - range.start : 0;
  const cluster = status.info?.metadata.cluster ?? status.info?.metadata.connection;
  const endLabel = (end: number) =>
    sameDay(start, end, options) ? timeOfDay(end, options) : dayTimeLabel(end, options);
  const title = range
    ? `Recording${cluster ? ` of ${cluster}` : ''}, ${dayTimeLabel(range.start, options)} – ${endLabel(range.end)}`
    : 'Recording';
  const stateText =
    status.state === 'initializing'
      ? 'opening…'
      : status.state === 'error'
        ? (status.error ?? 'error')
        : status.state === 'ended'
          ? 'ended'
          : status.state === 'closed'
            ? 'closed'
            : status.seeking
              ? 'seeking…'
              : undefined;
  return {
    action: status.state === 'playing' ? 'pause' : status.state === 'ended' ? 'replay' : 'play',
    enabled: range !== undefined && status.state !== 'closed',
    max: length,
    value: Math.min(length, Math.max(0, status.currentTime - start)),
    timeLabel: range ? clockLabel(status.currentTime, options) : '--:--:--',
    elapsedLabel: `${durationLabel(status.currentTime - start)} / ${durationLabel(length)}`,
    title,
    marks: range ? binMarks(status.marks, range, MARK_BINS, options) : [],
    marksNote:
      status.marksOmitted > 0
        ? `+${status.marksOmitted.toLocaleString('en-US')} events not marked`
        : undefined,
    speed: status.speed,
    speeds: SPEEDS.map((value) => ({ value, label: speedLabel(value) })),
    loop: status.loop,
    // Under 1 s is one late tick at 16× (50 ms × 16 = 0.8 s), not a reader falling behind.
    behind:
      status.state === 'playing' && status.behindBy >= 1000
        ? `behind by ${(status.behindBy / 1000).toFixed(1)} s: the recording reads slower than ${speedLabel(status.speed)}`
        : undefined,
    stateText,
  };
}
