/**
 * A cluster connection as the console, the local server (web) and the desktop main process all
 * see it: a NATS part (live, second-level), a Prometheus part (history), or both. The secrets
 * (NATS token, password, NKey seed or creds file; Prometheus bearer token or basic password) are
 * never part of these records: they travel only on save (and the NATS one on connect), and live
 * with whoever stores the connections. The Prometheus secret never reaches the renderer at all:
 * the host makes the HTTP calls (collector/prometheusHttp).
 *
 * `kind` is still the literal "nats" for every record, so files written before the Prometheus
 * part existed load unchanged; it names the record format, not which parts are present.
 */
import Type, { type Static } from 'typebox';

import { EagleEyeMapping } from '../eagleEye/mapping.js';
import { MAX_CA_CHARS, MAX_PROMETHEUS_HEADERS, MAX_SECRET_CHARS } from './names.js';

export {
  AUTH_KINDS,
  MAX_CA_CHARS,
  MAX_PROMETHEUS_HEADERS,
  MAX_SECRET_CHARS,
  PROMETHEUS_AUTH_KINDS,
  PROMETHEUS_SECRET_NAME,
  SECRET_NAME,
  type AuthKind,
  type PrometheusAuthKind,
} from './names.js';

// No minLength on names and URLs: blank ones get a clearer message from validateConnection.ts.
const Url = Type.String({ maxLength: 2048 });

export const EagleEyeOptions = Type.Object(
  {
    enabled: Type.Boolean(),
    /** Absent: DEFAULT_EAGLE_EYE_MAPPING. */
    mapping: Type.Optional(EagleEyeMapping),
  },
  { additionalProperties: false },
);

/** One extra request header, e.g. `X-Scope-OrgID: tenant-1` (Mimir, Cortex, Thanos tenants). */
export const PrometheusHeader = Type.Object(
  {
    name: Type.String({ maxLength: 256 }),
    value: Type.String({ maxLength: 8192 }),
  },
  { additionalProperties: false },
);

/**
 * Where Prometheus (or Thanos, VictoriaMetrics, Mimir…) answers, and how to authenticate. Extra
 * header values are stored and listed as plain settings: credentials belong in `auth`.
 */
export const PrometheusSettings = Type.Object(
  {
    /** `http(s)://host:port` plus an optional path prefix, e.g. `https://mimir.example/prometheus`. */
    url: Url,
    auth: Type.Union([Type.Literal('none'), Type.Literal('bearer'), Type.Literal('basic')]),
    /** The user name of basic authentication. */
    user: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    headers: Type.Optional(Type.Array(PrometheusHeader, { maxItems: MAX_PROMETHEUS_HEADERS })),
    /** PEM certificate(s) to trust for https, in addition to none: only these CAs are trusted. */
    ca: Type.Optional(Type.String({ maxLength: MAX_CA_CHARS })),
    /**
     * The label that names a series' node where the exporters' own (`Hostname`, `node`,
     * `kubernetes_node`, `instance`…; core/prometheus/exporters/labelRoles.ts) do not, e.g. a
     * label relabelling adds.
     */
    nodeLabel: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  },
  { additionalProperties: false },
);

/** The fields a user edits; everything but the id and the secrets. */
export const ConnectionFields = Type.Object(
  {
    name: Type.String({ maxLength: 100 }),
    kind: Type.Literal('nats'),
    /**
     * `ws://` or `wss://`: the console is a browser page, it reaches NATS over WebSocket. Absent:
     * a Prometheus-only connection (at least one of the two is required).
     */
    natsUrl: Type.Optional(Url),
    auth: Type.Union([
      Type.Literal('none'),
      Type.Literal('token'),
      Type.Literal('user-password'),
      Type.Literal('nkey'),
      Type.Literal('creds'),
    ]),
    /** The user name of user-password authentication. */
    user: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    /** One cluster's subjects; absent: every cluster on the server. */
    cluster: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
    /** History. Files from before this part hold `prometheusUrl` instead (storeDocument.ts). */
    prometheus: Type.Optional(PrometheusSettings),
    eagleEye: Type.Optional(EagleEyeOptions),
  },
  { additionalProperties: false },
);

const Secret = Type.String({ minLength: 1, maxLength: MAX_SECRET_CHARS });

/**
 * A save request: the fields plus the secrets; on update an absent secret keeps the stored one
 * (when its authentication kind is unchanged).
 */
export const ConnectionInput = Type.Object(
  {
    ...ConnectionFields.properties,
    secret: Type.Optional(Secret),
    /** The bearer token or basic password of `prometheus.auth`. */
    prometheusSecret: Type.Optional(Secret),
  },
  { additionalProperties: false },
);

/**
 * The connection dialog's Test button: settings not saved yet. Without `secret`, the stored
 * Prometheus secret of `connectionId` is used (editing a saved connection leaves it blank).
 */
export const PrometheusTestInput = Type.Object(
  {
    settings: PrometheusSettings,
    secret: Type.Optional(Secret),
    connectionId: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  },
  { additionalProperties: false },
);

export type PrometheusHeader = Static<typeof PrometheusHeader>;
export type PrometheusSettings = Static<typeof PrometheusSettings>;
export type PrometheusTestInput = Static<typeof PrometheusTestInput>;
export type EagleEyeOptions = Static<typeof EagleEyeOptions>;
export type ConnectionFields = Static<typeof ConnectionFields>;
export type ConnectionInput = Static<typeof ConnectionInput>;

export interface ConnectionConfig extends ConnectionFields {
  id: string;
}

/** What lists show: the record plus whether secrets are stored, never the secrets themselves. */
export interface ConnectionSummary extends ConnectionConfig {
  /** A NATS secret is stored. */
  hasSecret: boolean;
  /** A Prometheus bearer token or basic password is stored. */
  hasPrometheusSecret: boolean;
}
