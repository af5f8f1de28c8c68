/**
 * The dialog's Test button: connect with what the form says, listen for a few seconds, and say
 * what happened in one line ("connected, 37 nodes seen in 5 s", or the connection's own error).
 * It uses a real source, so the test exercises the same authentication, subscription and decoding
 * as the connection will; the source is stopped before the answer is given.
 */
import {
  SECRET_NAME,
  type ConnectionConfig,
  type ConnectionInput,
  type ConnectionSummary,
} from '../../../collector/core/connections/schema.js';
import { natsTestSecret } from '../../../collector/core/connections/secretScope.js';
import type { SecretProvider } from '../sources/NatsSource.js';
import type { Source } from '../sources/Source.js';

export interface TestResult {
  ok: boolean;
  message: string;
}

export interface TestOptions {
  /** How long to listen once connected (ms). */
  listenMs?: number;
  /** How long the connection may take before the test gives up (ms). */
  connectMs?: number;
  createSource: (
    config: ConnectionConfig,
    secret: SecretProvider | string | null,
  ) => Source & {
    readonly subject?: string;
  };
  sleep?: (ms: number) => Promise<void>;
}

/**
 * The secret a Test connects with: the one typed, else the stored one of the connection being
 * edited, but only for the URL and user it was stored with (core/connections/secretScope.ts);
 * with another URL the stored secret is not even fetched, and the answer says to type it again.
 */
export function testSecret(
  input: ConnectionInput,
  editing: ConnectionSummary | undefined,
  stored: (id: string) => SecretProvider,
): { ok: true; secret: SecretProvider | string | null } | { ok: false; message: string } {
  if (input.secret !== undefined) return { ok: true, secret: input.secret };
  if (editing === undefined) return { ok: true, secret: null };
  const use = natsTestSecret(editing, input, SECRET_NAME[input.auth] ?? 'secret');
  if (!use.ok) return { ok: false, message: use.message };
  return { ok: true, secret: use.secret === null ? null : stored(editing.id) };
}

const realSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function testConnection(
  config: ConnectionConfig,
  secret: SecretProvider | string | null,
  opts: TestOptions,
): Promise<TestResult> {
  const listenMs = opts.listenMs ?? 5000;
  const connectMs = opts.connectMs ?? 10_000;
  const sleep = opts.sleep ?? realSleep;
  const source = opts.createSource(config, secret);
  const nodes = new Set<string>();
  source.subscribe((batch) => {
    for (const m of batch.messages) nodes.add(`${m.cluster}\u0000${m.node}`);
  });
  try {
    source.start();
    const connected = await waitForAnswer(source, connectMs, sleep);
    if (connected !== 'live') {
      const { message } = source.status.presence;
      return {
        ok: false,
        message:
          connected === 'timeout'
            ? `no answer from ${config.natsUrl} in ${Math.round(connectMs / 1000)} s`
            : (message ?? 'the connection failed'),
      };
    }
    await sleep(listenMs);
    const { presence, problems } = source.status;
    const seconds = `${Math.round(listenMs / 1000)} s`;
    const where = source.subject ?? 'its subjects';
    let message =
      nodes.size > 0
        ? `connected, ${nodes.size} ${nodes.size === 1 ? 'node' : 'nodes'} seen in ${seconds}`
        : `connected, but nothing arrived on ${where} in ${seconds}`;
    const dropped = problems.reduce((n, p) => n + p.count, 0);
    if (dropped > 0) message += `; ${dropped} problems, e.g. ${problems[0]!.message}`;
    if (presence.state !== 'live') message += `; then: ${presence.message ?? presence.state}`;
    return { ok: presence.state === 'live', message };
  } finally {
    source.stop();
  }
}

/** Resolves with 'live', 'failed' (error or a failed first attempt) or 'timeout'. */
async function waitForAnswer(
  source: Source,
  timeoutMs: number,
  sleep: (ms: number) => Promise<void>,
): Promise<'live' | 'failed' | 'timeout'> {
  const settled = (): 'live' | 'failed' | undefined => {
    const { state, attemptFailed } = source.status.presence;
    if (state === 'live') return 'live';
    if (state === 'error' || state === 'reconnecting' || state === 'closed') return 'failed';
    if (attemptFailed === true) return 'failed';
    return undefined;
  };
  let unsubscribe: (() => void) | undefined;
  const answer = new Promise<'live' | 'failed'>((resolve) => {
    const check = () => {
      const s = settled();
      if (s) resolve(s);
    };
    unsubscribe = source.subscribeStatus(check);
    check();
  });
  const result = await Promise.race([answer, sleep(timeoutMs).then(() => 'timeout' as const)]);
  unsubscribe?.();
  return result;
}
