/**
 * The latest Prometheus answers of a connection, raw, for a snapshot (RecordControls): what the
 * Latency view and the drawer asked and got, so the snapshot's Latency view works offline. One
 * entry per distinct request, the newest kept; bounded by count and by body size so an hour of
 * zooming cannot grow it without end (a 1 h latency screen is ~40 answers of ≤ 200 kB).
 */
import {
  requestKey,
  type PrometheusAnswer,
} from '../../../../collector/core/snapshot/prometheusAnswer.js';
import type {
  PrometheusHttpResponse,
  PrometheusRequest,
} from '../../../../collector/core/prometheus/request.js';

export interface AnswerLogLimits {
  maxAnswers: number;
  maxChars: number;
}

export const DEFAULT_ANSWER_LIMITS: AnswerLogLimits = {
  maxAnswers: 256,
  maxChars: 32 * 1024 * 1024,
};

export class AnswerLog {
  /** Insertion order is recency: a request answered again moves to the end. */
  private readonly byKey = new Map<string, PrometheusAnswer>();
  private chars = 0;

  constructor(private readonly limits: AnswerLogLimits = DEFAULT_ANSWER_LIMITS) {}

  /** Keeps a successful answer (status 2xx); errors are not what the screen showed. */
  record(request: PrometheusRequest, response: PrometheusHttpResponse, time: number): void {
    if (response.status < 200 || response.status > 299) return;
    if (response.body.length > this.limits.maxChars) return;
    const key = requestKey(request);
    this.drop(key);
    this.byKey.set(key, {
      request,
      status: response.status,
      contentType: response.contentType,
      body: response.body,
      time,
    });
    this.chars += response.body.length;
    for (const oldest of this.byKey.keys()) {
      if (this.byKey.size <= this.limits.maxAnswers && this.chars <= this.limits.maxChars) break;
      this.drop(oldest);
    }
  }

  /** Oldest first. */
  answers(): PrometheusAnswer[] {
    return [...this.byKey.values()];
  }

  private drop(key: string): void {
    const old = this.byKey.get(key);
    if (!old) return;
    this.chars -= old.body.length;
    this.byKey.delete(key);
  }
}
