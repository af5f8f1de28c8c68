/**
 * The desktop app's main process: wires Electron to the plain modules next to this file. Starts
 * the embedded collector, locks the session down (CSP, permissions, navigation), registers the
 * IPC handlers, and opens the window on the console the collector serves.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { fileURLToPath } from 'node:url';

import { app, BrowserWindow, dialog, ipcMain, Menu, safeStorage, session, shell } from 'electron';

import { createProfileCapturer } from '../../collector/hostServices/profileCapturer.js';
import { MENU_CHANNEL } from '../common/api.js';
import { appMenuTemplate } from './appMenu.js';

import { createCollectorProcess } from './collectorProcess.js';
import { createDesktopHostServices } from './connectionsStore.js';
import { createFileDialogs } from './fileDialogs.js';
import { applyCsp } from './csp.js';
import { registerIpcHandlers } from './ipc.js';
import { guardNavigation } from './navigation.js';
import { restrictPermissions } from './permissions.js';
import { appIcon, windowOptions } from './windowOptions.js';

/** dist/electron/main/index.js → the repository (collector/bin, dist/electron-preload). */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const OSPREY_BIN = fileURLToPath(new URL('../../../collector/bin/osprey.js', import.meta.url));
const PRELOAD = fileURLToPath(new URL('../../electron-preload/preload/index.js', import.meta.url));

const log = (line: string): void => console.log(`[osprey] ${line}`);

const collector = createCollectorProcess({
  spawn,
  // Electron's own binary runs the collector as plain Node: no second runtime to ship.
  execPath: process.execPath,
  script: OSPREY_BIN,
  cwd: ROOT,
  env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  log,
  onEvent: (event) => {
    if (event.type === 'gave-up')
      dialog.showErrorBox('Osprey collector stopped', event.error.message);
  },
});

let window: BrowserWindow | undefined;

async function main(): Promise<void> {
  await app.whenReady();
  restrictPermissions(session.defaultSession);
  const endpoint = await collector.start();
  const origin = new URL(endpoint.url).origin;
  applyCsp(session.defaultSession, endpoint.url);
  const openExternal = (url: string): Promise<void> => shell.openExternal(url);
  app.on('web-contents-created', (_event, contents) =>
    guardNavigation(contents, origin, openExternal, log),
  );
  // safeStorage can tell whether a keyring exists only once the app is ready.
  const host = createDesktopHostServices({
    userDataDir: app.getPath('userData'),
    safeStorage,
    fs: { readFile, mkdir, open, rename, unlink },
    newId: randomUUID,
    log,
    // "Profile 10 s" on This machine: py-spy or perf run by the main process.
    capturer: createProfileCapturer(hostname()),
  });
  registerIpcHandlers(ipcMain, origin, {
    collectorEndpoint: () => collector.endpoint(),
    appInfo: () => ({ version: app.getVersion(), platform: process.platform }),
    openExternal,
    host,
    // Modal to the window when there is one (the dialogs are asked for by the page in it).
    files: createFileDialogs(
      {
        showOpenDialog: (options) =>
          window ? dialog.showOpenDialog(window, options) : dialog.showOpenDialog(options),
        showSaveDialog: (options) =>
          window ? dialog.showSaveDialog(window, options) : dialog.showSaveDialog(options),
      },
      { stat, readFile, writeFile },
    ),
  });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenuTemplate(process.platform, (command) =>
        window?.webContents.send(MENU_CHANNEL, command),
      ),
    ),
  );
  window = new BrowserWindow(windowOptions(PRELOAD, appIcon(import.meta.url, process.platform)));
  const shown = window;
  shown.once('ready-to-show', () => shown.show());
  shown.on('closed', () => (window = undefined));
  // The token is not in the URL: the preload hands it over through getCollectorEndpoint.
  await shown.loadURL(`${origin}/`);
}

if (!app.requestSingleInstanceLock()) {
  // Another Osprey window already runs its own collector; bring that one forward instead.
  app.quit();
} else {
  app.enableSandbox();
  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });
  // The window is the app: closing it stops the collector, on macOS too.
  app.on('window-all-closed', () => app.quit());
  let stopped = false;
  let stopping: Promise<void> | undefined;
  app.on('before-quit', (event) => {
    if (stopped) return;
    event.preventDefault();
    stopping ??= collector.stop().finally(() => {
      stopped = true;
      app.quit();
    });
  });
  main().catch((error: Error) => {
    log(error.message);
    dialog.showErrorBox('Osprey could not start', error.message);
    void collector.stop().finally(() => app.exit(1));
  });
}
