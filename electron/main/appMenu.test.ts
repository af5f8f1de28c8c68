import { describe, expect, it } from 'vitest';

import type { MenuItemConstructorOptions } from 'electron';

import type { MenuCommand } from '../common/api.js';
import { appMenuTemplate } from './appMenu.js';

const items = (menu: MenuItemConstructorOptions): MenuItemConstructorOptions[] =>
  Array.isArray(menu.submenu) ? menu.submenu : [];

describe('app menu', () => {
  it('File → Open Recording… (Ctrl/Cmd+O) sends the page open-recording', () => {
    const sent: MenuCommand[] = [];
    const file = appMenuTemplate('linux', (c) => sent.push(c)).find((m) => m.label === 'File')!;
    const open = items(file).find((i) => i.label === 'Open Recording…')!;
    expect(open.accelerator).toBe('CmdOrCtrl+O');
    (open.click as () => void)();
    expect(sent).toEqual(['open-recording']);
  });

  it('quits from File on Linux and Windows; on macOS the app menu comes first and File closes', () => {
    const linux = appMenuTemplate('linux', () => undefined);
    expect(linux[0]!.label).toBe('File');
    expect(items(linux[0]!).at(-1)!.role).toBe('quit');
    const mac = appMenuTemplate('darwin', () => undefined);
    expect(mac[0]!.role).toBe('appMenu');
    expect(items(mac[1]!).at(-1)!.role).toBe('close');
  });

  it('keeps the standard Edit and Window menus (copy and paste work in the page)', () => {
    const roles = appMenuTemplate('linux', () => undefined).map((m) => m.role);
    expect(roles).toContain('editMenu');
    expect(roles).toContain('windowMenu');
  });
});
