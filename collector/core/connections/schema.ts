/**
 * A cluster connection as the console, the local server (web) and the desktop main process all
 * see it. The secret (token, password, NKey seed or creds file) is never part of these records:
 * it travels only on save and on connect, and lives with whoever stores the connections.
 */
import Type, { type Static } from 'typebox';

import { EagleEyeMapping } from '../eagleEye/mapping.js';

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

/** The fields a user edits; everything but the id and the secret. */
export const ConnectionFields = Type.Object(
  {
    name: Type.String({ maxLength: 100 }),
    kind: Type.Literal('nats'),
    /** `ws://` or `wss://`: the console is a browser page, it reaches NATS over WebSocket. */
    natsUrl: Url,
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
    /** Kept for Prometheus history (next issue); unused by the live view. */
    prometheusUrl: Type.Optional(Url),
    eagleEye: Type.Optional(EagleEyeOptions),
  },
  { additionalProperties: false },
);

/** A save request: the fields plus the secret; on update an absent secret keeps the stored one. */
export const ConnectionInput = Type.Object(
  {
    ...ConnectionFields.properties,
    secret: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_SECRET_CHARS })),
  },
  { additionalProperties: false },
);

export type EagleEyeOptions = Static<typeof EagleEyeOptions>;
export type ConnectionFields = Static<typeof ConnectionFields>;
export type ConnectionInput = Static<typeof ConnectionInput>;

export interface ConnectionConfig extends ConnectionFields {
  id: string;
}

/** What lists show: the record plus whether a secret is stored, never the secret itself. */
export interface ConnectionSummary extends ConnectionConfig {
  hasSecret: boolean;
}
