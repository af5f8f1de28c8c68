/**
 * The contract between the desktop window and the main process: the one object the preload
 * exposes as `window.osprey`, one named method per operation, and the IPC channel behind each.
 * Types only, plus the channel map: the sandboxed preload cannot load this file at run time, so it
 * repeats the channel strings and a unit test keeps the two equal.
 */
import type { FieldError } from '../../collector/core/connections/fieldErrors.js';
import type {
  ConnectionInput,
  ConnectionSummary,
  PrometheusTestInput,
} from '../../collector/core/connections/schema.js';
import type {
  PrometheusHttpResponse,
  PrometheusRequest,
} from '../../collector/core/prometheus/request.js';
import type {
  CapturedProfile,
  CaptureFailureKind,
  CaptureRequest,
} from '../../collector/core/protocol/profileCapture.js';

/** Where the embedded collector listens and the token its stream wants. */
export interface CollectorEndpoint {
  /** HTTP base URL, e.g. `http://127.0.0.1:41234` (no trailing slash). */
  url: string;
  token: string;
}

export interface AppInfo {
  version: string;
  /** Node's `process.platform` of the main process: `linux`, `darwin`, `win32`. */
  platform: string;
}

/**
 * A save's answer: the connection as stored, or the refusal with the fields at fault (the same
 * message and `errors` the web console's API answers with 400/404/500). A refusal is data, not a
 * rejection, because Electron passes only the message of a thrown error to the page.
 */
export type SaveConnectionResult =
  { ok: true; connection: ConnectionSummary } | { ok: false; error: string; errors: FieldError[] };

/**
 * A profile capture's answer: the profile, or the failure's kind and message (as data, like a
 * save's refusal: Electron passes only the message of a thrown error).
 */
export type CaptureProfileResult =
  { ok: true; profile: CapturedProfile } | { ok: false; kind: CaptureFailureKind; error: string };

export interface OspreyDesktopApi {
  getCollectorEndpoint(): Promise<CollectorEndpoint>;
  getAppInfo(): Promise<AppInfo>;
  /** Opens an http(s) URL in the system browser; the main process rejects anything else. */
  openExternal(url: string): Promise<void>;
  /** The saved cluster connections, without their secrets. */
  listConnections(): Promise<ConnectionSummary[]>;
  /**
   * Creates (no id) or updates a connection; the main process validates it and keeps the secret,
   * encrypted where the OS allows. An update without `secret` keeps the stored one.
   */
  saveConnection(input: ConnectionInput, id?: string): Promise<SaveConnectionResult>;
  removeConnection(id: string): Promise<void>;
  /** The connection's secret, asked for at connect time only; null when it needs none. */
  getConnectionSecret(id: string): Promise<string | null>;
  /**
   * One Prometheus call for a saved connection, made by the main process with the connection's
   * auth, headers and CA. Resolves with the answer untouched for any HTTP status; rejects when
   * there is no answer (the message names the URL and the cause) or when cancelled. `requestId`
   * (unique per call, e.g. crypto.randomUUID()) is what cancelPrometheusRequest names.
   */
  prometheusRequest(
    connectionId: string,
    request: PrometheusRequest,
    requestId: string,
  ): Promise<PrometheusHttpResponse>;
  /** Buildinfo with unsaved settings (the dialog's Test button); like prometheusRequest. */
  testPrometheus(input: PrometheusTestInput, requestId: string): Promise<PrometheusHttpResponse>;
  /** Aborts a prometheusRequest or testPrometheus still running; unknown ids are ignored. */
  cancelPrometheusRequest(requestId: string): Promise<void>;
  /**
   * The native Open dialog; resolves with the chosen file's name and bytes, null when cancelled.
   * Rejects (with the reason and `osprey serve --snapshot` as the way out) above 512 MB.
   */
  openFile(options?: OpenFileOptions): Promise<OpenedFileBytes | null>;
  /** The native Save dialog with `name` suggested; false when cancelled. */
  saveFile(name: string, bytes: Uint8Array): Promise<boolean>;
  /**
   * A CPU profile of a process on this machine, captured by the main process (py-spy for Python,
   * perf otherwise; collector/profiling). `requestId` is what cancelProfileCapture names.
   */
  captureProfile(request: CaptureRequest, requestId: string): Promise<CaptureProfileResult>;
  /** Cancels a capture still running (its tool is killed); unknown ids are ignored. */
  cancelProfileCapture(requestId: string): Promise<void>;
  /**
   * Hears the app menu's commands (File → Open Recording…); returns the unsubscribe. The one
   * message the main process sends the page unasked, on MENU_CHANNEL.
   */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
}

/** What the app menu asks of the page, by name. */
export const MENU_COMMANDS = ['open-recording'] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** Main → page: a menu command. The page checks it is one of MENU_COMMANDS. */
export const MENU_CHANNEL = 'osprey:menu-command';

export interface OpenFileOptions {
  title?: string;
  /** Extensions without the dot, e.g. `['mcap']`; "All files" is always offered too. */
  extensions?: string[];
}

export interface OpenedFileBytes {
  name: string;
  bytes: Uint8Array;
}

/** The page → main operations (invoke); onMenuCommand goes the other way. */
export type DesktopOperation = Exclude<keyof OspreyDesktopApi, 'onMenuCommand'>;

export const IPC_CHANNELS = {
  getCollectorEndpoint: 'osprey:get-collector-endpoint',
  getAppInfo: 'osprey:get-app-info',
  openExternal: 'osprey:open-external',
  listConnections: 'osprey:list-connections',
  saveConnection: 'osprey:save-connection',
  removeConnection: 'osprey:remove-connection',
  getConnectionSecret: 'osprey:get-connection-secret',
  prometheusRequest: 'osprey:prometheus-request',
  testPrometheus: 'osprey:test-prometheus',
  cancelPrometheusRequest: 'osprey:cancel-prometheus-request',
  openFile: 'osprey:open-file',
  saveFile: 'osprey:save-file',
  captureProfile: 'osprey:capture-profile',
  cancelProfileCapture: 'osprey:cancel-profile-capture',
} as const satisfies Record<DesktopOperation, string>;

declare global {
  interface Window {
    /** Present only inside the desktop shell; the web console runs without it. */
    readonly osprey?: OspreyDesktopApi;
  }
}
