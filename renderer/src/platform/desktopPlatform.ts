/**
 * The console inside the desktop shell: the preload's `window.osprey` knows where the embedded
 * collector listens. This module is the only place that touches that global.
 */
import type { OspreyDesktopApi } from '../../../electron/common/api.js';
import { CaptureError } from '../../../collector/core/protocol/profileCapture.js';
import { bytesReadable } from '../../../collector/core/snapshot/RandomAccessReadable.js';
import {
  ConnectionSaveError,
  PrometheusTransportError,
  type Platform,
  type PrometheusHttpResponse,
} from './Platform.js';

/** The preload's API, when this page runs inside the desktop shell. */
export function desktopApi(): OspreyDesktopApi | undefined {
  return (globalThis as { osprey?: OspreyDesktopApi }).osprey;
}

export function createDesktopPlatform(
  api: OspreyDesktopApi,
  newRequestId: () => string = () => crypto.randomUUID(),
): Platform {
  /**
   * IPC cannot carry an AbortSignal: each call gets an id, and an abort rejects here at once
   * (AbortError) and asks the main process to abort the HTTP call with that id.
   */
  const cancellable = (
    signal: AbortSignal | undefined,
    start: (requestId: string) => Promise<PrometheusHttpResponse>,
  ): Promise<PrometheusHttpResponse> => {
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const requestId = newRequestId();
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        reject(abortError(signal));
        void api.cancelPrometheusRequest(requestId).catch(() => undefined);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      start(requestId).then(
        (answer) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(answer);
        },
        (error: unknown) => {
          signal?.removeEventListener('abort', onAbort);
          reject(new PrometheusTransportError(ipcMessage(error)));
        },
      );
    });
  };
  return {
    kind: 'desktop',
    getCollectorEndpoint: () => api.getCollectorEndpoint(),
    listConnections: () => unwrap(api.listConnections()),
    saveConnection: async (input, id) => {
      let result: Awaited<ReturnType<OspreyDesktopApi['saveConnection']>>;
      try {
        result = await api.saveConnection(input, id);
      } catch (error) {
        throw new ConnectionSaveError(ipcMessage(error));
      }
      // The fields at fault, as the web console's API names them (electron/common/api.ts).
      if (!result.ok) throw new ConnectionSaveError(result.error, result.errors);
      return result.connection;
    },
    removeConnection: (id) => unwrap(api.removeConnection(id)),
    getConnectionSecret: (id) => unwrap(api.getConnectionSecret(id)),
    prometheusRequest: (id, request, signal) =>
      cancellable(signal, (requestId) => api.prometheusRequest(id, request, requestId)),
    testPrometheus: (input, signal) =>
      cancellable(signal, (requestId) => api.testPrometheus(input, requestId)),
    // The main process sends the whole file (≤ 512 MB, electron/main/fileDialogs.ts).
    openFile: async (options) => {
      const opened = await unwrap(api.openFile(options));
      return opened && { name: opened.name, ...bytesReadable(opened.bytes) };
    },
    // IPC has one answer per call: progress is the page's own count of seconds since asking.
    captureProfile: async (request, call = {}) => {
      const { signal, onProgress } = call;
      if (signal?.aborted) throw new CaptureError('cancelled', 'the capture was cancelled');
      const requestId = newRequestId();
      const started = Date.now();
      const tick = () => {
        const elapsedS = Math.round((Date.now() - started) / 1000);
        const phase = elapsedS < request.durationS ? 'recording' : 'processing';
        onProgress?.({ elapsedS, durationS: request.durationS, phase });
      };
      tick();
      const timer = setInterval(tick, 1000);
      const onAbort = () => void api.cancelProfileCapture(requestId).catch(() => undefined);
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        const result = await unwrap(api.captureProfile(request, requestId));
        if (!result.ok) throw new CaptureError(result.kind, result.error);
        return result.profile;
      } finally {
        clearInterval(timer);
        signal?.removeEventListener('abort', onAbort);
      }
    },
    // `npm start -- FILE` opens a file through the web console (electron/launch.ts), not here.
    offeredFile: async () => null,
    onMenuCommand: (listener) => api.onMenuCommand(listener),
    saveFile: async (name, data) =>
      unwrap(
        api.saveFile(
          name,
          data instanceof Uint8Array ? data : new Uint8Array(await data.arrayBuffer()),
        ),
      ),
  };
}

function abortError(signal: AbortSignal | undefined): unknown {
  const reason: unknown = signal?.reason;
  return reason instanceof Error && reason.name === 'AbortError'
    ? reason
    : new DOMException('the Prometheus request was cancelled', 'AbortError');
}

/**
 * Electron wraps a main-process error as "Error invoking remote method 'osprey:…': Error: <what>";
 * the user needs only <what>.
 */
export function ipcMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^Error invoking remote method '[^']*': (\w*Error: )?/, '');
}

async function unwrap<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    throw new Error(ipcMessage(error));
  }
}
