/**
 * The console inside the desktop shell: the preload's `window.osprey` knows where the embedded
 * collector listens. This module is the only place that touches that global.
 */
import type { OspreyDesktopApi } from '../../../electron/common/api.js';
import { ConnectionSaveError, type Platform } from './Platform.js';

/** The preload's API, when this page runs inside the desktop shell. */
export function desktopApi(): OspreyDesktopApi | undefined {
  return (globalThis as { osprey?: OspreyDesktopApi }).osprey;
}

export function createDesktopPlatform(api: OspreyDesktopApi): Platform {
  return {
    kind: 'desktop',
    getCollectorEndpoint: () => api.getCollectorEndpoint(),
    listConnections: () => unwrap(api.listConnections()),
    saveConnection: async (input, id) => {
      try {
        return await api.saveConnection(input, id);
      } catch (error) {
        throw new ConnectionSaveError(ipcMessage(error));
      }
    },
    removeConnection: (id) => unwrap(api.removeConnection(id)),
    getConnectionSecret: (id) => unwrap(api.getConnectionSecret(id)),
  };
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
