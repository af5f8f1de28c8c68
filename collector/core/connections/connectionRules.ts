/**
 * What a connection's schema cannot say: URL schemes, at least one of NATS and Prometheus, a user
 * name exactly when user-password is chosen, the shape of NKey seeds and creds files, the
 * Prometheus part (prometheusRules.ts), the Eagle Eye mapping (mappingRules.ts). For a value that
 * passed the schema (validateConnection.ts with TypeBox, quickCheck.ts with the compiled check);
 * no TypeBox here, so a collector checks saved connections without loading it.
 */
import { mappingRules } from '../eagleEye/mappingRules.js';
import type { FieldError } from './fieldErrors.js';
import { checkPrometheusSecret, checkPrometheusSettings } from './prometheusRules.js';
import type { ConnectionInput } from './schema.js';

export type InputCheck = { ok: true; input: ConnectionInput } | { ok: false; errors: FieldError[] };

const WS_URL = /^wss?:\/\/[^\s/?#@]+(\/[^\s]*)?$/i;
/** A user seed: "SU" and 56 more base32 characters (https://docs.nats.io/using-nats/nats-tools/nk). */
const USER_SEED = /^SU[A-Z2-7]{56}$/;

/** The rules of a connection that passed its schema: the input trimmed, or the fields at fault. */
export function connectionRules(raw: ConnectionInput): InputCheck {
  const errors: FieldError[] = [];
  const input: ConnectionInput = { ...raw, name: raw.name.trim() };
  if (raw.natsUrl !== undefined) input.natsUrl = raw.natsUrl.trim();
  const fail = (field: string, message: string) => errors.push({ field, message });

  if (input.name === '') fail('name', 'must not be blank');
  if (input.natsUrl === undefined) {
    if (input.prometheus === undefined) {
      fail('natsUrl', 'is required unless a Prometheus URL is given (a connection needs one)');
    } else if (input.auth !== 'none') {
      fail('auth', 'NATS authentication needs a NATS URL: choose "none" or give the URL');
    }
  } else if (/^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(input.natsUrl)) {
    fail('natsUrl', 'must not hold credentials: use the authentication fields');
  } else if (!WS_URL.test(input.natsUrl)) {
    fail(
      'natsUrl',
      `must be a ws:// or wss:// URL such as wss://nats.example.com:443 (the console reaches NATS over WebSocket), got "${input.natsUrl.slice(0, 100)}"`,
    );
  }
  if (input.prometheus !== undefined) {
    const checked = checkPrometheusSettings(input.prometheus, 'prometheus');
    input.prometheus = checked.settings;
    errors.push(...checked.errors);
  }
  if (input.prometheusSecret !== undefined) {
    input.prometheusSecret = input.prometheusSecret.trim();
    errors.push(
      ...checkPrometheusSecret(input.prometheus, input.prometheusSecret, 'prometheusSecret'),
    );
  }
  if (input.auth === 'user-password' && input.user === undefined) {
    fail('user', 'is required for user-password authentication');
  }
  if (input.auth !== 'user-password' && input.user !== undefined) {
    fail('user', 'is only used with user-password authentication');
  }
  if (input.secret !== undefined) checkSecret(input, fail);
  if (input.eagleEye?.mapping !== undefined) {
    errors.push(...mappingRules(input.eagleEye.mapping, 'eagleEye.mapping'));
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, input };
}

function checkSecret(input: ConnectionInput, fail: (field: string, message: string) => void): void {
  const secret = input.secret ?? '';
  if (input.auth === 'none') {
    fail('secret', 'is not used without authentication (auth is "none")');
  } else if (input.auth === 'nkey' && !USER_SEED.test(secret.trim())) {
    fail('secret', 'must be an NKey user seed: "SU" followed by 56 letters A–Z and digits 2–7');
  } else if (
    input.auth === 'creds' &&
    !(secret.includes('BEGIN NATS USER JWT') && secret.includes('BEGIN USER NKEY SEED'))
  ) {
    fail('secret', 'must be a NATS creds file (a USER JWT block and a USER NKEY SEED block)');
  } else if (secret.trim() === '') {
    fail('secret', 'must not be blank');
  }
}
