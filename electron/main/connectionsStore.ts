/**
 * The desktop app's host services (collector/hostServices) over `connections.json` in Electron's
 * userData folder, mode 0600, secrets sealed with safeStorage (the OS keyring: Keychain, DPAPI,
 * libsecret/kwallet). Where the OS offers no keyring (Linux without a secret service, where
 * Electron falls back to its `basic_text` backend with a fixed key), secrets are kept as plain
 * text in that 0600 file and the log says so, rather than pretending they are encrypted. Electron
 * and the file system are parameters, so tests run with fakes.
 */
import { PLAIN_TEXT, type SecretCipher } from '../../collector/core/connections/ConnectionStore.js';
import type { FsLike } from '../../collector/hostServices/connectionFile.js';
import type { FetchPrometheus, HostServices } from '../../collector/hostServices/HostServices.js';
import { openHostServices } from '../../collector/hostServices/openHostServices.js';
import type { ProfileCapturer } from '../../collector/hostServices/profileCapturer.js';

export type { FsLike };

/** The part of Electron's safeStorage this module uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron; absent elsewhere. */
  getSelectedStorageBackend?(): string;
}

export interface DesktopStoreOptions {
  userDataDir: string;
  safeStorage: SafeStorageLike;
  fs: FsLike;
  newId: () => string;
  log: (line: string) => void;
  fetchPrometheus?: FetchPrometheus;
  /** Profile captures of this machine's processes (collector/profiling). */
  capturer?: ProfileCapturer;
}

/** The desktop's secret codec: safeStorage's bytes as base64 in the JSON file. */
export function safeStorageCipher(safeStorage: SafeStorageLike): SecretCipher {
  const backend = safeStorage.getSelectedStorageBackend?.();
  if (!safeStorage.isEncryptionAvailable() || backend === 'basic_text') return PLAIN_TEXT;
  return {
    encrypts: true,
    encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
    decrypt: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
  };
}

export function createDesktopHostServices(opts: DesktopStoreOptions): HostServices {
  const opened = openHostServices({
    dir: opts.userDataDir,
    cipher: safeStorageCipher(opts.safeStorage),
    fs: opts.fs,
    newId: opts.newId,
    log: opts.log,
    ...(opts.fetchPrometheus ? { fetchPrometheus: opts.fetchPrometheus } : {}),
    ...(opts.capturer ? { capturer: opts.capturer } : {}),
  });
  opts.log(
    opened.encrypts
      ? `connections: ${opened.path}, secrets encrypted with the system keyring`
      : `connections: ${opened.path}; no system keyring, so secrets are stored unencrypted in that file (mode 0600)`,
  );
  return opened.services;
}
