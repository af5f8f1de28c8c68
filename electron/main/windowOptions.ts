/**
 * The desktop window: Electron's security checklist turned on explicitly
 * (https://www.electronjs.org/docs/latest/tutorial/security), even where it is already the
 * default, so a change of default cannot loosen it silently.
 */
import type { BrowserWindowConstructorOptions } from 'electron';

/** --bg-canvas of renderer/src/shell/theme.css, so the window does not flash white on open. */
const CANVAS = '#111217';

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    title: 'Osprey',
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
