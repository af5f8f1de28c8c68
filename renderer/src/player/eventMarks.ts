/**
 * The events to mark on the scrub bar, gathered in one pass over the recording. Bounded: at most
 * `max` marks (10,000 by default: a 1,000 px bar cannot show more than a few per pixel anyway) and a
 * count of the rest, so a recording of an event storm cannot fill memory with marks.
 */
import type { Severity } from '../../../collector/core/protocol/spec.js';
import type { RecordedMessage } from '../../../collector/core/recorded/RecordedSource.js';

export const MAX_EVENT_MARKS = 10_000;

export interface EventMark {
  /** Receipt time on the recording's clock (ms): where the mark sits on the bar. */
  time: number;
  cluster: string;
  node: string;
  /** The device the event is about, when it is about one. */
  device?: string;
  kind: string;
  severity: Severity;
  /** The event's own text (show it as text, never HTML). */
  message: string;
}

export class EventMarkCollector {
  private readonly list: EventMark[] = [];
  private omittedCount = 0;

  constructor(private readonly max = MAX_EVENT_MARKS) {}

  add(recorded: RecordedMessage): void {
    const m = recorded.message;
    if (m.type !== 'events') return;
    for (const e of m.events) {
      if (this.list.length >= this.max) {
        this.omittedCount++;
        continue;
      }
      const mark: EventMark = {
        time: recorded.receiveTime,
        cluster: m.cluster,
        node: m.node,
        kind: e.kind,
        severity: e.severity,
        message: e.message,
      };
      if (e.d !== undefined) mark.device = e.d;
      this.list.push(mark);
    }
  }

  get marks(): readonly EventMark[] {
    return this.list;
  }

  /** Events beyond `max`, counted and not kept. */
  get omitted(): number {
    return this.omittedCount;
  }
}
