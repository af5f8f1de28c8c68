import {
  lstat,
  mkdir,
  mkdtemp,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { temporaryName, writePrivateFile as write } from '../core/connections/writePrivateFile.js';
import { connectionFile, randomName } from './connectionFile.js';

/** The real thing, as connectionFile.ts calls it. */
const writePrivateFile = (path: string, text: string, random: () => string = randomName) =>
  write(path, text, { open, rename, unlink }, random);

let dir: string;
let victim: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'osprey-private-'));
  // What another user of a shared --config-dir would like us to overwrite.
  victim = join(dir, 'victim.txt');
  await writeFile(victim, 'precious\n');
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writePrivateFile', () => {
  it('replaces the file, mode 0600, leaving no temporary file behind', async () => {
    const path = join(dir, 'connections.json');
    const umask = process.umask(0o022);
    try {
      await writePrivateFile(path, 'one');
      await writePrivateFile(path, 'two');
    } finally {
      process.umask(umask);
    }
    expect(await readFile(path, 'utf8')).toBe('two');
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    expect((await readdir(dir)).sort()).toEqual(['connections.json', 'victim.txt']);
  });

  it('never follows a symlink planted at any predictable temporary name', async () => {
    const path = join(dir, 'connections.json');
    // The names earlier versions used (desktop: .tmp; server: .<pid>.tmp) and nearby pids.
    const planted = [`${path}.tmp`, ...[0, 1, 2, 3].map((d) => `${path}.${process.pid + d}.tmp`)];
    for (const name of planted) await symlink(victim, name);
    await writePrivateFile(path, 'mine');
    expect(await readFile(victim, 'utf8')).toBe('precious\n');
    expect(await readFile(path, 'utf8')).toBe('mine');
    for (const name of planted) expect((await lstat(name)).isSymbolicLink()).toBe(true);
  });

  it('refuses, leaving the symlink and its target alone, when even the random name is taken', async () => {
    const path = join(dir, 'connections.json');
    const guessed = temporaryName(path, 'guessed');
    await symlink(victim, guessed);
    await expect(writePrivateFile(path, 'mine', () => 'guessed')).rejects.toMatchObject({
      code: 'EEXIST',
    });
    expect(await readFile(victim, 'utf8')).toBe('precious\n');
    expect((await lstat(guessed)).isSymbolicLink()).toBe(true);
    await expect(stat(path)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('replaces a symlink at the target itself instead of writing through it', async () => {
    const path = join(dir, 'connections.json');
    await symlink(victim, path);
    await writePrivateFile(path, 'mine');
    expect(await readFile(victim, 'utf8')).toBe('precious\n');
    expect((await lstat(path)).isFile()).toBe(true);
  });

  it('removes its temporary file when the rename fails', async () => {
    const path = join(dir, 'taken');
    await mkdir(join(path, 'not-empty'), { recursive: true });
    await expect(writePrivateFile(path, 'x')).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(['taken', 'victim.txt']);
  });
});

describe('connectionFile', () => {
  it('writes through writePrivateFile: a symlink at the old temporary name is not followed', async () => {
    const config = join(dir, 'osprey');
    await mkdir(config);
    const file = connectionFile(config);
    await symlink(victim, `${file.path}.${process.pid}.tmp`);
    await file.write('{"version":1,"connections":[]}\n');
    expect(await readFile(victim, 'utf8')).toBe('precious\n');
    expect(await file.read()).toBe('{"version":1,"connections":[]}\n');
  });
});
