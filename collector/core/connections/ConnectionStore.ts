/**
 * The saved cluster connections and their secrets, in one JSON document. Shared by the local
 * server (web console: a 0600 file in --config-dir) and the desktop main process (a 0600 file in
 * userData, secrets encrypted with Electron safeStorage): each injects how the file is read and
 * written and how secrets are sealed, so this logic stays pure and is tested with fakes.
 *
 * Operations run one at a time, each reading the latest document and writing the whole file back,
 * so two quick saves cannot lose one another. A file that cannot be understood is never
 * overwritten: every operation fails with a message naming it until the user fixes or removes it.
 * An entry that fails the save checks is skipped with a message (storeDocument.ts) and written
 * back unchanged by the next save.
 */
import { describeFieldErrors } from './fieldErrors.js';
import { PROMETHEUS_SECRET_NAME, SECRET_NAME } from './names.js';
import type {
  ConnectionFields,
  ConnectionInput,
  ConnectionSummary,
  PrometheusSettings,
} from './schema.js';
import {
  brokenFile,
  ConnectionStoreError,
  parseStoreDocument,
  type SkippedEntry,
  type StoreDocument,
  type StoredConnection,
  type LoadedDocument,
  type StoredSecret,
  Undecided,
} from './storeDocument.js';
import type { InputCheck } from './connectionRules.js';
import { quickConnectionCheck } from './quickCheck.js';
import { storedSecretFor, type SecretOwner } from './secretScope.js';

/**
 * Saved connections are checked by the compiled schema check and the rules (quickCheck.ts); TypeBox
 * (~20 MiB of RSS, BENCHMARKS.md "the local connection") loads only to name the fields of one that
 * fails its schema. So a collector whose saved connections are fine never loads it.
 */
let validator: Promise<(value: unknown) => InputCheck> | undefined;
const loadValidator = (): Promise<(value: unknown) => InputCheck> =>
  (validator ??= import('./validateConnection.js').then((m) => m.validateConnectionInput));

export { ConnectionStoreError };

export interface StoreFile {
  /** Where the document lives, for messages. */
  readonly path: string;
  /** The file's text, or undefined when there is none yet. */
  read(): Promise<string | undefined>;
  /** Replaces the file (atomically, readable by its owner only). */
  write(text: string): Promise<void>;
}

export interface SecretCipher {
  /** False: secrets are kept as plain text, protected only by the file's mode. */
  readonly encrypts: boolean;
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

export const PLAIN_TEXT: SecretCipher = {
  encrypts: false,
  encrypt: (plain) => plain,
  decrypt: (sealed) => sealed,
};

/** What the host needs to call a connection's Prometheus; never sent to the renderer. */
export interface PrometheusTarget {
  /** The connection's name, for messages. */
  name: string;
  settings: PrometheusSettings;
  /** The bearer token or basic password; null with auth "none". */
  secret: string | null;
}

export class ConnectionStore {
  private queue: Promise<unknown> = Promise.resolve();
  /** The entries the last load skipped; every save writes them back as they were. */
  private skipped: SkippedEntry[] = [];
  private readonly reported = new Set<string>();

  /**
   * `report` hears once about each entry of the file that was skipped (a hand edit that does not
   * pass the save checks): the local server writes it to stderr, the desktop to its log.
   */
  constructor(
    private readonly file: StoreFile,
    private readonly newId: () => string,
    private readonly cipher: SecretCipher = PLAIN_TEXT,
    private readonly report: (message: string) => void = () => undefined,
  ) {}

  list(): Promise<ConnectionSummary[]> {
    return this.run(async () => (await this.load()).connections.map(summary));
  }

  /** What is wrong with the entries the file holds but the store skips, one line each. */
  problems(): Promise<string[]> {
    return this.run(async () => {
      await this.load();
      return this.skipped.map((s) => s.message);
    });
  }

  create(value: unknown): Promise<ConnectionSummary> {
    return this.run(async () => {
      const doc = await this.load();
      const input = await checkInput(value);
      const entry: StoredConnection = { id: this.newId(), ...fieldsOf(input) };
      this.attachSecrets(entry, input, undefined);
      await this.save({ ...doc, connections: [...doc.connections, entry] });
      return summary(entry);
    });
  }

  /**
   * Replaces every field; a save without a secret keeps the stored one for the same auth, URL
   * and user (secretScope.ts).
   */
  update(id: string, value: unknown): Promise<ConnectionSummary> {
    return this.run(async () => {
      const doc = await this.load();
      const old = find(doc, id);
      const input = await checkInput(value);
      const entry: StoredConnection = { id, ...fieldsOf(input) };
      this.attachSecrets(entry, input, old);
      await this.save({
        ...doc,
        connections: doc.connections.map((c) => (c.id === id ? entry : c)),
      });
      return summary(entry);
    });
  }

  remove(id: string): Promise<void> {
    return this.run(async () => {
      const doc = await this.load();
      find(doc, id);
      await this.save({ ...doc, connections: doc.connections.filter((c) => c.id !== id) });
    });
  }

  /** The NATS secret to connect with; null when the connection needs none. */
  secret(id: string): Promise<string | null> {
    return this.run(async () => {
      const entry = find(await this.load(), id);
      if (!entry.secret) return null;
      return this.open(entry.secret, SECRET_NAME[entry.secret.auth] ?? 'secret', entry.name);
    });
  }

  /**
   * The Prometheus part of a connection with its secret, for the host's HTTP calls only (the
   * renderer never sees this secret). 404 without such a connection, 400 without a Prometheus URL.
   */
  prometheus(id: string): Promise<PrometheusTarget> {
    return this.run(async () => {
      const entry = find(await this.load(), id);
      if (entry.prometheus === undefined) {
        throw new ConnectionStoreError(400, `connection "${entry.name}" has no Prometheus URL`);
      }
      const stored = entry.prometheusSecret;
      const secret =
        stored && stored.auth === entry.prometheus.auth
          ? this.open(stored, `Prometheus ${PROMETHEUS_SECRET_NAME[stored.auth]}`, entry.name)
          : null;
      return { name: entry.name, settings: entry.prometheus, secret };
    });
  }

  private open(stored: StoredSecret<string>, what: string, name: string): string {
    if (!stored.encrypted) return stored.value;
    if (!this.cipher.encrypts) {
      throw new ConnectionStoreError(
        500,
        `the ${what} of "${name}" was encrypted with the system keyring, which is not available now: unlock it, or edit the connection and enter the secret again`,
      );
    }
    try {
      return this.cipher.decrypt(stored.value);
    } catch (error) {
      throw new ConnectionStoreError(
        500,
        `cannot decrypt the ${what} of "${name}" (${(error as Error).message}): edit the connection and enter it again`,
      );
    }
  }

  private attachSecrets(
    entry: StoredConnection,
    input: ConnectionInput,
    old: StoredConnection | undefined,
  ): void {
    const nats = this.secretFor(
      { url: input.natsUrl ?? '', auth: input.auth, user: input.user },
      SECRET_NAME[input.auth],
      input.auth === 'creds' ? input.secret : input.secret?.trim(),
      old?.secret && { url: old.natsUrl ?? '', user: old.user, stored: old.secret },
      'secret',
    );
    if (nats) entry.secret = nats;
    const auth = input.prometheus?.auth ?? 'none';
    const prometheus = this.secretFor(
      { url: input.prometheus?.url ?? '', auth, user: input.prometheus?.user },
      PROMETHEUS_SECRET_NAME[auth],
      input.prometheusSecret?.trim(),
      old?.prometheusSecret && {
        url: old.prometheus?.url ?? '',
        user: old.prometheus?.user,
        stored: old.prometheusSecret,
      },
      'prometheusSecret',
    );
    if (prometheus) entry.prometheusSecret = prometheus;
  }

  /**
   * The secret to store: the one typed, else the stored one, but only for the URL (and user) it
   * was stored with (secretScope.ts): a save cannot move a secret to another server either.
   */
  private secretFor<A extends string>(
    wanted: SecretOwner & { auth: A },
    name: string | undefined,
    value: string | undefined,
    old: { url: string; user: string | undefined; stored: StoredSecret<A> } | undefined,
    field: string,
  ): StoredSecret<A> | undefined {
    if (name === undefined) return undefined;
    const { auth } = wanted;
    if (value !== undefined) {
      return this.cipher.encrypts
        ? { auth, encrypted: true, value: this.cipher.encrypt(value) }
        : { auth, encrypted: false, value };
    }
    const owner = old && {
      url: old.url,
      user: old.user,
      auth: old.stored.auth,
      secret: old.stored,
    };
    const use = storedSecretFor(owner, wanted, { name, field, action: 'use it with' });
    if (use.ok && use.secret !== null) return use.secret;
    const error = {
      field,
      message: use.ok ? `the ${name} is required for ${auth} authentication` : use.message,
    };
    throw new ConnectionStoreError(400, describeFieldErrors([error]), [error]);
  }

  private run<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.queue.then(operation);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async load(): Promise<StoreDocument> {
    let text: string | undefined;
    try {
      text = await this.file.read();
    } catch (error) {
      throw brokenFile(this.file.path, `cannot be read: ${(error as Error).message}`);
    }
    let loaded: LoadedDocument;
    try {
      loaded = parseStoreDocument(text, this.file.path, quickConnectionCheck);
    } catch (error) {
      if (!(error instanceof Undecided)) throw error;
      loaded = parseStoreDocument(text, this.file.path, await loadValidator());
    }
    const { doc, skipped } = loaded;
    this.skipped = skipped;
    for (const { message } of skipped) {
      if (this.reported.has(message)) continue;
      this.reported.add(message);
      this.report(`${message}; skipped (the file is left as it is: fix the entry or remove it)`);
    }
    return doc;
  }

  private async save(doc: StoreDocument): Promise<void> {
    // Skipped entries go back in, unchanged, after the good ones: a save never loses what the
    // user wrote by hand, even where it does not pass.
    const connections = [...doc.connections, ...this.skipped.map((s) => s.raw)];
    try {
      await this.file.write(`${JSON.stringify({ ...doc, connections }, null, 2)}\n`);
    } catch (error) {
      throw new ConnectionStoreError(
        500,
        `cannot write ${this.file.path}: ${(error as Error).message}`,
      );
    }
  }
}

async function checkInput(value: unknown): Promise<ConnectionInput> {
  const check = quickConnectionCheck(value) ?? (await loadValidator())(value);
  if (!check.ok) {
    throw new ConnectionStoreError(400, describeFieldErrors(check.errors), check.errors);
  }
  return check.input;
}

function fieldsOf(input: ConnectionInput): ConnectionFields {
  const { secret: _secret, prometheusSecret: _prometheusSecret, ...fields } = input;
  return fields;
}

function find(doc: StoreDocument, id: string): StoredConnection {
  const entry = doc.connections.find((c) => c.id === id);
  if (!entry) throw new ConnectionStoreError(404, `no connection with id "${id}"`);
  return entry;
}

function summary(entry: StoredConnection): ConnectionSummary {
  const { secret, prometheusSecret, ...config } = entry;
  return {
    ...config,
    hasSecret: secret !== undefined,
    hasPrometheusSecret: prometheusSecret !== undefined,
  };
}
