/**
 * The port between the console and whatever hosts it. The desktop shell and a plain browser tab
 * reach the collector differently, and keep cluster connections in different places (the main
 * process, the local server); everything past this interface is the same.
 */
import type {
  ConnectionInput,
  ConnectionSummary,
  PrometheusTestInput,
} from '../../../collector/core/connections/schema.js';
import type {
  PrometheusHttpResponse,
  PrometheusRequest,
} from '../../../collector/core/prometheus/request.js';
import type {
  CapturedProfile,
  CaptureProgress,
  CaptureRequest,
} from '../../../collector/core/protocol/profileCapture.js';
import type { RandomAccessReadable } from '../../../collector/core/snapshot/RandomAccessReadable.js';
import type {
  CollectorEndpoint,
  MenuCommand,
  OpenFileOptions,
} from '../../../electron/common/api.js';

/**
 * Where the collector's stream is and the token it wants: one type with the desktop's IPC contract
 * (the web console builds the same from its own origin and `#token=`).
 */
export type {
  OpenFileOptions,
  CollectorEndpoint,
  ConnectionInput,
  ConnectionSummary,
  PrometheusHttpResponse,
  PrometheusRequest,
  PrometheusTestInput,
};

export interface Platform {
  readonly kind: 'desktop' | 'web';
  /** Rejects with a message the user can act on when there is no way to reach a collector. */
  getCollectorEndpoint(): Promise<CollectorEndpoint>;
  /** Saved cluster connections, without secrets (`hasSecret` says whether one is stored). */
  listConnections(): Promise<ConnectionSummary[]>;
  /**
   * Creates (no `id`) or replaces a connection. Rejects with a ConnectionSaveError naming the
   * fields at fault. An update without `secret` keeps the stored one.
   */
  saveConnection(input: ConnectionInput, id?: string): Promise<ConnectionSummary>;
  removeConnection(id: string): Promise<void>;
  /**
   * The secret to connect with (null: none needed). Asked for at connect time only; the caller
   * keeps it in memory for the life of that connection and never stores it.
   */
  getConnectionSecret(id: string): Promise<string | null>;
  /**
   * One Prometheus HTTP call for a saved connection, made by the host with the connection's URL,
   * auth, extra headers and CA. Resolves with the server's answer untouched for ANY HTTP status
   * (a 400 `bad_data`, a 503 `timeout`, a proxy's HTML 502 page alike). Rejects with a
   * PrometheusTransportError when there is no answer (refused, unknown host, TLS, timeout, no
   * Prometheus part on the connection, response too large), and with a DOMException named
   * "AbortError" when `signal` aborts (react-query cancels when the range changes).
   */
  prometheusRequest(
    connectionId: string,
    request: PrometheusRequest,
    signal?: AbortSignal,
  ): Promise<PrometheusHttpResponse>;
  /**
   * The dialog's Test button: `GET /api/v1/status/buildinfo` with settings that may not be saved
   * yet. Same resolution and rejections as prometheusRequest; the caller parses the answer.
   */
  testPrometheus(test: PrometheusTestInput, signal?: AbortSignal): Promise<PrometheusHttpResponse>;
  /**
   * Asks the user for a file (browser: a file input; desktop: the native dialog). Resolves with
   * the file, read in ranges, or null when the user cancelled.
   */
  openFile(options?: OpenFileOptions): Promise<OpenedFile | null>;
  /**
   * Hands `data` to the user as a file named `name` (browser: a download; desktop: the native
   * Save dialog). Resolves false when the user cancelled (the browser cannot tell: always true).
   */
  saveFile(name: string, data: Uint8Array | Blob): Promise<boolean>;
  /**
   * A file the host offers to open at start (`osprey serve --snapshot FILE`), or null. Rejects
   * when the host cannot be asked.
   */
  offeredFile(): Promise<OpenedFile | null>;
  /**
   * The app menu's commands until the returned function is called: desktop, its File menu
   * (File → Open Recording…, Ctrl/Cmd+O); web, the same shortcut (a page has no menu bar).
   */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
  /**
   * A CPU profile of a process on the host's machine (py-spy for Python, perf otherwise;
   * collector/profiling), `durationS` ≤ 60. `onProgress` about every second; aborting `signal`
   * cancels (the tool is killed, its files removed). Rejects with a CaptureError whose message says
   * what to do (install the tool, the sysctl or capability, the process exited).
   */
  captureProfile(
    request: CaptureRequest,
    call?: {
      signal?: AbortSignal | undefined;
      onProgress?: ((progress: CaptureProgress) => void) | undefined;
    },
  ): Promise<CapturedProfile>;
}

/** A file the user chose or dropped: its name and reads at any offset. */
export interface OpenedFile extends RandomAccessReadable {
  readonly name: string;
}

/**
 * No answer from Prometheus: the host's plain message, e.g. `cannot reach Prometheus at
 * http://127.0.0.1:9090: connection refused`. The one class the hosts throw too.
 */
export { PrometheusTransportError } from '../../../collector/core/prometheus/transportError.js';

/** A refused save, with the fields the host named (may be empty when it named none). */
export class ConnectionSaveError extends Error {
  constructor(
    message: string,
    readonly errors: ReadonlyArray<{ field: string; message: string }> = [],
  ) {
    super(message);
    this.name = 'ConnectionSaveError';
  }
}
