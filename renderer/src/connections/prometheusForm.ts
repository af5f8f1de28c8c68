/**
 * The Prometheus part of the connection dialog: its form fields, and their translation into the
 * connection's `prometheus` settings and secret. Pure; validation stays the core's
 * (validatePrometheus.ts), whose field names `prometheus.url`, `prometheus.headers.2.name`, …
 * are mapped back onto these fields here.
 */
import { sameSecretScope } from '../../../collector/core/connections/secretScope.js';
import {
  PROMETHEUS_SECRET_NAME,
  type ConnectionSummary,
  type PrometheusAuthKind,
  type PrometheusSettings,
} from '../../../collector/core/connections/schema.js';

export interface PrometheusForm {
  /** Blank: no Prometheus part. */
  prometheusUrl: string;
  promAuth: PrometheusAuthKind;
  promUser: string;
  /** A newly entered token or password; empty keeps the stored one for the same auth. */
  promSecret: string;
  promHeaders: Array<{ name: string; value: string }>;
  promCa: string;
  /** A label naming the node, when the exporters' own do not; blank: the built-in table. */
  promNodeLabel: string;
}

export function emptyPrometheusForm(): PrometheusForm {
  return {
    prometheusUrl: '',
    promAuth: 'none',
    promUser: '',
    promSecret: '',
    promHeaders: [],
    promCa: '',
    promNodeLabel: '',
  };
}

export function prometheusFormOf(c: ConnectionSummary): PrometheusForm {
  const p = c.prometheus;
  if (p === undefined) return emptyPrometheusForm();
  return {
    prometheusUrl: p.url,
    promAuth: p.auth,
    promUser: p.user ?? '',
    promSecret: '',
    promHeaders: (p.headers ?? []).map((h) => ({ ...h })),
    promCa: p.ca ?? '',
    promNodeLabel: p.nodeLabel ?? '',
  };
}

/**
 * Whether the stored Prometheus secret can stand in for an empty secret field: same
 * authentication, URL and user (secretScope.ts; the server applies the same rule).
 */
export function keepsStoredPrometheusSecret(
  form: PrometheusForm,
  editing?: ConnectionSummary,
): boolean {
  const stored = editing?.prometheus;
  const user = form.promAuth === 'basic' ? form.promUser.trim() : '';
  return (
    form.promSecret === '' &&
    editing?.hasPrometheusSecret === true &&
    stored?.auth === form.promAuth &&
    sameSecretScope(stored.url, form.prometheusUrl) &&
    (stored.user ?? '') === user
  );
}

/** The settings the form describes (unchecked), or undefined when the URL is blank. */
export function prometheusSettingsOf(form: PrometheusForm): PrometheusSettings | undefined {
  if (form.prometheusUrl.trim() === '') return undefined;
  const settings: PrometheusSettings = { url: form.prometheusUrl.trim(), auth: form.promAuth };
  if (form.promAuth === 'basic' && form.promUser.trim() !== '')
    settings.user = form.promUser.trim();
  // Rows left entirely blank are an unfinished "Add header", not an error.
  const headers = form.promHeaders.filter((h) => h.name.trim() !== '' || h.value.trim() !== '');
  if (headers.length > 0) settings.headers = headers;
  if (form.promCa.trim() !== '') settings.ca = form.promCa.trim();
  if (form.promNodeLabel.trim() !== '') settings.nodeLabel = form.promNodeLabel.trim();
  return settings;
}

/** A missing secret, named for the form (`enter the bearer token`), or undefined. */
export function missingPrometheusSecret(
  form: PrometheusForm,
  editing?: ConnectionSummary,
): string | undefined {
  if (form.prometheusUrl.trim() === '') return undefined;
  const name = PROMETHEUS_SECRET_NAME[form.promAuth];
  if (name === undefined || form.promSecret !== '') return undefined;
  if (keepsStoredPrometheusSecret(form, editing)) return undefined;
  const elsewhere =
    editing?.hasPrometheusSecret === true && editing.prometheus?.auth === form.promAuth;
  return elsewhere
    ? `enter the ${name} again: the saved one is used only with the URL and user it was saved with`
    : `enter the ${name}`;
}

/**
 * The form field a core error belongs to: `prometheus.url` → prometheusUrl,
 * `prometheus.headers.1.name` → promHeaders (message prefixed "header 2: "), … Undefined for
 * fields outside the Prometheus part.
 */
export function prometheusFieldOf(
  field: string,
  message: string,
): { key: keyof PrometheusForm; message: string } | undefined {
  if (field === 'prometheusSecret') return { key: 'promSecret', message };
  const [top, sub, index] = field.split('.');
  if (top !== 'prometheus' && top !== 'settings') return undefined;
  switch (sub) {
    case 'url':
      return { key: 'prometheusUrl', message };
    case 'user':
      return { key: 'promUser', message };
    case 'ca':
      return { key: 'promCa', message };
    case 'nodeLabel':
      return { key: 'promNodeLabel', message };
    case 'headers':
      return {
        key: 'promHeaders',
        message: index === undefined ? message : `header ${Number(index) + 1}: ${message}`,
      };
    default:
      return { key: 'prometheusUrl', message: `${field}: ${message}` };
  }
}
