import { describe, expect, it } from 'vitest';

import { windowOptions } from './windowOptions.js';

describe('windowOptions', () => {
  const { webPreferences, ...window } = windowOptions(
    '/app/dist/electron-preload/preload/index.js',
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
});
