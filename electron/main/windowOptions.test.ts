import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { describe, expect, it } from 'vitest';

import { appIcon, windowOptions } from './windowOptions.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('windowOptions', () => {
  const { webPreferences, ...window } = windowOptions(
    '/app/dist/electron-preload/preload/index.js',
    '/app/assets/icons/256x256.png',
  );

  it('isolates and sandboxes the page, with Node kept out of every frame and worker', () => {
    expect(webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
  });

  it('loads the given preload', () => {
    expect(webPreferences?.preload).toBe('/app/dist/electron-preload/preload/index.js');
  });

  it('opens hidden, on the console background, until the first paint', () => {
    expect(window.show).toBe(false);
    expect(window.backgroundColor).toBe('#111217');
  });

  it('shows the given icon', () => {
    expect(window.icon).toBe('/app/assets/icons/256x256.png');
  });
});

describe('appIcon', () => {
  // Electron runs package.json "main" (the compiled dist/electron/main/index.js) and passes its
  // import.meta.url: the icon must be found from there, not from the TypeScript source.
  const main = pathToFileURL(
    `${ROOT}${JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).main}`,
  );

  it('gives Linux the 256 px PNG of assets/, found from the built main module', () => {
    const path = appIcon(main.href, 'linux');
    expect(path).toBe(`${ROOT}assets/icons/256x256.png`);
    const png = readFileSync(path);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([256, 256]);
  });

  it('gives Windows the .ico of assets/', () => {
    const path = appIcon(main.href, 'win32');
    expect(path).toBe(`${ROOT}assets/icon.ico`);
    const ico = readFileSync(path);
    // ICONDIR: reserved 0, type 1 (icon), then the image count.
    expect([ico.readUInt16LE(0), ico.readUInt16LE(2), ico.readUInt16LE(4)]).toEqual([0, 1, 7]);
  });
});
