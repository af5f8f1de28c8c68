/**
 * The desktop app's cluster connections: `connections.json` in Electron's userData folder, mode
 * 0600, secrets sealed with safeStorage (the OS keyring: Keychain, DPAPI, libsecret/kwallet).
 * Where the OS offers no keyring (Linux without a secret service, where Electron falls back to
 * its `basic_text` backend with a fixed key), secrets are kept as plain text in that 0600 file
 * and the log says so, rather than pretending they are encrypted. Electron and the file system are
 * parameters, so tests run with fakes.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

import {
  ConnectionStore,
  PLAIN_TEXT,
  type SecretCipher,
  type StoreFile,
} from '../../collector/core/connections/ConnectionStore.js';
import {
  writePrivateFile,
  type PrivateFileFs,
} from '../../collector/core/connections/writePrivateFile.js';

/** The part of Electron's safeStorage this module uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron; absent elsewhere. */
  getSelectedStorageBackend?(): string;
}

/** The part of node:fs/promises this module uses (writes go through writePrivateFile). */
export interface FsLike extends PrivateFileFs {
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  mkdir(path: string, options: { recursive: true; mode: number }): Promise<unknown>;
}

export interface DesktopStoreOptions {
  userDataDir: string;
  safeStorage: SafeStorageLike;
  fs: FsLike;
  newId: () => string;
  log: (line: string) => void;
}

export function safeStorageCipher(safeStorage: SafeStorageLike): SecretCipher {
  const backend = safeStorage.getSelectedStorageBackend?.();
  if (!safeStorage.isEncryptionAvailable() || backend === 'basic_text') return PLAIN_TEXT;
  return {
    encrypts: true,
    encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
    decrypt: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
  };
}

export function storeFile(dir: string, fs: FsLike): StoreFile {
  const path = join(dir, 'connections.json');
  return {
    path,
    async read() {
      try {
        return await fs.readFile(path, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async write(text) {
      await fs.mkdir(dir, { recursive: true, mode: 0o700 });
      // A new randomly named temporary file, created exclusively, then renamed: no symlink
      // planted at a predictable name can redirect the write.
      await writePrivateFile(path, text, fs, () => randomBytes(16).toString('hex'));
    },
  };
}

export function createDesktopConnectionStore(opts: DesktopStoreOptions): ConnectionStore {
  const cipher = safeStorageCipher(opts.safeStorage);
  const file = storeFile(opts.userDataDir, opts.fs);
  opts.log(
    cipher.encrypts
      ? `connections: ${file.path}, secrets encrypted with the system keyring`
      : `connections: ${file.path}; no system keyring, so secrets are stored unencrypted in that file (mode 0600)`,
  );
  return new ConnectionStore(file, opts.newId, cipher, (problem) =>
    opts.log(`connections: ${problem}`),
  );
}
