/**
 * Add or edit a cluster connection: the fields, Test (connect and listen for a few seconds), Save,
 * and Remove for a saved one. Messages appear next to the field they name once the user tries to
 * save or test; the Eagle Eye mapping is checked as it is typed.
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';

import { validatePrometheusTestInput } from '../../../collector/core/connections/validatePrometheus.js';
import type {
  ConnectionInput,
  ConnectionSummary,
  PrometheusTestInput,
} from '../platform/Platform.js';
import { displayName } from '../lib/displayName.js';
import { ConnectionSaveError } from '../platform/Platform.js';
import { ConnectionFields } from './ConnectionFields.js';
import {
  emptyForm,
  formOf,
  hasNatsUrl,
  toInput,
  type ConnectionForm,
  type FormErrors,
} from './connectionForm.js';
import { prometheusFieldOf, prometheusSettingsOf } from './prometheusForm.js';
import type { PrometheusTestState } from './PrometheusFields.js';
import type { TestResult } from './testConnection.js';

export interface ConnectionDialogProps {
  /** The saved connection being edited; absent to add one. */
  editing?: ConnectionSummary;
  onSave(input: ConnectionInput): Promise<void>;
  onTest(input: ConnectionInput): Promise<TestResult>;
  /** Build info of the Prometheus as typed (secret: the typed one, else the stored one). */
  onTestPrometheus(input: PrometheusTestInput): Promise<TestResult>;
  onRemove?(): Promise<void>;
  onClose(): void;
}

type Busy = 'save' | 'test' | 'remove' | undefined;

export function ConnectionDialog({
  editing,
  onSave,
  onTest,
  onTestPrometheus,
  onRemove,
  onClose,
}: ConnectionDialogProps) {
  const [promTest, setPromTest] = useState<PrometheusTestState>({ running: false });
  const [promErrors, setPromErrors] = useState<FormErrors>({});
  const [form, setForm] = useState<ConnectionForm>(() => (editing ? formOf(editing) : emptyForm()));
  const [tried, setTried] = useState(false);
  const [busy, setBusy] = useState<Busy>();
  const [result, setResult] = useState<TestResult>();
  const [failure, setFailure] = useState<string>();
  const [serverErrors, setServerErrors] = useState<FormErrors>({});
  const [confirmRemove, setConfirmRemove] = useState(false);
  const checked = useMemo(() => toInput(form, editing), [form, editing]);
  const local = checked.ok ? {} : checked.errors;
  const errors: FormErrors = tried
    ? { ...serverErrors, ...local }
    : { ...promErrors, mapping: local.mapping };

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' && busy === undefined) onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [busy, onClose]);

  const change = (patch: Partial<ConnectionForm>) => {
    setForm((f) => ({ ...f, ...patch }));
    setServerErrors({});
    setPromErrors({});
    setResult(undefined);
    setPromTest((t) => (t.running ? t : { running: false }));
  };

  /** Tests the Prometheus fields alone: the rest of the form may still be unfinished. */
  const testPrometheus = () => {
    const settings = prometheusSettingsOf(form);
    if (!settings || promTest.running) return;
    const input: PrometheusTestInput = { settings };
    if (settings.auth !== 'none' && form.promSecret !== '') input.secret = form.promSecret;
    if (editing) input.connectionId = editing.id;
    const check = validatePrometheusTestInput(input);
    if (!check.ok) {
      const byField: FormErrors = {};
      for (const e of check.errors) {
        const at = prometheusFieldOf(
          e.field === 'secret' ? 'prometheusSecret' : e.field,
          e.message,
        );
        if (at) byField[at.key] ??= at.message;
      }
      setPromErrors(byField);
      return;
    }
    setPromTest({ running: true });
    void onTestPrometheus(check.input).then(
      (result) => setPromTest({ running: false, result }),
      (error: unknown) =>
        setPromTest({ running: false, result: { ok: false, message: (error as Error).message } }),
    );
  };

  const run = async (what: Exclude<Busy, undefined>, action: () => Promise<void>) => {
    setBusy(what);
    setFailure(undefined);
    try {
      await action();
    } catch (error) {
      if (error instanceof ConnectionSaveError && error.errors.length > 0) {
        const byField: FormErrors = {};
        for (const e of error.errors) {
          const prom = prometheusFieldOf(e.field, e.message);
          if (prom) {
            byField[prom.key] ??= prom.message;
            continue;
          }
          const top = e.field.split('.')[0] as keyof ConnectionForm;
          byField[top === ('eagleEye' as string) ? 'mapping' : top] ??= e.message;
        }
        setServerErrors(byField);
      }
      setFailure((error as Error).message);
    } finally {
      setBusy(undefined);
    }
  };

  const save = (event?: FormEvent) => {
    event?.preventDefault();
    setTried(true);
    if (!checked.ok || busy) return;
    void run('save', () => onSave(checked.input));
  };

  const test = () => {
    setTried(true);
    setResult(undefined);
    if (!checked.ok || busy) return;
    void run('test', async () => setResult(await onTest(checked.input)));
  };

  const title = editing ? `Edit ${displayName(editing.name)}` : 'Add a cluster connection';
  return (
    <div className="dialog-backdrop">
      <form
        className="dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby="conn-dialog-title"
        onSubmit={save}
        noValidate
      >
        <header className="dialog-header">
          <h2 id="conn-dialog-title">{title}</h2>
        </header>
        <div className="dialog-body">
          <ConnectionFields
            form={form}
            errors={errors}
            {...(editing ? { editing } : {})}
            prometheusTest={promTest}
            onChange={change}
            onTestPrometheus={testPrometheus}
          />
        </div>
        {result || busy === 'test' ? (
          <div
            className={`test-result ${busy === 'test' ? 'test-running' : result?.ok ? 'test-ok' : 'test-failed'}`}
            role="status"
            data-testid="test-result"
          >
            {busy === 'test' ? 'Testing: connecting and listening for 5 s…' : result?.message}
          </div>
        ) : null}
        {failure ? (
          <div className="dialog-failure" role="alert">
            {failure}
          </div>
        ) : null}
        <footer className="dialog-footer">
          {onRemove && !confirmRemove ? (
            <button
              type="button"
              className="button danger-text"
              onClick={() => setConfirmRemove(true)}
            >
              Remove
            </button>
          ) : null}
          {onRemove && confirmRemove ? (
            <span className="confirm">
              Remove “{displayName(editing?.name ?? '')}”?
              <button
                type="button"
                className="button danger"
                disabled={busy !== undefined}
                onClick={() => void run('remove', onRemove)}
              >
                Yes, remove
              </button>
              <button type="button" className="button" onClick={() => setConfirmRemove(false)}>
                Keep
              </button>
            </span>
          ) : null}
          <div className="spacer" />
          {hasNatsUrl(form) ? (
            <button type="button" className="button" disabled={busy !== undefined} onClick={test}>
              Test
            </button>
          ) : null}
          <button type="button" className="button" disabled={busy !== undefined} onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button primary" disabled={busy !== undefined}>
            {busy === 'save' ? 'Saving…' : 'Save'}
          </button>
        </footer>
      </form>
    </div>
  );
}
