/**
 * A snapshot's Prometheus: the answers the console got while recording (AnswerLog), answered again
 * through the same PortPrometheusSource and parsers as a live server, so the Latency view reads a
 * file exactly as it reads a server. A request asked again answers as it did; a range query for
 * another window answers with the recorded window of that query closest to it (the chart's axis is
 * the asked window); a query never asked while recording rejects, saying so.
 */
import type {
  PrometheusHttpResponse,
  PrometheusRequest,
} from '../../../../collector/core/prometheus/request.js';
import {
  requestKey,
  requestParam,
  type PrometheusAnswer,
} from '../../../../collector/core/snapshot/prometheusAnswer.js';
import {
  PortPrometheusSource,
  type PrometheusPort,
  type PrometheusSource,
} from './PrometheusSource.js';

/** Parameters that place a request in time; without them two requests ask the same thing. */
const TIME_PARAMS = new Set(['start', 'end', 'step', 'time']);

const shape = (r: PrometheusRequest): string =>
  requestKey({ ...r, params: r.params.filter(([k]) => !TIME_PARAMS.has(k)) });

const seconds = (r: PrometheusRequest, name: string): number | undefined => {
  const v = Number(requestParam(r, name));
  return Number.isFinite(v) ? v : undefined;
};

/**
 * How well an answer's window matches the asked one: overlap over union (1 = the same window). A
 * 1 h answer holds a 5 min window too, but at a 1 h step; the 5 min answer is the one that was drawn.
 */
function fit(asked: PrometheusRequest, answer: PrometheusAnswer): number {
  const a0 = seconds(asked, 'start');
  const a1 = seconds(asked, 'end');
  const b0 = seconds(answer.request, 'start');
  const b1 = seconds(answer.request, 'end');
  if (a0 === undefined || a1 === undefined || b0 === undefined || b1 === undefined) return 0;
  const union = Math.max(a1, b1) - Math.min(a0, b0);
  return union > 0 ? Math.max(0, Math.min(a1, b1) - Math.max(a0, b0)) / union : 0;
}

export function recordedPrometheusPort(
  answers: readonly PrometheusAnswer[],
  fileName: string,
): PrometheusPort {
  const exact = new Map<string, PrometheusAnswer>();
  const byShape = new Map<string, PrometheusAnswer[]>();
  for (const a of answers) {
    exact.set(requestKey(a.request), a);
    const s = shape(a.request);
    byShape.set(s, [...(byShape.get(s) ?? []), a]);
  }
  const respond = (a: PrometheusAnswer): PrometheusHttpResponse => ({
    status: a.status,
    contentType: a.contentType,
    body: a.body,
    url: `${fileName} (recorded ${a.request.endpoint})`,
  });
  return {
    prometheusRequest: (_connectionId, request, signal) => {
      signal?.throwIfAborted();
      const same = exact.get(requestKey(request));
      if (same) return Promise.resolve(respond(same));
      const candidates = byShape.get(shape(request)) ?? [];
      // The closest window first, then the newest answer.
      const best = candidates.reduce<PrometheusAnswer | undefined>((b, a) => {
        if (!b) return a;
        const d = fit(request, a) - fit(request, b);
        return d > 0 || (d === 0 && a.time > b.time) ? a : b;
      }, undefined);
      if (best) return Promise.resolve(respond(best));
      const what = requestParam(request, 'query') ?? request.label ?? request.endpoint;
      return Promise.reject(
        new Error(
          `${fileName} holds no Prometheus answer for ${what}: a snapshot keeps what the console ` +
            'asked while recording',
        ),
      );
    },
  };
}

export function recordedPrometheusSource(
  answers: readonly PrometheusAnswer[],
  fileName: string,
): PrometheusSource {
  return new PortPrometheusSource(
    recordedPrometheusPort(answers, fileName),
    `recording:${fileName}`,
  );
}
