/**
 * One series (node, device or host, metric, labels): its latest value held in plain fields and its
 * history in its node's tick ring. Created once per series and then only written to, so steady
 * ingest allocates nothing per sample.
 */
import type { SampleStatus } from '../../../collector/core/protocol/spec.js';
import type { NodeTicks } from './NodeTicks.js';
import type { Labels } from './seriesKey.js';
import { TickHistory, type History, type ValueArray } from './TickHistory.js';

export interface LatestValue {
  /** null: the source gave no number; `s` says why. */
  v: number | null;
  s?: SampleStatus;
  raw?: string;
  /** Sample time on the node's timeline (ms): its own clock, as NodeClock placed it. */
  ts: number;
}

/** What views read of a series. */
export interface SeriesState {
  readonly node: string;
  readonly device?: string;
  readonly metric: string;
  readonly labels: Labels;
  /** A new object on every read: for views that keep it. Hot paths read `value`/`time`. */
  readonly latest: LatestValue;
  /** Latest value; NaN when the source gave none (see `status`). */
  readonly value: number;
  /** Time of the latest value on the node's timeline (ms); + NodeState.clockOffset is local. */
  readonly time: number;
  readonly status: SampleStatus | undefined;
  readonly raw: string | undefined;
  readonly history: History;
}

export class Series implements SeriesState {
  value = Number.NaN;
  time = Number.NEGATIVE_INFINITY;
  status: SampleStatus | undefined = undefined;
  raw: string | undefined = undefined;
  readonly history: TickHistory;
  readonly device?: string;

  constructor(
    readonly node: string,
    device: string | undefined,
    readonly metric: string,
    readonly labels: Labels,
    ticks: NodeTicks,
    firstTick: number,
    values: ValueArray,
  ) {
    if (device !== undefined) this.device = device;
    this.history = new TickHistory(ticks, firstTick, values);
  }

  get latest(): LatestValue {
    const out: LatestValue = { v: Number.isNaN(this.value) ? null : this.value, ts: this.time };
    if (this.status !== undefined) out.s = this.status;
    if (this.raw !== undefined) out.raw = this.raw;
    return out;
  }

  /**
   * Records one sample. `tick` is its message's tick, or -1 for a message older than the node's
   * newest (its value may still be the newest of this series, but history only moves forward).
   */
  record(
    tick: number,
    ts: number,
    v: number | null,
    s: SampleStatus | undefined,
    raw: string | undefined,
  ): void {
    const value = v ?? Number.NaN;
    if (ts >= this.time) {
      this.value = value;
      this.time = ts;
      this.status = s;
      this.raw = raw;
    }
    if (tick >= 0) this.history.write(tick, value);
  }
}
