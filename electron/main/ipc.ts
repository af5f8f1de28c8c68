/**
 * The main side of window.osprey: one handler per operation, each behind the same check that the
 * call comes from a frame showing our app. A frame that navigated elsewhere (or is gone) gets a
 * refusal, not data: the collector token must not reach any other origin.
 */
import {
  IPC_CHANNELS,
  type AppInfo,
  type CollectorEndpoint,
  type DesktopOperation,
  type OspreyDesktopApi,
} from '../common/api.js';
import type { ConnectionStore } from '../../collector/core/connections/ConnectionStore.js';
import { checkExternalUrl } from './externalUrl.js';
import { isAppUrl } from './navigation.js';
import type { PrometheusService } from './prometheusService.js';

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
  /** The saved cluster connections; validates what it is given (connectionStore.ts). */
  connections: Pick<ConnectionStore, 'list' | 'create' | 'update' | 'remove' | 'secret'>;
  /** Prometheus calls made here, with the stored secrets (prometheusService.ts). */
  prometheus: PrometheusService;
}

type Handlers = {
  [K in DesktopOperation]: (args: unknown[]) => ReturnType<OspreyDesktopApi[K]>;
};

/** A connection id from the page: a short string, whatever the page claims. */
function checkId(id: unknown): string {
  if (typeof id !== 'string' || id.length === 0 || id.length > 200) {
    throw new Error(`connection id must be a string of 1–200 characters, got ${typeof id}`);
  }
  return id;
}

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
  const handlers: Handlers = {
    getCollectorEndpoint: async () => services.collectorEndpoint(),
    getAppInfo: async () => services.appInfo(),
    openExternal: async ([url]) => services.openExternal(checkExternalUrl(url)),
    listConnections: () => services.connections.list(),
    saveConnection: ([input, id]) =>
      id === undefined
        ? services.connections.create(input)
        : services.connections.update(checkId(id), input),
    removeConnection: ([id]) => services.connections.remove(checkId(id)),
    getConnectionSecret: ([id]) => services.connections.secret(checkId(id)),
    prometheusRequest: ([id, request, requestId]) =>
      services.prometheus.request(checkId(id), request, requestId),
    testPrometheus: ([input, requestId]) => services.prometheus.test(input, requestId),
    cancelPrometheusRequest: async ([requestId]) => services.prometheus.cancel(requestId),
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
