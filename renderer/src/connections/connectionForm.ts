/**
 * The connection dialog's state and its translation into a save request. Pure. Validation is the
 * core's (the same the local server and the main process run), so the dialog shows exactly the
 * messages a save would get, next to the field they name, before anything is sent.
 */
import { parseEagleEyeMapping } from '../../../collector/core/eagleEye/checkMapping.js';
import { DEFAULT_EAGLE_EYE_MAPPING } from '../../../collector/core/eagleEye/mapping.js';
import {
  SECRET_NAME,
  type AuthKind,
  type ConnectionInput,
  type ConnectionSummary,
} from '../../../collector/core/connections/schema.js';
import { sameSecretScope } from '../../../collector/core/connections/secretScope.js';
import { validateConnectionInput } from '../../../collector/core/connections/validateConnection.js';
import {
  emptyPrometheusForm,
  missingPrometheusSecret,
  prometheusFieldOf,
  prometheusFormOf,
  prometheusSettingsOf,
  type PrometheusForm,
} from './prometheusForm.js';

export interface ConnectionForm extends PrometheusForm {
  name: string;
  /** Blank (or just the scheme): a Prometheus-only connection. */
  natsUrl: string;
  auth: AuthKind;
  user: string;
  /** A newly entered secret; empty keeps the stored one (when there is one for this auth). */
  secret: string;
  allClusters: boolean;
  cluster: string;
  eagleEye: boolean;
  /** The Eagle Eye mapping as JSON text, as the user edits it. */
  mapping: string;
}

/** Field → message; keys are the form's fields (`mapping` for everything inside it). */
export type FormErrors = Partial<Record<keyof ConnectionForm, string>>;

export type FormResult = { ok: true; input: ConnectionInput } | { ok: false; errors: FormErrors };

export const DEFAULT_MAPPING_TEXT = JSON.stringify(DEFAULT_EAGLE_EYE_MAPPING, null, 2);

export function emptyForm(): ConnectionForm {
  return {
    name: '',
    natsUrl: 'wss://',
    auth: 'none',
    user: '',
    secret: '',
    allClusters: true,
    cluster: '',
    ...emptyPrometheusForm(),
    eagleEye: false,
    mapping: DEFAULT_MAPPING_TEXT,
  };
}

export function formOf(c: ConnectionSummary): ConnectionForm {
  return {
    name: c.name,
    natsUrl: c.natsUrl ?? '',
    auth: c.auth,
    user: c.user ?? '',
    secret: '',
    allClusters: c.cluster === undefined,
    cluster: c.cluster ?? '',
    ...prometheusFormOf(c),
    eagleEye: c.eagleEye?.enabled ?? false,
    mapping: c.eagleEye?.mapping
      ? JSON.stringify(c.eagleEye.mapping, null, 2)
      : DEFAULT_MAPPING_TEXT,
  };
}

/** False when the NATS URL is blank or just the prefilled scheme: a Prometheus-only connection. */
export function hasNatsUrl(form: Pick<ConnectionForm, 'natsUrl'>): boolean {
  return !/^\s*(wss?:\/\/)?\s*$/i.test(form.natsUrl);
}

/**
 * Whether the stored secret can stand in for an empty secret field: same authentication, and the
 * URL and user it was stored with (secretScope.ts; the server applies the same rule on save).
 */
export function keepsStoredSecret(form: ConnectionForm, editing?: ConnectionSummary): boolean {
  return form.secret === '' && storedSecretApplies(form, editing);
}

/** A secret is stored for this form's authentication, URL and user (the field may stay empty). */
export function storedSecretApplies(form: ConnectionForm, editing?: ConnectionSummary): boolean {
  if (editing?.hasSecret !== true || editing.auth !== form.auth) return false;
  const user = form.auth === 'user-password' ? form.user.trim() : '';
  return sameSecretScope(editing.natsUrl ?? '', form.natsUrl) && (editing.user ?? '') === user;
}

export function toInput(form: ConnectionForm, editing?: ConnectionSummary): FormResult {
  const errors: FormErrors = {};
  const input: ConnectionInput = { name: form.name, kind: 'nats', auth: form.auth };
  if (hasNatsUrl(form)) input.natsUrl = form.natsUrl;
  if (form.auth === 'user-password' && form.user.trim() !== '') input.user = form.user.trim();
  if (form.auth !== 'none' && form.secret !== '') input.secret = form.secret;
  if (!form.allClusters) {
    if (form.cluster.trim() === '') errors.cluster = 'name the cluster, or choose all clusters';
    else input.cluster = form.cluster.trim();
  }
  const prometheus = prometheusSettingsOf(form);
  if (prometheus) {
    input.prometheus = prometheus;
    if (prometheus.auth !== 'none' && form.promSecret !== '')
      input.prometheusSecret = form.promSecret;
  }
  const promSecret = missingPrometheusSecret(form, editing);
  if (promSecret !== undefined) errors.promSecret = promSecret;
  if (form.eagleEye) {
    const mapping = parseEagleEyeMapping(form.mapping, 'mapping');
    if (!mapping.ok) {
      errors.mapping = mapping.errors.map((e) => `${e.field}: ${e.message}`).join('\n');
    } else {
      const isDefault =
        JSON.stringify(mapping.mapping) === JSON.stringify(DEFAULT_EAGLE_EYE_MAPPING);
      input.eagleEye = isDefault ? { enabled: true } : { enabled: true, mapping: mapping.mapping };
    }
  } else if (editing?.eagleEye) {
    input.eagleEye = { enabled: false };
  }
  const name = SECRET_NAME[form.auth];
  if (name !== undefined && form.secret === '' && !keepsStoredSecret(form, editing)) {
    const elsewhere = editing?.hasSecret === true && editing.auth === form.auth;
    errors.secret = elsewhere
      ? `enter the ${name} again: the saved one is used only with the URL and user it was saved with`
      : `enter the ${name}`;
  }
  const check = validateConnectionInput(input);
  if (!check.ok) {
    for (const e of check.errors) {
      const prom = prometheusFieldOf(e.field, e.message);
      if (prom) {
        errors[prom.key] ??= prom.message;
        continue;
      }
      const top = e.field.split('.')[0] ?? e.field;
      const key = (top === 'eagleEye' ? 'mapping' : top) as keyof ConnectionForm;
      errors[key in form ? key : 'name'] ??=
        top === 'eagleEye' ? `${e.field}: ${e.message}` : e.message;
    }
  }
  if (Object.keys(errors).length > 0 || !check.ok) return { ok: false, errors };
  return { ok: true, input: check.input };
}
