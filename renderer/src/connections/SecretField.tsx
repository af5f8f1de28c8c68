/**
 * The secret of the chosen authentication: a masked input for a token, password or NKey seed; a
 * text area (or a file picked from disk) for a creds file. It is sent once, on save, and never
 * shown again: an edit leaves it empty, meaning "keep the stored one".
 */
import type { ChangeEvent } from 'react';

import { SECRET_NAME, type AuthKind } from '../../../collector/core/connections/schema.js';
import { describedBy, Field } from './Field.js';

const PLACEHOLDER: Partial<Record<AuthKind, string>> = {
  nkey: 'SU… (the user seed, not the public key)',
  creds: '-----BEGIN NATS USER JWT-----\n…\n-----BEGIN USER NKEY SEED-----\n…',
};

export function SecretField({
  auth,
  value,
  stored,
  error,
  onChange,
}: {
  auth: AuthKind;
  value: string;
  /** A secret for this auth is stored: empty keeps it. */
  stored: boolean;
  error?: string;
  onChange: (value: string) => void;
}) {
  const name = SECRET_NAME[auth];
  if (name === undefined) return null;
  const label = name.charAt(0).toUpperCase() + name.slice(1);
  const hint = stored ? `a ${name} is stored; leave empty to keep it` : undefined;
  const placeholder = stored ? '(stored)' : PLACEHOLDER[auth];
  const onFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    if (file) void file.text().then(onChange);
  };
  return (
    <Field id="conn-secret" label={label} hint={hint} error={error}>
      {auth === 'creds' ? (
        <>
          <textarea
            {...describedBy('conn-secret', error, hint !== undefined)}
            rows={4}
            spellCheck={false}
            autoComplete="off"
            placeholder={placeholder}
            value={value}
            onChange={(e) => onChange(e.target.value)}
          />
          <input
            type="file"
            className="file-input"
            aria-label="Read the creds file from disk"
            accept=".creds,text/plain"
            onChange={onFile}
          />
        </>
      ) : (
        <input
          {...describedBy('conn-secret', error, hint !== undefined)}
          type="password"
          autoComplete="off"
          spellCheck={false}
          placeholder={placeholder}
          value={value}
          onChange={(e) => onChange(e.target.value)}
        />
      )}
    </Field>
  );
}
