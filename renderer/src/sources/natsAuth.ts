/**
 * The NATS authenticator for a connection's kind of authentication and its secret (fetched from
 * the platform at connect time; never stored here). A missing secret is the user's to fix, so the
 * error says where.
 */
import {
  credsAuthenticator,
  nkeyAuthenticator,
  tokenAuthenticator,
  usernamePasswordAuthenticator,
  type Authenticator,
} from '@nats-io/nats-core';

import type { ConnectionConfig } from '../../../collector/core/connections/schema.js';
import { SECRET_NAME } from '../../../collector/core/connections/schema.js';

export function authenticatorFor(
  connection: Pick<ConnectionConfig, 'auth' | 'user' | 'name'>,
  secret: string | null,
): Authenticator | undefined {
  if (connection.auth === 'none') return undefined;
  if (secret === null || secret === '') {
    throw new Error(
      `no ${SECRET_NAME[connection.auth]} stored for "${connection.name}": edit the connection and enter it`,
    );
  }
  const bytes = (text: string) => new TextEncoder().encode(text);
  switch (connection.auth) {
    case 'token':
      return tokenAuthenticator(secret);
    case 'user-password':
      return usernamePasswordAuthenticator(connection.user ?? '', secret);
    case 'nkey':
      return nkeyAuthenticator(bytes(secret.trim()));
    case 'creds':
      return credsAuthenticator(bytes(secret));
  }
}

/** Whether retrying with the same credentials is pointless (the server refused them). */
export function isAuthFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const text = `${error.name} ${error.message} ${String((error as { cause?: unknown }).cause ?? '')}`;
  return /AuthorizationError|UserAuthenticationExpiredError|authorization violation|authentication expired/i.test(
    text,
  );
}
