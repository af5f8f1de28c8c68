/** The headers of one Prometheus call: auth from the connection's settings, then its extras. */
import type { PrometheusSettings } from '../core/connections/schema.js';

export function requestHeaders(
  settings: PrometheusSettings,
  secret: string | null,
): Record<string, string> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    // Range answers are JSON with long runs of repeated label sets: gzip cuts them ~10×.
    'accept-encoding': 'gzip',
    'user-agent': 'osprey-console',
  };
  // Extra headers come first so that validation-bypassing records still cannot replace auth.
  for (const { name, value } of settings.headers ?? []) headers[name.toLowerCase()] = value;
  if (settings.auth === 'bearer' && secret !== null) {
    headers.authorization = `Bearer ${secret}`;
  } else if (settings.auth === 'basic' && secret !== null) {
    const pair = Buffer.from(`${settings.user ?? ''}:${secret}`, 'utf8').toString('base64');
    headers.authorization = `Basic ${pair}`;
  }
  return headers;
}

/** `scheme://host[:port]/path` without user info, query or fragment: safe for messages. */
export function displayUrl(url: string | URL): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return String(url)
      .replace(/\/\/[^/@]*@/, '//')
      .split(/[?#]/)[0]!;
  }
}
