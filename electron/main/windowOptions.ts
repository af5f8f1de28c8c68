/**
 * The desktop window: Electron's security checklist turned on explicitly
 * (https://www.electronjs.org/docs/latest/tutorial/security), even where it is already the
 * default, so a change of default cannot loosen it silently.
 */
import { fileURLToPath } from 'node:url';

import type { BrowserWindowConstructorOptions } from 'electron';

/** --bg-canvas of renderer/src/shell/theme.css, so the window does not flash white on open. */
const CANVAS = '#111217';

/**
 * The window icon in assets/, from the compiled main module's URL (dist/electron/main/index.js, so
 * the repository is three folders up). Windows draws title bar and taskbar best from the .ico's
 * own sizes; Linux gets the 256 px PNG, because X11 keeps a window icon as raw 32-bit pixels in
 * _NET_WM_ICON (256² × 4 B = 256 KiB; 512 px would be 1 MiB, 2 MiB with 64-bit Xlib longs) and
 * launchers take the larger sizes from the .desktop file's icon theme instead. macOS ignores the
 * window icon (the app bundle's .icns is used).
 */
export function appIcon(mainModuleUrl: string, platform: NodeJS.Platform): string {
  const file = platform === 'win32' ? 'assets/icon.ico' : 'assets/icons/256x256.png';
  return fileURLToPath(new URL(`../../../${file}`, mainModuleUrl));
}

export function windowOptions(
  preloadPath: string,
  iconPath: string,
): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Osprey',
    icon: iconPath,
    backgroundColor: CANVAS,
    // Shown on ready-to-show, after the first paint.
    show: false,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}
