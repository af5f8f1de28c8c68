import { createDesktopPlatform, desktopApi } from './desktopPlatform.js';
import type { Platform } from './Platform.js';
import { createWebPlatform } from './webPlatform.js';

/** The desktop platform when the preload exposed its API, else the browser's. */
export function detectPlatform(): Platform {
  const api = desktopApi();
  return api ? createDesktopPlatform(api) : createWebPlatform(window.location);
}
