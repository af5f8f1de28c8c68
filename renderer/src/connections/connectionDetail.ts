import type { ConnectionConfig } from '../../../collector/core/connections/schema.js';

/**
 * "nats.example.com:443 · prod": on which server (host and port, as typed), then which cluster; a
 * Prometheus-only connection names its Prometheus host ("prom.example.com · prod (Prometheus)"). The
 * server comes first because the sidebar cuts the line at ~28 characters: two connections to
 * different servers read "all clusters · 127.0.0…" alike when the cluster came first. The full
 * line is the entry's tooltip (Sidebar.tsx).
 */
export function connectionDetail(
  config: Pick<ConnectionConfig, 'cluster' | 'natsUrl' | 'prometheus'>,
): string {
  const url = config.natsUrl ?? config.prometheus?.url ?? '';
  const host = /^[a-z]+:\/\/([^/?#]+)/i.exec(url)?.[1] ?? url;
  const suffix = config.natsUrl === undefined ? ' (Prometheus)' : '';
  return `${host} · ${config.cluster ?? 'all clusters'}${suffix}`;
}
