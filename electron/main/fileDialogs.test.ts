import { describe, expect, it } from 'vitest';

import {
  createFileDialogs,
  MAX_OPEN_BYTES,
  type DialogLike,
  type FileSystemLike,
} from './fileDialogs.js';

function fakes(answer: { open?: string[]; save?: string; canceled?: boolean }, size = 3) {
  const asked: unknown[] = [];
  const written = new Map<string, Uint8Array>();
  const dialog: DialogLike = {
    showOpenDialog: async (options) => {
      asked.push(options);
      return { canceled: answer.canceled ?? false, filePaths: answer.open ?? [] };
    },
    showSaveDialog: async (options) => {
      asked.push(options);
      return { canceled: answer.canceled ?? false, filePath: answer.save };
    },
  };
  const fs: FileSystemLike = {
    stat: async (path) => ({ size, isFile: () => !path.endsWith('/') }),
    readFile: async () => new Uint8Array([7, 8, 9]),
    writeFile: async (path, data) => void written.set(path, data),
  };
  return { dialog, fs, asked, written };
}

describe('createFileDialogs', () => {
  it('opens the chosen file and returns its base name and bytes', async () => {
    const f = fakes({ open: ['/home/u/rec/incident.mcap'] });
    const files = createFileDialogs(f.dialog, f.fs);
    await expect(
      files.openFile({ extensions: ['mcap'], title: 'Open recording' }),
    ).resolves.toEqual({ name: 'incident.mcap', bytes: new Uint8Array([7, 8, 9]) });
    expect(f.asked[0]).toEqual({
      title: 'Open recording',
      properties: ['openFile'],
      filters: [
        { name: '.mcap', extensions: ['mcap'] },
        { name: 'All files', extensions: ['*'] },
      ],
    });
  });

  it('answers null when the open dialog is cancelled', async () => {
    const f = fakes({ canceled: true });
    await expect(createFileDialogs(f.dialog, f.fs).openFile()).resolves.toBeNull();
  });

  it('drops option values of the wrong shape that came over IPC', async () => {
    const f = fakes({ canceled: true });
    await createFileDialogs(f.dialog, f.fs).openFile({ title: 5, extensions: ['ok', '../x y', 3] });
    expect(f.asked[0]).toMatchObject({
      title: undefined,
      filters: [{ extensions: ['ok'] }, { name: 'All files' }],
    });
  });

  it('refuses a file above 512 MB and names serve --snapshot as the way to open it', async () => {
    const f = fakes({ open: ['/data/big.mcap'] }, MAX_OPEN_BYTES + 1);
    await expect(createFileDialogs(f.dialog, f.fs).openFile()).rejects.toThrow(
      /cannot open \/data\/big\.mcap: 512 MB is more than the 512 MB .*osprey serve --snapshot \/data\/big\.mcap/,
    );
  });

  it('refuses something that is not a regular file', async () => {
    const f = fakes({ open: ['/dev/'] });
    await expect(createFileDialogs(f.dialog, f.fs).openFile()).rejects.toThrow(
      /not a regular file/,
    );
  });

  it('saves the bytes where the user chose, suggesting only the base name', async () => {
    const f = fakes({ save: '/home/u/keep.mcap' });
    const bytes = new Uint8Array([1, 2, 3]);
    await expect(
      createFileDialogs(f.dialog, f.fs).saveFile('../../etc/cluster-a.mcap', bytes),
    ).resolves.toBe(true);
    expect(f.asked[0]).toMatchObject({ defaultPath: 'cluster-a.mcap' });
    expect(f.written.get('/home/u/keep.mcap')).toBe(bytes);
  });

  it('writes nothing and answers false when the save dialog is cancelled', async () => {
    const f = fakes({ canceled: true });
    await expect(
      createFileDialogs(f.dialog, f.fs).saveFile('a.mcap', new Uint8Array(1)),
    ).resolves.toBe(false);
    expect(f.written.size).toBe(0);
  });

  it('refuses a save whose bytes are not a Uint8Array', async () => {
    const f = fakes({ save: '/tmp/x' });
    await expect(createFileDialogs(f.dialog, f.fs).saveFile('a', 'text')).rejects.toThrow(
      /bytes must be a Uint8Array/,
    );
    expect(f.written.size).toBe(0);
  });
});
