/** The latency view of a connection without Prometheus: what it needs and where to add it. */
export function NoPrometheus({ onEdit }: { onEdit?: () => void }) {
  return (
    <div className="latency-message" data-testid="latency-no-prometheus">
      <strong>Latency history needs a Prometheus</strong>
      <span>
        Request-stage latencies (queue, prefill, decode), TTFT, inter-token and end-to-end
        percentiles come from the engines’ histograms stored in Prometheus, Thanos, VictoriaMetrics
        or Mimir. Add its URL (with a path prefix, auth and extra headers if it needs them) to this
        connection, and the view fills in.
      </span>
      {onEdit ? (
        <div>
          <button type="button" className="button" onClick={onEdit}>
            Add a Prometheus URL
          </button>
        </div>
      ) : null}
    </div>
  );
}
