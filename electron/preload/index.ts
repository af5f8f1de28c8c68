/**
 * The sandboxed preload: exposes `window.osprey`, one named method per operation, each a fixed
 * `ipcRenderer.invoke` call. The page never sees ipcRenderer itself, so it cannot pick a channel.
 * A sandboxed preload can only require 'electron', hence one file that imports nothing else of ours
 * at run time.
 */
import { contextBridge, ipcRenderer } from 'electron';

import type {
  IPC_CHANNELS,
  MENU_CHANNEL,
  MENU_COMMANDS,
  MenuCommand,
  OspreyDesktopApi,
} from '../common/api.js';

/** The strings of common/api.ts IPC_CHANNELS, repeated because this file cannot load it. */
export const PRELOAD_CHANNELS = {
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
} as const satisfies typeof IPC_CHANNELS;

/** common/api.ts MENU_CHANNEL and MENU_COMMANDS, repeated for the same reason. */
export const PRELOAD_MENU_CHANNEL = 'osprey:menu-command' satisfies typeof MENU_CHANNEL;
export const PRELOAD_MENU_COMMANDS = ['open-recording'] as const satisfies typeof MENU_COMMANDS;

export type Invoke = (channel: string, ...args: unknown[]) => Promise<unknown>;
/** Listens on a main → page channel; returns the unsubscribe. */
export type On = (channel: string, listener: (...args: unknown[]) => void) => () => void;

const isMenuCommand = (value: unknown): value is MenuCommand =>
  (PRELOAD_MENU_COMMANDS as readonly unknown[]).includes(value);

export function createDesktopApi(invoke: Invoke, on: On): OspreyDesktopApi {
  return {
    getCollectorEndpoint: () =>
      invoke(PRELOAD_CHANNELS.getCollectorEndpoint) as ReturnType<
        OspreyDesktopApi['getCollectorEndpoint']
      >,
    getAppInfo: () =>
      invoke(PRELOAD_CHANNELS.getAppInfo) as ReturnType<OspreyDesktopApi['getAppInfo']>,
    openExternal: async (url: string) => {
      await invoke(PRELOAD_CHANNELS.openExternal, String(url));
    },
    listConnections: () =>
      invoke(PRELOAD_CHANNELS.listConnections) as ReturnType<OspreyDesktopApi['listConnections']>,
    // Arguments cross as plain data; the main process validates them again.
    saveConnection: (input, id) =>
      (id === undefined
        ? invoke(PRELOAD_CHANNELS.saveConnection, input)
        : invoke(PRELOAD_CHANNELS.saveConnection, input, String(id))) as ReturnType<
        OspreyDesktopApi['saveConnection']
      >,
    removeConnection: async (id) => {
      await invoke(PRELOAD_CHANNELS.removeConnection, String(id));
    },
    getConnectionSecret: (id) =>
      invoke(PRELOAD_CHANNELS.getConnectionSecret, String(id)) as ReturnType<
        OspreyDesktopApi['getConnectionSecret']
      >,
    prometheusRequest: (connectionId, request, requestId) =>
      invoke(
        PRELOAD_CHANNELS.prometheusRequest,
        String(connectionId),
        request,
        String(requestId),
      ) as ReturnType<OspreyDesktopApi['prometheusRequest']>,
    testPrometheus: (input, requestId) =>
      invoke(PRELOAD_CHANNELS.testPrometheus, input, String(requestId)) as ReturnType<
        OspreyDesktopApi['testPrometheus']
      >,
    cancelPrometheusRequest: async (requestId) => {
      await invoke(PRELOAD_CHANNELS.cancelPrometheusRequest, String(requestId));
    },
    openFile: (options) =>
      invoke(PRELOAD_CHANNELS.openFile, options ?? {}) as ReturnType<OspreyDesktopApi['openFile']>,
    saveFile: (name, bytes) =>
      invoke(PRELOAD_CHANNELS.saveFile, String(name), bytes) as ReturnType<
        OspreyDesktopApi['saveFile']
      >,
    captureProfile: (request, requestId) =>
      invoke(PRELOAD_CHANNELS.captureProfile, request, String(requestId)) as ReturnType<
        OspreyDesktopApi['captureProfile']
      >,
    cancelProfileCapture: async (requestId) => {
      await invoke(PRELOAD_CHANNELS.cancelProfileCapture, String(requestId));
    },
    // Only the command's name reaches the page, and only a known one.
    onMenuCommand: (listener) =>
      on(PRELOAD_MENU_CHANNEL, (command) => {
        if (isMenuCommand(command)) listener(command);
      }),
  };
}

// contextBridge copies the methods into the page; ipcRenderer itself never crosses.
contextBridge.exposeInMainWorld(
  'osprey',
  createDesktopApi(
    (channel, ...args) => ipcRenderer.invoke(channel, ...args),
    (channel, listener) => {
      const handler = (_event: unknown, ...args: unknown[]) => listener(...args);
      ipcRenderer.on(channel, handler);
      return () => {
        ipcRenderer.removeListener(channel, handler);
      };
    },
  ),
);
