/**
 * The main side of window.osprey: one handler per operation, each behind the same check that the
 * call comes from a frame showing our app. A frame that navigated elsewhere (or is gone) gets a
 * refusal, not data: the collector token must not reach any other origin.
 *
 * A thin transport, like the web console's HTTP API (collector/outputs/api): both call the same
 * host services (collector/hostServices). A refused save answers with its message and the fields
 * at fault as data (`{ ok: false, error, errors }`), because Electron passes only the message of
 * a thrown error to the page.
 */
import {
  IPC_CHANNELS,
  type AppInfo,
  type CollectorEndpoint,
  type DesktopOperation,
  type OspreyDesktopApi,
} from '../common/api.js';
import { CaptureError } from '../../collector/core/protocol/profileCapture.js';
import { HostError } from '../../collector/hostServices/hostError.js';
import type { HostServices } from '../../collector/hostServices/HostServices.js';
import { checkExternalUrl } from './externalUrl.js';
import type { FileDialogs } from './fileDialogs.js';
import { InFlightCalls } from './InFlightCalls.js';
import { isAppUrl } from './navigation.js';

/** The part of Electron's IpcMainInvokeEvent this module uses. */
export interface IpcInvokeEvent {
  senderFrame: { url: string } | null;
}

/** The part of Electron's ipcMain this module uses. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcInvokeEvent, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
}

export interface DesktopServices {
  /** Throws when the collector is down for good; the renderer shows the message. */
  collectorEndpoint(): CollectorEndpoint;
  appInfo(): AppInfo;
  /** shell.openExternal; called only with URLs that passed checkExternalUrl. */
  openExternal(url: string): Promise<void>;
  /**
   * The saved connections, their secrets and the Prometheus calls made with them; validates what
   * it is given (collector/hostServices, opened by connectionsStore.ts).
   */
  host: HostServices;
  /** Native Open/Save dialogs (fileDialogs.ts); they validate what crossed IPC. */
  files: FileDialogs;
}

type Handlers = {
  [K in DesktopOperation]: (args: unknown[]) => ReturnType<OspreyDesktopApi[K]>;
};

export function checkSender(event: IpcInvokeEvent, channel: string, appOrigin: string): void {
  const url = event.senderFrame?.url;
  if (url === undefined || !isAppUrl(url, appOrigin)) {
    throw new Error(
      `refused ${channel}: the caller (${url === undefined ? 'a destroyed frame' : url.slice(0, 200)}) is not the Osprey window`,
    );
  }
}

/** Registers every operation's handler; the returned function removes them again. */
export function registerIpcHandlers(
  ipcMain: IpcMainLike,
  appOrigin: string,
  services: DesktopServices,
): () => void {
  const { host } = services;
  const calls = new InFlightCalls();
  const captures = new InFlightCalls();
  const handlers: Handlers = {
    getCollectorEndpoint: async () => services.collectorEndpoint(),
    getAppInfo: async () => services.appInfo(),
    openExternal: async ([url]) => services.openExternal(checkExternalUrl(url)),
    listConnections: async () => (await host.listConnections()).connections,
    saveConnection: async ([input, id]) => {
      try {
        return { ok: true, connection: await host.saveConnection(input, id) };
      } catch (error) {
        if (!(error instanceof HostError)) throw error;
        return { ok: false, error: error.message, errors: [...error.errors] };
      }
    },
    removeConnection: ([id]) => host.removeConnection(id),
    getConnectionSecret: ([id]) => host.connectionSecret(id),
    prometheusRequest: ([id, request, requestId]) =>
      calls.run(requestId, (signal) => host.prometheusRequest(id, request, signal)),
    testPrometheus: ([input, requestId]) =>
      calls.run(requestId, (signal) => host.testPrometheus(input, signal)),
    cancelPrometheusRequest: async ([requestId]) => calls.cancel(requestId),
    openFile: ([options]) => services.files.openFile(options),
    saveFile: ([name, bytes]) => services.files.saveFile(name, bytes),
    captureProfile: async ([request, requestId]) => {
      try {
        const profile = await captures.run(requestId, (signal) =>
          host.captureProfile(request, { signal }),
        );
        return { ok: true, profile };
      } catch (error) {
        if (!(error instanceof CaptureError)) throw error;
        return { ok: false, kind: error.kind, error: error.message };
      }
    },
    cancelProfileCapture: async ([requestId]) => captures.cancel(requestId),
  };
  const operations = Object.keys(IPC_CHANNELS) as DesktopOperation[];
  for (const operation of operations) {
    const channel = IPC_CHANNELS[operation];
    ipcMain.handle(channel, (event, ...args) => {
      checkSender(event, channel, appOrigin);
      return handlers[operation](args);
    });
  }
  return () => operations.forEach((operation) => ipcMain.removeHandler(IPC_CHANNELS[operation]));
}
