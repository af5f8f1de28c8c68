/**
 * The console inside the desktop shell: the preload's `window.osprey` knows where the embedded
 * collector listens. This module is the only place that touches that global.
 */
import type { OspreyDesktopApi } from '../../../electron/common/api.js';
import type { Platform } from './Platform.js';

/** The preload's API, when this page runs inside the desktop shell. */
export function desktopApi(): OspreyDesktopApi | undefined {
  return (globalThis as { osprey?: OspreyDesktopApi }).osprey;
}

export function createDesktopPlatform(api: OspreyDesktopApi): Platform {
  return {
    kind: 'desktop',
    getCollectorEndpoint: () => api.getCollectorEndpoint(),
  };
}
