/**
 * Node's reasons for "Prometheus gave no answer" in plain words. The error itself is the one
 * class every side shares (core/prometheus/transportError.ts).
 */
export {
  cannotReachPrometheus,
  PrometheusTransportError,
} from '../core/prometheus/transportError.js';

/** Socket-level codes (libuv / getaddrinfo) in plain words. */
const NET: Record<string, string> = {
  ECONNREFUSED: 'connection refused (is it running, and on this port?)',
  ECONNRESET: 'the connection was reset',
  EPIPE: 'the connection was closed while sending',
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'host name lookup failed for now (DNS)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'the connection timed out',
  ECONNABORTED: 'the connection was aborted',
  HPE_INVALID_CONSTANT: 'the answer is not HTTP',
  HPE_INVALID_HEADER_TOKEN: 'the answer is not valid HTTP',
};

/** OpenSSL verification codes Node reports (https://nodejs.org/api/tls.html, X509 errors). */
const UNTRUSTED = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
]);

/** The cause of a failed request in plain words, with Node's code where it helps a search. */
export function describeCause(error: unknown): string {
  const e = error as NodeJS.ErrnoException & { reason?: string };
  const code = e?.code ?? '';
  if (NET[code]) return NET[code];
  if (UNTRUSTED.has(code)) {
    return `TLS certificate not trusted (${code}): add the server's CA certificate in the connection's Prometheus settings`;
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return `TLS certificate does not match the host name (${e.reason ?? e.message})`;
  }
  if (code === 'CERT_HAS_EXPIRED') return 'TLS certificate expired';
  if (code === 'CERT_NOT_YET_VALID') return 'TLS certificate not yet valid (check the clock)';
  if (code === 'EPROTO' || code.startsWith('ERR_SSL_')) {
    const wrongVersion = /wrong version number|packet length too long/i.test(e.message ?? '');
    return wrongVersion
      ? 'TLS handshake failed: the server does not speak https on this port (try http://)'
      : `TLS handshake failed (${e.message})`;
  }
  return code ? `${e.message} (${code})` : String(e?.message ?? error);
}
