/**
 * Replaces a file readable by its owner only, atomically: the text goes to a new temporary file
 * in the same folder, which is then renamed over the target, so a crash mid-write cannot leave
 * half a file. The temporary file is created with O_CREAT|O_EXCL ('wx') under a random name: in
 * a shared --config-dir another user could otherwise plant a symlink at a predictable name
 * (`connections.json.tmp`) and have our write land wherever it points (issue 10). O_EXCL never
 * follows a symlink (POSIX open(2): "If O_CREAT and O_EXCL are set … symbolic links are not
 * followed"), and rename(2) replaces a symlink at the target rather than writing through it.
 *
 * The file system and the randomness are parameters, so the algorithm stays in the Node-free core;
 * collector/hostServices/connectionFile.ts calls it with node:fs/promises (or the desktop's
 * injected fs) and crypto.randomBytes for both hosts.
 */

/** The part of a node:fs/promises FileHandle this module uses. */
export interface PrivateFileHandle {
  writeFile(data: string, encoding: 'utf8'): Promise<void>;
  chmod(mode: number): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** The part of node:fs/promises this module uses. */
export interface PrivateFileFs {
  open(path: string, flags: 'wx', mode: number): Promise<PrivateFileHandle>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
}

/**
 * `<dir>/.connections.json.<random>.tmp` beside the target. `random` must give at least 128
 * random bits (crypto.randomBytes(16) as hex): the name must not be guessable in advance.
 */
export function temporaryName(path: string, random: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1;
  return `${path.slice(0, cut)}.${path.slice(cut)}.${random}.tmp`;
}

export async function writePrivateFile(
  path: string,
  text: string,
  fs: PrivateFileFs,
  random: () => string,
): Promise<void> {
  const temp = temporaryName(path, random());
  // Fails with EEXIST if anything (a file, a symlink, dangling or not) already has that name.
  const handle = await fs.open(temp, 'wx', 0o600);
  try {
    try {
      await handle.writeFile(text, 'utf8');
      // The mode given to open passes through the umask; the file must end up 0600 exactly.
      await handle.chmod(0o600);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(temp, path);
  } catch (error) {
    // Ours alone (made with O_EXCL above), so removing it cannot touch anyone else's file.
    await fs.unlink(temp).catch(() => undefined);
    throw error;
  }
}
