/**
 * The Prometheus part of the connection dialog: URL (with its path prefix), authentication, the
 * token or password (sent once on save, never shown again), extra headers such as a tenant id,
 * a custom CA, and a Test button that asks the server's build info through the host.
 */
import type { ChangeEvent } from 'react';

import {
  PROMETHEUS_SECRET_NAME,
  type ConnectionSummary,
  type PrometheusAuthKind,
} from '../../../collector/core/connections/schema.js';
import type { FormErrors } from './connectionForm.js';
import { describedBy, Field } from './Field.js';
import { keepsStoredPrometheusSecret, type PrometheusForm } from './prometheusForm.js';
import type { TestResult } from './testConnection.js';

const AUTH_LABEL: Record<PrometheusAuthKind, string> = {
  none: 'None',
  bearer: 'Bearer token',
  basic: 'Basic (user and password)',
};

export interface PrometheusTestState {
  running: boolean;
  result?: TestResult;
}

export function PrometheusFields({
  form,
  errors,
  editing,
  test,
  onChange,
  onTest,
}: {
  form: PrometheusForm;
  errors: FormErrors;
  editing?: ConnectionSummary;
  test: PrometheusTestState;
  onChange: (patch: Partial<PrometheusForm>) => void;
  onTest: () => void;
}) {
  const secretName = PROMETHEUS_SECRET_NAME[form.promAuth];
  const stored = keepsStoredPrometheusSecret({ ...form, promSecret: '' }, editing);
  const setHeader = (i: number, patch: Partial<{ name: string; value: string }>) =>
    onChange({ promHeaders: form.promHeaders.map((h, j) => (j === i ? { ...h, ...patch } : h)) });
  const onCaFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) void file.text().then((promCa) => onChange({ promCa }));
  };
  const enabled = form.prometheusUrl.trim() !== '';
  return (
    <fieldset className="field-group prometheus-group">
      <legend>Prometheus (the fleet without NATS, and history)</legend>
      <Field
        id="conn-prometheus"
        label="URL"
        hint="with its path prefix if any, e.g. https://mimir.example/prometheus; leave empty for none"
        error={errors.prometheusUrl}
      >
        <input
          {...describedBy('conn-prometheus', errors.prometheusUrl, true)}
          spellCheck={false}
          placeholder="https://prometheus.example.com"
          value={form.prometheusUrl}
          onChange={(e) => onChange({ prometheusUrl: e.target.value })}
        />
      </Field>
      {enabled ? (
        <>
          <div className="field-row">
            <Field id="conn-prom-auth" label="Authentication">
              <select
                id="conn-prom-auth"
                value={form.promAuth}
                onChange={(e) =>
                  onChange({ promAuth: e.target.value as PrometheusAuthKind, promSecret: '' })
                }
              >
                {Object.entries(AUTH_LABEL).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
            </Field>
            {form.promAuth === 'basic' ? (
              <Field id="conn-prom-user" label="User" error={errors.promUser}>
                <input
                  {...describedBy('conn-prom-user', errors.promUser)}
                  autoComplete="off"
                  spellCheck={false}
                  value={form.promUser}
                  onChange={(e) => onChange({ promUser: e.target.value })}
                />
              </Field>
            ) : null}
          </div>
          {secretName !== undefined ? (
            <Field
              id="conn-prom-secret"
              label={secretName.charAt(0).toUpperCase() + secretName.slice(1)}
              hint={stored ? `a ${secretName} is stored; leave empty to keep it` : undefined}
              error={errors.promSecret}
            >
              <input
                {...describedBy('conn-prom-secret', errors.promSecret, stored)}
                type="password"
                autoComplete="off"
                spellCheck={false}
                placeholder={stored ? '(stored)' : ''}
                value={form.promSecret}
                onChange={(e) => onChange({ promSecret: e.target.value })}
              />
            </Field>
          ) : null}
          <div className={errors.promHeaders ? 'field field-invalid' : 'field'}>
            <div className="field-label-row">
              <label>Extra headers</label>
              <button
                type="button"
                className="link-button"
                onClick={() =>
                  onChange({ promHeaders: [...form.promHeaders, { name: '', value: '' }] })
                }
              >
                Add header
              </button>
            </div>
            {form.promHeaders.map((h, i) => (
              <div className="header-row" key={i}>
                <input
                  aria-label={`Header ${i + 1} name`}
                  spellCheck={false}
                  placeholder="X-Scope-OrgID"
                  value={h.name}
                  onChange={(e) => setHeader(i, { name: e.target.value })}
                />
                <input
                  aria-label={`Header ${i + 1} value`}
                  spellCheck={false}
                  placeholder="tenant-1"
                  value={h.value}
                  onChange={(e) => setHeader(i, { value: e.target.value })}
                />
                <button
                  type="button"
                  className="icon-button"
                  aria-label={`Remove header ${i + 1}`}
                  title="Remove"
                  onClick={() =>
                    onChange({ promHeaders: form.promHeaders.filter((_, j) => j !== i) })
                  }
                >
                  ×
                </button>
              </div>
            ))}
            {form.promHeaders.length === 0 ? (
              <div className="field-hint">
                none; e.g. X-Scope-OrgID for a Mimir or Cortex tenant
              </div>
            ) : null}
            {errors.promHeaders ? (
              <div className="field-error" role="alert">
                {errors.promHeaders}
              </div>
            ) : null}
          </div>
          {/^https:/i.test(form.prometheusUrl.trim()) ? (
            <Field
              id="conn-prom-ca"
              label="Custom CA certificate (PEM, optional)"
              hint="trusted instead of the system's CAs for this server"
              error={errors.promCa}
            >
              <textarea
                {...describedBy('conn-prom-ca', errors.promCa, true)}
                rows={3}
                spellCheck={false}
                placeholder={'-----BEGIN CERTIFICATE-----\n…'}
                value={form.promCa}
                onChange={(e) => onChange({ promCa: e.target.value })}
              />
              <input
                type="file"
                className="file-input"
                aria-label="Read the CA certificate from disk"
                accept=".pem,.crt,.cer,text/plain"
                onChange={onCaFile}
              />
            </Field>
          ) : null}
          <Field
            id="conn-prom-node-label"
            label="Node label (optional)"
            hint="the label that names a series' machine, where Hostname, node, kubernetes_node or instance do not"
            error={errors.promNodeLabel}
          >
            <input
              {...describedBy('conn-prom-node-label', errors.promNodeLabel, true)}
              spellCheck={false}
              placeholder="e.g. host"
              value={form.promNodeLabel}
              onChange={(e) => onChange({ promNodeLabel: e.target.value })}
            />
          </Field>
          <div className="prometheus-test">
            <button type="button" className="button" disabled={test.running} onClick={onTest}>
              Test Prometheus
            </button>
            {test.running || test.result ? (
              <div
                className={`test-result ${test.running ? 'test-running' : test.result?.ok ? 'test-ok' : 'test-failed'}`}
                role="status"
                data-testid="prometheus-test-result"
              >
                {test.running ? 'Asking for its build info…' : test.result?.message}
              </div>
            ) : null}
          </div>
        </>
      ) : null}
    </fieldset>
  );
}
