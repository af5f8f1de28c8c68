/**
 * A PrometheusSource for unit tests: answers from a handler per call (by method and query), and
 * records every call with its signal so a test can check cancellation.
 */
import type { PromResult } from '../../../../collector/core/prometheus/response.js';
import type {
  BuildInfo,
  InstantSample,
  Labels,
  MatrixSeries,
  PromAlert,
  PrometheusSource,
  QueryData,
  RangeParams,
  ScrapeTarget,
} from './PrometheusSource.js';

export interface FakeCall {
  method:
    | 'instant'
    | 'query'
    | 'range'
    | 'series'
    | 'labels'
    | 'labelValues'
    | 'alerts'
    | 'buildinfo'
    | 'targets';
  /** The query, the label name, or the joined match[] selectors. */
  arg: string;
  params?: RangeParams;
  signal: AbortSignal;
}

export type FakeHandler = (call: FakeCall) => unknown;

const ok = <T>(data: T): PromResult<T> => ({ data, warnings: [], infos: [] });

export class FakePrometheusSource implements PrometheusSource {
  readonly calls: FakeCall[] = [];

  constructor(
    private readonly handler: FakeHandler = () => [],
    readonly connectionId = 'fake',
  ) {}

  private async answer<T>(call: FakeCall): Promise<PromResult<T>> {
    this.calls.push(call);
    call.signal.throwIfAborted();
    const data = (await this.handler(call)) as T;
    call.signal.throwIfAborted();
    return ok(data);
  }

  instant(query: string, _time: number | undefined, signal: AbortSignal) {
    return this.answer<InstantSample[]>({ method: 'instant', arg: query, signal });
  }

  query(query: string, _time: number | undefined, signal: AbortSignal) {
    return this.answer<QueryData>({ method: 'query', arg: query, signal });
  }

  targets(signal: AbortSignal) {
    return this.answer<ScrapeTarget[]>({ method: 'targets', arg: '', signal });
  }

  range(query: string, params: RangeParams, signal: AbortSignal) {
    return this.answer<MatrixSeries[]>({ method: 'range', arg: query, params, signal });
  }

  series(match: readonly string[], _w: unknown, signal: AbortSignal) {
    return this.answer<Labels[]>({ method: 'series', arg: match.join(' '), signal });
  }

  labels(match: readonly string[] | undefined, signal: AbortSignal) {
    return this.answer<string[]>({ method: 'labels', arg: (match ?? []).join(' '), signal });
  }

  labelValues(label: string, _match: readonly string[] | undefined, signal: AbortSignal) {
    return this.answer<string[]>({ method: 'labelValues', arg: label, signal });
  }

  alerts(signal: AbortSignal) {
    return this.answer<PromAlert[]>({ method: 'alerts', arg: '', signal });
  }

  buildinfo(signal: AbortSignal) {
    return this.answer<BuildInfo>({ method: 'buildinfo', arg: '', signal });
  }
}

/** A matrix series from [ms, value] pairs, for tests. */
export function matrixSeries(
  metric: Labels,
  points: ReadonlyArray<[number, number]>,
): MatrixSeries {
  return {
    metric,
    times: Float64Array.from(points.map(([t]) => t)),
    values: Float64Array.from(points.map(([, v]) => v)),
  };
}
