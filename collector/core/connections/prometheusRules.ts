/**
 * What the schema cannot say about a connection's Prometheus part: the URL is http(s) with at
 * most a path prefix, basic auth has a user, extra headers are ones a proxy may legitimately
 * want (not hop-by-hop, not the ones the host sets itself), and a custom CA looks like PEM
 * certificates. Shared by saves (connectionRules.ts) and the dialog's unsaved Test
 * (validatePrometheus.ts). No TypeBox here: a collector checks saved connections without it.
 */
import type { FieldError } from './fieldErrors.js';
import type { PrometheusSettings } from './schema.js';

const HTTP_URL = /^https?:\/\/[^\s/?#@]+(\/[^\s?#]*)?$/i;
/** RFC 9110 §5.6.2 token characters. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Control characters other than tab would split or corrupt the header (RFC 9110 §5.5). */
const headerValueBad = (value: string): boolean =>
  [...value].some((c) => {
    const code = c.charCodeAt(0);
    return (code < 0x20 && code !== 0x09) || code === 0x7f;
  });

/**
 * Hop-by-hop headers (RFC 9110 §7.6.1) belong to one connection, not the request; the rest are
 * set by the host from other settings (auth, URL, body) and would conflict.
 */
const REFUSED_HEADERS: Record<string, string> = {
  connection: 'is a hop-by-hop header',
  'keep-alive': 'is a hop-by-hop header',
  'proxy-connection': 'is a hop-by-hop header',
  'proxy-authenticate': 'is a hop-by-hop header',
  'proxy-authorization': 'is a hop-by-hop header',
  te: 'is a hop-by-hop header',
  trailer: 'is a hop-by-hop header',
  'transfer-encoding': 'is a hop-by-hop header',
  upgrade: 'is a hop-by-hop header',
  authorization: 'is set from the authentication fields: choose bearer or basic there',
  host: 'is set from the URL',
  'content-length': 'is set by the request itself',
};

const PEM_CERT = /-----BEGIN CERTIFICATE-----\s+[A-Za-z0-9+/=\s]+-----END CERTIFICATE-----/;

/** The settings trimmed, with errors named `<prefix>.url`, `<prefix>.headers.1.name`, … */
export function checkPrometheusSettings(
  raw: PrometheusSettings,
  prefix: string,
): { settings: PrometheusSettings; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const fail = (field: string, message: string) =>
    errors.push({ field: `${prefix}.${field}`, message });
  const settings: PrometheusSettings = { ...raw, url: raw.url.trim() };
  if (raw.headers !== undefined) {
    settings.headers = raw.headers.map((h) => ({ name: h.name.trim(), value: h.value.trim() }));
  }

  if (settings.nodeLabel !== undefined) {
    settings.nodeLabel = settings.nodeLabel.trim();
    // A Prometheus 2.x label name (contracts §6.3); the fleet's queries never quote one.
    if (!/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(settings.nodeLabel)) {
      fail(
        'nodeLabel',
        `must be a label name (letters, digits, _; not starting with a digit), got "${settings.nodeLabel.slice(0, 100)}"`,
      );
    }
  }
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(settings.url)) {
    fail('url', 'must not hold credentials: use the authentication fields');
  } else if (!HTTP_URL.test(settings.url)) {
    fail(
      'url',
      `must be an http:// or https:// URL with an optional path prefix such as https://mimir.example/prometheus (no ?query or #fragment), got "${settings.url.slice(0, 100)}"`,
    );
  }
  if (settings.auth === 'basic' && settings.user === undefined) {
    fail('user', 'is required for basic authentication');
  }
  if (settings.auth !== 'basic' && settings.user !== undefined) {
    fail('user', 'is only used with basic authentication');
  }
  if (settings.user?.includes(':')) fail('user', 'must not contain ":" (RFC 7617)');
  checkHeaders(settings, fail);
  if (settings.ca !== undefined) checkCa(settings, fail);
  return { settings, errors };
}

/** The Prometheus secret against the chosen authentication; `field` names it in errors. */
export function checkPrometheusSecret(
  settings: PrometheusSettings | undefined,
  secret: string,
  field: string,
): FieldError[] {
  if (settings === undefined) return [{ field, message: 'is not used without a Prometheus URL' }];
  if (settings.auth === 'none') {
    return [{ field, message: 'is not used without authentication (auth is "none")' }];
  }
  if (secret.trim() === '') return [{ field, message: 'must not be blank' }];
  if (/[\r\n]/.test(secret.trim())) return [{ field, message: 'must be one line' }];
  return [];
}

function checkHeaders(
  settings: PrometheusSettings,
  fail: (field: string, message: string) => void,
): void {
  const seen = new Set<string>();
  settings.headers?.forEach(({ name, value }, i) => {
    const lower = name.toLowerCase();
    if (!HEADER_NAME.test(name)) {
      fail(`headers.${i}.name`, `"${name.slice(0, 60)}" is not a valid header name`);
    } else if (REFUSED_HEADERS[lower] !== undefined) {
      fail(`headers.${i}.name`, `${name} ${REFUSED_HEADERS[lower]}`);
    } else if (seen.has(lower)) {
      fail(`headers.${i}.name`, `${name} is given twice`);
    }
    seen.add(lower);
    if (headerValueBad(value)) {
      fail(`headers.${i}.value`, 'must be one line without control characters');
    }
  });
}

function checkCa(settings: PrometheusSettings, fail: (field: string, message: string) => void) {
  const ca = settings.ca ?? '';
  if (/PRIVATE KEY-----/.test(ca)) {
    fail('ca', 'holds a private key: paste only the CA certificate (never a key)');
  } else if (!PEM_CERT.test(ca)) {
    fail(
      'ca',
      'must be PEM certificate text (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)',
    );
  } else if (!/^https:/i.test(settings.url)) {
    fail('ca', 'is only used with an https:// URL');
  }
}
