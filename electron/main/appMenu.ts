/**
 * The desktop app's menu: File → Open Recording… (Ctrl/Cmd+O) asks the page to open a snapshot
 * the way its "Open recording…" button does (one path: the page's, which knows the file types
 * its sources open), plus the platform's standard Edit, View and Window items so copy, paste,
 * zoom and full screen work as in any app. Plain data for Menu.buildFromTemplate, tested without
 * Electron.
 */
import type { MenuItemConstructorOptions } from 'electron';

import type { MenuCommand } from '../common/api.js';

export function appMenuTemplate(
  platform: string,
  send: (command: MenuCommand) => void,
): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin';
  const file: MenuItemConstructorOptions = {
    label: 'File',
    submenu: [
      {
        label: 'Open Recording…',
        accelerator: 'CmdOrCtrl+O',
        click: () => send('open-recording'),
      },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  return [
    ...(mac ? [{ role: 'appMenu' } as const] : []),
    file,
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
  ];
}
