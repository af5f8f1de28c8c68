/**
 * The Content-Security-Policy of the desktop window, set on every response by the main process so
 * it holds whatever the server sends. The page may talk to itself, to the embedded collector (its
 * HTTP API and its WebSocket stream), and over WebSocket to the NATS servers of the user's cluster
 * connections (ws:, wss:), which are added and tested at run time while a document's CSP is
 * fixed when it loads, so they cannot be listed here; no inline or remote script, no plugins, no
 * form submissions.
 */
type Headers = Record<string, string[]>;

/** The part of Electron's Session this module uses. */
export interface CspSession {
  webRequest: {
    onHeadersReceived(
      listener: (
        details: { responseHeaders?: Headers },
        callback: (response: { responseHeaders?: Headers }) => void,
      ) => void,
    ): void;
  };
}

/** `http://127.0.0.1:PORT`, checked so nothing else can end up inside the policy. */
function loopbackOrigin(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`collector URL must be http://127.0.0.1:PORT, got ${url}`);
  }
  const isOrigin = url === parsed.origin || url === `${parsed.origin}/`;
  if (!isOrigin || parsed.protocol !== 'http:' || parsed.hostname !== '127.0.0.1' || !parsed.port) {
    throw new Error(`collector URL must be http://127.0.0.1:PORT, got ${url}`);
  }
  return parsed;
}

export function buildCsp(collectorUrl: string): string {
  const { host } = loopbackOrigin(collectorUrl);
  return [
    "default-src 'self'",
    "script-src 'self'",
    // ECharts writes its tooltips as HTML with style="" attributes (the series colour marker, the
    // layout) through innerHTML; CSP blocks those without 'unsafe-inline'. Styles cannot run code,
    // and script-src above stays strict.
    "style-src 'self' 'unsafe-inline'",
    `connect-src 'self' http://${host} ws://${host} ws: wss:`,
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    // The console submits no forms; nothing injected may post one anywhere either.
    "form-action 'none'",
  ].join('; ');
}

/** Replaces any policy a response carries (header names are case-insensitive) with ours. */
export function withCsp(headers: Headers | undefined, policy: string): Headers {
  const out: Headers = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() !== 'content-security-policy') out[name] = value;
  }
  out['Content-Security-Policy'] = [policy];
  return out;
}

export function applyCsp(session: CspSession, collectorUrl: string): void {
  const policy = buildCsp(collectorUrl);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCsp(details.responseHeaders, policy) });
  });
}
