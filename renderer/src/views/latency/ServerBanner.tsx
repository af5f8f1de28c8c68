/** One banner for a failure of the whole server: its words once, and a Retry. */
export interface ServerBannerProps {
  message: string;
  onRetry: () => void;
}

export function ServerBanner({ message, onRetry }: ServerBannerProps) {
  return (
    <div className="latency-banner" role="alert" data-testid="latency-server-error">
      <strong>Prometheus did not answer</strong>
      <span>{message}</span>
      <button type="button" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}
