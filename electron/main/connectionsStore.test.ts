import {
  mkdir,
  mkdtemp,
  open,
  readFile,
  rename,
  rm,
  symlink,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import {
  createDesktopHostServices,
  safeStorageCipher,
  type FsLike,
  type SafeStorageLike,
} from './connectionsStore.js';

/** An in-memory file system with open(…, 'wx') semantics: an existing name fails with EEXIST. */
class FakeFs implements FsLike {
  files = new Map<string, { data: string; mode: number }>();
  dirs = new Map<string, number>();
  opened: string[] = [];
  async readFile(path: string) {
    const file = this.files.get(path);
    if (!file) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return file.data;
  }
  async open(path: string, flags: 'wx', mode: number) {
    if (flags !== 'wx') throw new Error(`only exclusive creation is expected, got ${flags}`);
    if (this.files.has(path)) throw Object.assign(new Error(`EEXIST: ${path}`), { code: 'EEXIST' });
    this.opened.push(path);
    // A umask of 022 would leave 0644 if the store relied on open's mode alone.
    const file = { data: '', mode: mode | 0o044 };
    this.files.set(path, file);
    return {
      writeFile: async (data: string) => {
        file.data = data;
      },
      chmod: async (m: number) => {
        file.mode = m;
      },
      sync: async () => undefined,
      close: async () => undefined,
    };
  }
  async mkdir(path: string, options: { mode: number }) {
    this.dirs.set(path, options.mode);
  }
  async unlink(path: string) {
    this.files.delete(path);
  }
  async rename(from: string, to: string) {
    this.files.set(to, this.files.get(from)!);
    this.files.delete(from);
  }
}

/** Like safeStorage: opaque bytes out, the plain text back only through decryptString. */
function fakeSafeStorage(available: boolean, backend?: string): SafeStorageLike {
  return {
    isEncryptionAvailable: () => available,
    encryptString: (plain) => Buffer.from(`v10${Buffer.from(plain).toString('hex')}`),
    decryptString: (sealed) => Buffer.from(sealed.toString().slice(3), 'hex').toString(),
    ...(backend === undefined ? {} : { getSelectedStorageBackend: () => backend }),
  };
}

const input = {
  name: 'prod',
  kind: 'nats',
  natsUrl: 'wss://nats.example',
  auth: 'token',
  secret: 'tok-123',
};

function setup(safeStorage: SafeStorageLike) {
  const fs = new FakeFs();
  const log: string[] = [];
  const host = createDesktopHostServices({
    userDataDir: '/home/op/.config/Osprey',
    safeStorage,
    fs,
    newId: () => 'id-1',
    log: (line) => log.push(line),
  });
  return { fs, log, host };
}

describe('desktop connection store', () => {
  it('seals secrets with safeStorage in a 0600 file under userData', async () => {
    const { fs, log, host } = setup(fakeSafeStorage(true, 'gnome_libsecret'));
    await host.saveConnection(input);
    const file = fs.files.get('/home/op/.config/Osprey/connections.json')!;
    expect(file.mode).toBe(0o600);
    expect(fs.dirs.get('/home/op/.config/Osprey')).toBe(0o700);
    expect(file.data).not.toContain('tok-123');
    expect(file.data).not.toContain(Buffer.from('tok-123').toString('hex'));
    expect(await host.connectionSecret('id-1')).toBe('tok-123');
    expect(log).toEqual([
      'connections: /home/op/.config/Osprey/connections.json, secrets encrypted with the system keyring',
    ]);
    // Written through a fresh, randomly named temporary file beside it, which is gone after.
    expect(fs.opened).toHaveLength(1);
    expect(fs.opened[0]).toMatch(
      /^\/home\/op\/\.config\/Osprey\/\.connections\.json\.[0-9a-f]{32}\.tmp$/,
    );
    expect([...fs.files.keys()]).toEqual(['/home/op/.config/Osprey/connections.json']);
  });

  it('logs a hand-edited entry that fails the save checks, loads the rest, leaves the file', async () => {
    const { fs, log, host } = setup(fakeSafeStorage(true, 'gnome_libsecret'));
    const text = JSON.stringify({
      version: 1,
      connections: [
        { id: 'a', name: 'good', kind: 'nats', natsUrl: 'wss://n.example', auth: 'none' },
        { id: 'b', name: 'evil', kind: 'nats', natsUrl: 'javascript:alert(1)', auth: 'none' },
      ],
    });
    fs.files.set('/home/op/.config/Osprey/connections.json', { data: text, mode: 0o600 });
    expect((await host.listConnections()).connections.map((c) => c.id)).toEqual(['a']);
    expect(log[1]).toMatch(
      /^connections: \/home\/op\/\.config\/Osprey\/connections\.json entry 1 \("evil", id "b"\): natsUrl: must be a ws:\/\/ or wss:\/\/ URL/,
    );
    expect(fs.files.get('/home/op/.config/Osprey/connections.json')!.data).toBe(text);
  });

  it('says plainly when there is no keyring, and keeps the secret in the 0600 file', async () => {
    for (const safeStorage of [fakeSafeStorage(false), fakeSafeStorage(true, 'basic_text')]) {
      const { fs, log, host } = setup(safeStorage);
      await host.saveConnection(input);
      expect(fs.files.get('/home/op/.config/Osprey/connections.json')!.data).toContain(
        '"value": "tok-123"',
      );
      expect(log[0]).toMatch(/no system keyring, so secrets are stored unencrypted/);
      expect(await host.connectionSecret('id-1')).toBe('tok-123');
    }
  });

  it('with the real file system, never writes through a symlink at the old temporary name', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'osprey-desktop-store-'));
    try {
      const victim = join(dir, 'victim.txt');
      await writeFile(victim, 'precious\n');
      const userData = join(dir, 'userData');
      await mkdir(userData);
      await symlink(victim, join(userData, 'connections.json.tmp'));
      const host = createDesktopHostServices({
        userDataDir: userData,
        safeStorage: fakeSafeStorage(false),
        fs: { readFile, mkdir, open, rename, unlink },
        newId: () => 'id-1',
        log: () => undefined,
      });
      await host.saveConnection(input);
      expect(await readFile(victim, 'utf8')).toBe('precious\n');
      expect(await readFile(join(userData, 'connections.json'), 'utf8')).toContain('"tok-123"');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('round-trips through base64 so any bytes survive the JSON file', () => {
    const cipher = safeStorageCipher(fakeSafeStorage(true));
    const sealed = cipher.encrypt('ü\n-----BEGIN NATS USER JWT-----');
    expect(sealed).toMatch(/^[A-Za-z0-9+/=]+$/);
    expect(cipher.decrypt(sealed)).toBe('ü\n-----BEGIN NATS USER JWT-----');
  });
});
