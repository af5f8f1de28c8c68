/** The fields of the connection dialog, controlled by the dialog's form state. */
import type { AuthKind, ConnectionSummary } from '../../../collector/core/connections/schema.js';
import { storedSecretApplies, type ConnectionForm, type FormErrors } from './connectionForm.js';
import { EagleEyeField } from './EagleEyeField.js';
import { describedBy, Field } from './Field.js';
import { PrometheusFields, type PrometheusTestState } from './PrometheusFields.js';
import { SecretField } from './SecretField.js';

const AUTH_LABEL: Record<AuthKind, string> = {
  none: 'None',
  token: 'Token',
  'user-password': 'User and password',
  nkey: 'NKey seed',
  creds: 'Creds file (JWT)',
};

export function ConnectionFields({
  form,
  errors,
  editing,
  prometheusTest,
  onChange,
  onTestPrometheus,
}: {
  form: ConnectionForm;
  errors: FormErrors;
  editing?: ConnectionSummary;
  prometheusTest: PrometheusTestState;
  onChange: (patch: Partial<ConnectionForm>) => void;
  onTestPrometheus: () => void;
}) {
  const text = (key: keyof ConnectionForm) => ({
    value: form[key] as string,
    onChange: (e: { target: { value: string } }) => onChange({ [key]: e.target.value }),
  });
  // The stored secret applies only to the URL and user it was saved with (secretScope.ts).
  const stored = storedSecretApplies(form, editing);
  return (
    <div className="form-grid">
      <Field id="conn-name" label="Name" error={errors.name}>
        <input {...describedBy('conn-name', errors.name)} autoFocus {...text('name')} />
      </Field>
      <Field
        id="conn-url"
        label="NATS WebSocket URL"
        hint="ws:// or wss:// — the server's websocket listener, not its nats:// port; leave empty for a Prometheus-only connection"
        error={errors.natsUrl}
      >
        <input
          {...describedBy('conn-url', errors.natsUrl, true)}
          spellCheck={false}
          placeholder="wss://nats.example.com:443"
          {...text('natsUrl')}
        />
      </Field>
      <Field id="conn-auth" label="Authentication" error={errors.auth}>
        <select
          {...describedBy('conn-auth', errors.auth)}
          value={form.auth}
          onChange={(e) => onChange({ auth: e.target.value as AuthKind, secret: '' })}
        >
          {Object.entries(AUTH_LABEL).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </Field>
      {form.auth === 'user-password' ? (
        <Field id="conn-user" label="User" error={errors.user}>
          <input
            {...describedBy('conn-user', errors.user)}
            autoComplete="off"
            spellCheck={false}
            {...text('user')}
          />
        </Field>
      ) : null}
      <SecretField
        auth={form.auth}
        value={form.secret}
        stored={stored}
        {...(errors.secret ? { error: errors.secret } : {})}
        onChange={(secret) => onChange({ secret })}
      />
      <fieldset className="field-group">
        <legend>Clusters</legend>
        <label className="check">
          <input
            type="radio"
            name="conn-clusters"
            checked={form.allClusters}
            onChange={() => onChange({ allClusters: true })}
          />
          All clusters on this server
        </label>
        <label className="check">
          <input
            type="radio"
            name="conn-clusters"
            checked={!form.allClusters}
            onChange={() => onChange({ allClusters: false })}
          />
          One cluster:
          <input
            className="inline-input"
            aria-label="Cluster name"
            aria-invalid={errors.cluster ? true : undefined}
            disabled={form.allClusters}
            spellCheck={false}
            placeholder="prod"
            {...text('cluster')}
          />
        </label>
        {errors.cluster ? (
          <div className="field-error" role="alert">
            {errors.cluster}
          </div>
        ) : null}
      </fieldset>
      <PrometheusFields
        form={form}
        errors={errors}
        {...(editing ? { editing } : {})}
        test={prometheusTest}
        onChange={onChange}
        onTest={onTestPrometheus}
      />
      <EagleEyeField
        enabled={form.eagleEye}
        mapping={form.mapping}
        {...(errors.mapping ? { error: errors.mapping } : {})}
        onEnabled={(eagleEye) => onChange({ eagleEye })}
        onMapping={(mapping) => onChange({ mapping })}
      />
    </div>
  );
}
