/**
 * A stored secret belongs to the URL it was stored with: the exact origin (scheme, host, port)
 * AND path prefix. It is used for that URL only; a test or a save with another URL needs the
 * secret typed again. Without this rule, anyone who may call the Test button (or edit the URL and
 * keep the stored secret) could send a saved Prometheus token, or a NATS password, to a server of
 * their choosing (issue 10). One rule for every host: the Prometheus Test of the host services
 * (collector/hostServices/HostServices.ts, behind both the web console's API and the desktop's
 * IPC), the store's "keep the stored secret" on save
 * (ConnectionStore.ts) and the NATS Test button (renderer/src/connections/useClusterNav.tsx).
 *
 * Pure string work (the core has no URL class): the comparison is deliberately strict. Two URLs
 * share a scope only when they are the same after lower-casing scheme and host, dropping the
 * scheme's default port and trailing slashes. Anything a URL parser might read differently
 * (dot segments, backslashes, percent-escapes, a trailing dot on the host) makes them differ,
 * which costs at most a retyped secret, never a leaked one.
 */

const DEFAULT_PORT: Record<string, string> = { http: '80', https: '443', ws: '80', wss: '443' };
const URL_PARTS = /^([a-z][a-z0-9+.-]*):\/\/([^/?#]*)(.*)$/is;

/** `https://prom.a:9090/prom` for messages and comparison, or undefined when not a URL at all. */
export function secretScope(url: string): string | undefined {
  const parts = URL_PARTS.exec(url.trim());
  if (!parts) return undefined;
  const scheme = parts[1]!.toLowerCase();
  let authority = parts[2]!.toLowerCase();
  // Credentials in the URL are refused by the validators; a scope with them matches nothing.
  if (authority === '' || authority.includes('@')) return undefined;
  const port = /:(\d+)$/.exec(authority);
  if (port && port[1] === DEFAULT_PORT[scheme]) authority = authority.slice(0, port.index);
  const rest = parts[3]!.replace(/\/+$/, '');
  return `${scheme}://${authority}${rest}`;
}

/** True when a secret stored with `storedUrl` may be sent to `url`. */
export function sameSecretScope(storedUrl: string, url: string): boolean {
  const a = secretScope(storedUrl);
  return a !== undefined && a === secretScope(url);
}

/** What a stored secret was saved for. */
export interface SecretOwner {
  url: string;
  auth: string;
  /** The user name the password goes with (basic / user-password auth). */
  user?: string | undefined;
}

export type StoredSecretUse<S> =
  { ok: true; secret: S | null } | { ok: false; field: string; message: string };

/**
 * Whether a caller who typed no secret may use the stored one for `wanted`. `stored` undefined or
 * without a secret, or another kind of authentication: no secret (null), as before this rule.
 * Same kind but another URL (or, with a password, another user name): refused with a message
 * that says where the secret belongs and what to do, e.g. "the saved bearer token belongs to
 * https://prom.a:9090/prom; type it again to test another URL".
 */
export function storedSecretFor<S>(
  stored: (SecretOwner & { secret: S | null }) | undefined,
  wanted: SecretOwner,
  what: { name: string; field: string; action: string },
): StoredSecretUse<S> {
  if (stored === undefined || stored.secret === null || stored.auth !== wanted.auth) {
    return { ok: true, secret: null };
  }
  const scope = secretScope(stored.url) ?? stored.url.slice(0, 200);
  if (!sameSecretScope(stored.url, wanted.url)) {
    return {
      ok: false,
      field: what.field,
      message: `the saved ${what.name} belongs to ${scope}; type it again to ${what.action} another URL`,
    };
  }
  if ((stored.user ?? '') !== (wanted.user ?? '')) {
    return {
      ok: false,
      field: what.field,
      message: `the saved ${what.name} belongs to user "${(stored.user ?? '').slice(0, 100)}" at ${scope}; type it again to ${what.action} another user name`,
    };
  }
  return { ok: true, secret: stored.secret };
}

/** The Prometheus part of a saved connection, as ConnectionStore.prometheus gives it. */
interface PrometheusOwner {
  settings: { url: string; auth: string; user?: string | undefined };
  secret: string | null;
}

/**
 * The secret for an unsaved Prometheus Test that typed none: the stored one of the connection
 * being edited, only for the URL (and user) it was stored with. Field `secret` is the test
 * input's (PrometheusTestInput).
 */
export function prometheusTestSecret(
  stored: PrometheusOwner | undefined,
  settings: SecretOwner,
): StoredSecretUse<string> {
  const owner = stored && { ...stored.settings, secret: stored.secret };
  const name = settings.auth === 'basic' ? 'password' : 'bearer token';
  return storedSecretFor(owner, settings, { name, field: 'secret', action: 'test' });
}

/** What the NATS Test needs of the connection being edited and of the form. */
interface NatsOwner {
  natsUrl?: string | undefined;
  auth: string;
  user?: string | undefined;
}

/**
 * Whether the NATS Test of an edited connection, with no secret typed, may fetch and use the
 * stored one: only for the URL and user it was stored with. `stored` is what the list says
 * (a secret exists or not); the secret itself is fetched only after this says yes.
 */
export function natsTestSecret(
  stored: (NatsOwner & { hasSecret: boolean }) | undefined,
  wanted: NatsOwner,
  secretName: string,
): StoredSecretUse<true> {
  const owner = stored && {
    url: stored.natsUrl ?? '',
    auth: stored.auth,
    user: stored.user,
    secret: stored.hasSecret ? (true as const) : null,
  };
  return storedSecretFor(
    owner,
    { url: wanted.natsUrl ?? '', auth: wanted.auth, user: wanted.user },
    { name: secretName, field: 'secret', action: 'test' },
  );
}
