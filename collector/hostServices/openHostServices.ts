/**
 * A host's services over its own `connections.json`: the directory, the file system and the
 * secret codec are the host's (a 0600 plain-text file for `osprey serve`, which has no keyring;
 * safeStorage for the desktop), the rest is the same.
 */
import { randomUUID } from 'node:crypto';

import {
  ConnectionStore,
  PLAIN_TEXT,
  type SecretCipher,
} from '../core/connections/ConnectionStore.js';
import type { ProfileCapturer } from '../profiling/ProfileCapturer.js';
import { connectionFile, type FsLike } from './connectionFile.js';
import { HostServices, type FetchPrometheus } from './HostServices.js';

export interface HostServicesOptions {
  /** The directory of `connections.json` (made 0700 on the first save). */
  dir: string;
  /** How secrets are sealed in the file; plain text (protected by the file's mode) by default. */
  cipher?: SecretCipher;
  /** One line per event worth a log: a skipped entry of a hand-edited file, once. */
  log: (line: string) => void;
  fs?: FsLike;
  newId?: () => string;
  fetchPrometheus?: FetchPrometheus;
  /** Profile captures of this machine's processes (collector/profiling). */
  capturer?: ProfileCapturer;
}

export interface OpenedHostServices {
  services: HostServices;
  /** Where the connections live, for the host's start-up line. */
  path: string;
  /** Whether secrets are encrypted at rest (false: plain text in the 0600 file). */
  encrypts: boolean;
  /** What is wrong with the file, read now so a bad hand edit is logged at start. */
  problems(): Promise<string[]>;
}

export function openHostServices(opts: HostServicesOptions): OpenedHostServices {
  const file = connectionFile(opts.dir, opts.fs);
  const cipher = opts.cipher ?? PLAIN_TEXT;
  const store = new ConnectionStore(file, opts.newId ?? randomUUID, cipher, (problem) =>
    opts.log(`connections: ${problem}`),
  );
  return {
    services: new HostServices(store, opts.fetchPrometheus, opts.capturer),
    path: file.path,
    encrypts: cipher.encrypts,
    problems: () => store.problems(),
  };
}
