/**
 * The services a host gives the console, written once: the saved cluster connections (validated,
 * with a message per bad field), their secrets (kept to the URL they were stored with:
 * core/connections/secretScope.ts) and the Prometheus calls made with those secrets, which never
 * reach the page. Two thin transports map requests to it: the web console's HTTP API
 * (collector/outputs/api) and the desktop's IPC (electron/main/ipc.ts). Each host injects where
 * the file lives and how secrets are sealed at rest (openHostServices.ts): a 0600 file in plain
 * text for `osprey serve`, Electron safeStorage for the desktop.
 *
 * Also the profile captures of this machine's processes (collector/profiling), for the same two
 * transports.
 *
 * Refusals are HostErrors (status + fields); "Prometheus gave no answer" is the one
 * PrometheusTransportError; an aborted call rejects with the signal's reason.
 */
import type { ConnectionStore } from '../core/connections/ConnectionStore.js';
import { describeFieldErrors } from '../core/connections/fieldErrors.js';
import type { ConnectionSummary } from '../core/connections/schema.js';
import {
  CaptureError,
  type CapturedProfile,
  type CaptureProgress,
} from '../core/protocol/profileCapture.js';
import { prometheusTestSecret } from '../core/connections/secretScope.js';
import { checkPrometheusRequest } from '../core/prometheus/checkRequest.js';
import type { PrometheusHttpResponse, PrometheusRequest } from '../core/prometheus/request.js';
import { captureAny } from '../profiling/engineCapture.js';
import type { ProfileCapturer } from '../profiling/ProfileCapturer.js';
import { fetchPrometheus, type PrometheusCall } from '../prometheusHttp/fetchPrometheus.js';
import { asHostError, badRequest, HostError } from './hostError.js';

export type FetchPrometheus = (call: PrometheusCall) => Promise<PrometheusHttpResponse>;

export interface ConnectionList {
  /** Without secrets (`hasSecret`, `hasPrometheusSecret` say whether one is stored). */
  connections: ConnectionSummary[];
  /** Entries of the file that were skipped, one line each naming entry and field. */
  problems: string[];
}

/** The same bound as a stored entry's id (core/connections/storeDocument.ts). */
const MAX_ID_CHARS = 256;
const BUILDINFO: PrometheusRequest = { endpoint: 'buildinfo', params: [] };

export class HostServices {
  constructor(
    private readonly store: ConnectionStore,
    private readonly fetch: FetchPrometheus = fetchPrometheus,
    /** Profiles of this machine's processes; absent where the host cannot run py-spy or perf. */
    private readonly capturer?: ProfileCapturer,
  ) {}

  /**
   * A profile of a process on this machine (collector/profiling): py-spy for Python, perf
   * otherwise, for `durationS` (≤ 60), progress about each second; `signal` cancels (the tool is
   * killed, its files removed). Rejects with a CaptureError whose message says what to do.
   */
  async captureProfile(
    input: unknown,
    opts: { signal?: AbortSignal; onProgress?: (progress: CaptureProgress) => void } = {},
  ): Promise<CapturedProfile> {
    if (!this.capturer) throw new CaptureError('failed', 'this host does not capture profiles');
    // By pid or by engine (resolved here to the process: profiling/engineCapture.ts).
    return captureAny(input, opts, { capturer: this.capturer });
  }

  async listConnections(): Promise<ConnectionList> {
    try {
      const connections = await this.store.list();
      return { connections, problems: await this.store.problems() };
    } catch (error) {
      return asHostError(error);
    }
  }

  /** Creates (no id) or replaces a connection; an update without `secret` keeps the stored one. */
  async saveConnection(input: unknown, id?: unknown): Promise<ConnectionSummary> {
    const saved =
      id === undefined ? this.store.create(input) : this.store.update(checkId(id), input);
    return saved.catch(asHostError);
  }

  async removeConnection(id: unknown): Promise<void> {
    return this.store.remove(checkId(id)).catch(asHostError);
  }

  /** The NATS secret, asked for at connect time only; null when the connection needs none. */
  async connectionSecret(id: unknown): Promise<string | null> {
    return this.store.secret(checkId(id)).catch(asHostError);
  }

  /** One Prometheus call for a saved connection, with its URL, auth, headers, CA and secret. */
  async prometheusRequest(
    id: unknown,
    value: unknown,
    signal?: AbortSignal,
  ): Promise<PrometheusHttpResponse> {
    let request: PrometheusRequest | undefined;
    badRequest(() => void (request = checkPrometheusRequest(value)));
    const target = await this.store.prometheus(checkId(id)).catch(asHostError);
    return this.fetch({
      settings: target.settings,
      secret: target.secret,
      request: request!,
      ...(signal ? { signal } : {}),
    });
  }

  /**
   * Buildinfo with settings not saved yet (the dialog's Test button). Without a typed secret, the
   * stored one of `connectionId`, but only for the exact URL and user it was stored with.
   */
  async testPrometheus(value: unknown, signal?: AbortSignal): Promise<PrometheusHttpResponse> {
    // TypeBox's schemas load on first use (ConnectionStore.ts says why).
    const { validatePrometheusTestInput } =
      await import('../core/connections/validatePrometheus.js');
    const check = validatePrometheusTestInput(value);
    if (!check.ok) throw new HostError(400, describeFieldErrors(check.errors), check.errors);
    const { settings, connectionId } = check.input;
    let secret = check.input.secret ?? null;
    if (secret === null && connectionId !== undefined && settings.auth !== 'none') {
      const stored = await this.store.prometheus(connectionId).catch(() => undefined);
      const use = prometheusTestSecret(stored, settings);
      if (!use.ok) {
        throw new HostError(400, use.message, [{ field: use.field, message: use.message }]);
      }
      secret = use.secret;
    }
    return this.fetch({ settings, secret, request: BUILDINFO, ...(signal ? { signal } : {}) });
  }
}

/** A connection id from the page: a short string, whatever the page claims. */
function checkId(id: unknown): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_CHARS) {
    throw new HostError(
      400,
      `connection id must be a string of 1–${MAX_ID_CHARS} characters, got ${typeof id === 'string' ? `${id.length} characters` : typeof id}`,
    );
  }
  return id;
}
