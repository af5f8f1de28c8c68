/**
 * The connection record's names and bounds as plain values, apart from its TypeBox schema
 * (schema.ts): the host's connection store needs these at start, the schema only when it
 * validates, and TypeBox is ~20 MiB of the collector's RSS (BENCHMARKS.md, "the local
 * connection").
 */

export const AUTH_KINDS = ['none', 'token', 'user-password', 'nkey', 'creds'] as const;
export type AuthKind = (typeof AUTH_KINDS)[number];

/** What the secret of each kind of authentication is, for forms and error messages. */
export const SECRET_NAME: Record<AuthKind, string | undefined> = {
  none: undefined,
  token: 'token',
  'user-password': 'password',
  nkey: 'NKey seed',
  creds: 'creds file',
};

/** A creds file is two PEM-like blocks of about 1 KB; nothing legitimate comes near this. */
export const MAX_SECRET_CHARS = 64 * 1024;

export const PROMETHEUS_AUTH_KINDS = ['none', 'bearer', 'basic'] as const;
export type PrometheusAuthKind = (typeof PROMETHEUS_AUTH_KINDS)[number];

export const PROMETHEUS_SECRET_NAME: Record<PrometheusAuthKind, string | undefined> = {
  none: undefined,
  bearer: 'bearer token',
  basic: 'password',
};

/** A PEM bundle of a few CAs is ~2 KB each; 256 KB holds a corporate bundle with room to spare. */
export const MAX_CA_CHARS = 256 * 1024;
export const MAX_PROMETHEUS_HEADERS = 32;
