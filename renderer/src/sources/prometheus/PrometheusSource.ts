/**
 * One saved connection's Prometheus (or Thanos, VictoriaMetrics, Mimir…), asked through the
 * platform port: the host makes the HTTP call with the connection's URL, auth, headers and CA,
 * this class builds the request and decodes the answer with collector/core/prometheus. Every call
 * takes an AbortSignal, and an abort rejects with an AbortError (react-query cancels on a new
 * range). An answer that is not usable rejects with a PrometheusError saying why; no answer at
 * all with the host's PrometheusTransportError.
 */
import {
  parseAlertsResponse,
  parseBuildInfoResponse,
  parseSeriesResponse,
  parseStringListResponse,
  parseTargetsResponse,
  type BuildInfo,
  type PromAlert,
  type ScrapeTarget,
} from '../../../../collector/core/prometheus/payloads.js';
import type { PrometheusRequest } from '../../../../collector/core/prometheus/request.js';
import {
  parseInstantResponse,
  parseQueryResponse,
  parseRangeResponse,
  type InstantSample,
  type Labels,
  type MatrixSeries,
  type PromResult,
  type QueryData,
} from '../../../../collector/core/prometheus/response.js';
import type { Platform, PrometheusHttpResponse } from '../../platform/Platform.js';
import { AnswerLog } from './AnswerLog.js';

export type {
  BuildInfo,
  InstantSample,
  Labels,
  MatrixSeries,
  PromAlert,
  PromResult,
  QueryData,
  ScrapeTarget,
};

/** A range query's window: start and end in ms, step in seconds (the API's own units). */
export interface RangeParams {
  start: number;
  end: number;
  step: number;
}

export interface PrometheusSource {
  readonly connectionId: string;
  /** The latest raw answers, for a snapshot; a source that keeps none has no log. */
  readonly answers?: AnswerLog;
  instant(
    query: string,
    time: number | undefined,
    signal: AbortSignal,
  ): Promise<PromResult<InstantSample[]>>;
  range(
    query: string,
    params: RangeParams,
    signal: AbortSignal,
  ): Promise<PromResult<MatrixSeries[]>>;
  /**
   * An instant query of any result type: a range selector (`x[45s]`) answers a matrix of raw
   * samples with their own timestamps.
   */
  query(
    query: string,
    time: number | undefined,
    signal: AbortSignal,
  ): Promise<PromResult<QueryData>>;
  /** Active scrape targets: health, interval, last scrape error. */
  targets(signal: AbortSignal): Promise<PromResult<ScrapeTarget[]>>;
  /** Label sets of the series matching any of `match` within [start, end] (ms). */
  series(
    match: readonly string[],
    window: { start: number; end: number } | undefined,
    signal: AbortSignal,
  ): Promise<PromResult<Labels[]>>;
  labels(match: readonly string[] | undefined, signal: AbortSignal): Promise<PromResult<string[]>>;
  labelValues(
    label: string,
    match: readonly string[] | undefined,
    signal: AbortSignal,
  ): Promise<PromResult<string[]>>;
  alerts(signal: AbortSignal): Promise<PromResult<PromAlert[]>>;
  buildinfo(signal: AbortSignal): Promise<PromResult<BuildInfo>>;
}

/** What the source needs of the platform; fakes implement just this. */
export type PrometheusPort = Pick<Platform, 'prometheusRequest'>;

/** Unix seconds with ms precision, as the API takes them (`1715508000.123`). */
const seconds = (ms: number): string => (ms / 1000).toFixed(3).replace(/\.?0+$/, '');

export class PortPrometheusSource implements PrometheusSource {
  constructor(
    private readonly port: PrometheusPort,
    readonly connectionId: string,
    readonly answers?: AnswerLog,
    /** The time an answer is logged at (wall time: when the console got it). */
    private readonly now: () => number = () => Date.now(),
  ) {}

  instant(query: string, time: number | undefined, signal: AbortSignal) {
    const params: Array<[string, string]> = [['query', query]];
    if (time !== undefined) params.push(['time', seconds(time)]);
    return this.call({ endpoint: 'query', params }, signal, parseInstantResponse);
  }

  query(query: string, time: number | undefined, signal: AbortSignal) {
    const params: Array<[string, string]> = [['query', query]];
    if (time !== undefined) params.push(['time', seconds(time)]);
    return this.call({ endpoint: 'query', params }, signal, parseQueryResponse);
  }

  targets(signal: AbortSignal) {
    return this.call(
      { endpoint: 'targets', params: [['state', 'active']] },
      signal,
      parseTargetsResponse,
    );
  }

  range(query: string, p: RangeParams, signal: AbortSignal) {
    if (!(p.step > 0)) throw new RangeError(`step must be positive, got ${p.step}`);
    const params: Array<[string, string]> = [
      ['query', query],
      ['start', seconds(p.start)],
      ['end', seconds(p.end)],
      ['step', String(p.step)],
    ];
    return this.call({ endpoint: 'query_range', params }, signal, parseRangeResponse);
  }

  series(
    match: readonly string[],
    w: { start: number; end: number } | undefined,
    signal: AbortSignal,
  ) {
    if (match.length === 0) throw new RangeError('series needs at least one match[] selector');
    const params: Array<[string, string]> = match.map((m) => ['match[]', m]);
    if (w) params.push(['start', seconds(w.start)], ['end', seconds(w.end)]);
    return this.call({ endpoint: 'series', params }, signal, parseSeriesResponse);
  }

  labels(match: readonly string[] | undefined, signal: AbortSignal) {
    const params = (match ?? []).map((m): [string, string] => ['match[]', m]);
    return this.call({ endpoint: 'labels', params }, signal, parseStringListResponse);
  }

  labelValues(label: string, match: readonly string[] | undefined, signal: AbortSignal) {
    const params = (match ?? []).map((m): [string, string] => ['match[]', m]);
    return this.call({ endpoint: 'label_values', label, params }, signal, parseStringListResponse);
  }

  alerts(signal: AbortSignal) {
    return this.call({ endpoint: 'alerts', params: [] }, signal, parseAlertsResponse);
  }

  buildinfo(signal: AbortSignal) {
    return this.call({ endpoint: 'buildinfo', params: [] }, signal, parseBuildInfoResponse);
  }

  private async call<T>(
    request: PrometheusRequest,
    signal: AbortSignal,
    parse: (res: PrometheusHttpResponse) => PromResult<T>,
  ): Promise<PromResult<T>> {
    signal.throwIfAborted();
    // No answer at all rejects here with the host's own plain message (PrometheusTransportError:
    // "cannot reach Prometheus at http://…: connection refused"), or an AbortError.
    const res = await this.port.prometheusRequest(this.connectionId, request, signal);
    // An answer that raced the abort is dropped: its range is no longer the one on screen.
    signal.throwIfAborted();
    const parsed = parse(res);
    // Logged once it parsed: a snapshot keeps only what the screen could draw.
    this.answers?.record(request, res, this.now());
    return parsed;
  }
}

export function createPrometheusSource(
  port: PrometheusPort,
  connectionId: string,
): PrometheusSource {
  return new PortPrometheusSource(port, connectionId, new AnswerLog());
}
