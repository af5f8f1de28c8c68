/**
 * How far behind the page is, in words: the store's lag (lagText) or, when messages wait undecoded
 * in the source's queue (SourceBatch.backlog), how long the oldest of them has waited, whichever is
 * more, with what waits: "27 s behind · 3,412 messages (14 MB) waiting". A page that falls behind
 * under a flood says so while it still works the queue off, not only after.
 */
import type { Backlog } from '../sources/Source.js';
import { lagText } from './lagText.js';

const MB = 1000 * 1000;

export function behindText(
  lagMs: number | undefined,
  backlog: Backlog | undefined,
  now: number,
): string | undefined {
  const waited =
    backlog?.oldestAt !== undefined && backlog.messages > 0
      ? Math.max(0, now - backlog.oldestAt)
      : 0;
  const lag = lagMs !== undefined && Number.isFinite(lagMs) ? lagMs : 0;
  const text = lagText(Math.max(lag, waited));
  if (text === undefined || backlog === undefined || backlog.messages === 0) return text;
  const n = backlog.messages;
  const size =
    backlog.bytes >= MB
      ? `${Math.round(backlog.bytes / MB).toLocaleString('en')} MB`
      : `${Math.ceil(backlog.bytes / 1000).toLocaleString('en')} kB`;
  return `${text} · ${n.toLocaleString('en')} ${n === 1 ? 'message' : 'messages'} (${size}) waiting`;
}
