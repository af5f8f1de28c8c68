/**
 * File → Open and Save for the desktop window: Electron's native dialogs in the main process, the
 * file read or written here (the sandboxed page has no file system). Takes `dialog` and `fs` as
 * parameters so it runs under Node with fakes (fileDialogs.test.ts).
 *
 * Open returns the WHOLE file's bytes, not a handle read in ranges over IPC: simpler, one round
 * trip, and a snapshot of 1 h × 512 nodes × 8 devices is 1.38 GB while a day on a small cluster is
 * tens of MB (BENCHMARKS.md, snapshots). Files above MAX_OPEN_BYTES (512 MB) are refused with a
 * message saying to open them through `osprey serve --snapshot FILE`, which serves byte ranges.
 */
import { basename } from 'node:path';

import type { OpenedFileBytes, OpenFileOptions } from '../common/api.js';

export const MAX_OPEN_BYTES = 512 * 1024 * 1024;

export interface FileFilter {
  name: string;
  extensions: string[];
}

/** The part of Electron's `dialog` used here (bound to the window by the caller). */
export interface DialogLike {
  showOpenDialog(options: {
    title?: string;
    properties: Array<'openFile'>;
    filters?: FileFilter[];
  }): Promise<{ canceled: boolean; filePaths: string[] }>;
  showSaveDialog(options: {
    title?: string;
    defaultPath?: string;
    filters?: FileFilter[];
  }): Promise<{ canceled: boolean; filePath?: string }>;
}

export interface FileSystemLike {
  stat(path: string): Promise<{ size: number; isFile(): boolean }>;
  readFile(path: string): Promise<Uint8Array>;
  writeFile(path: string, data: Uint8Array): Promise<void>;
}

export interface FileDialogs {
  /** null when the user cancelled. */
  openFile(options?: unknown): Promise<OpenedFileBytes | null>;
  /** false when the user cancelled. */
  saveFile(name: unknown, bytes: unknown): Promise<boolean>;
}

const ALL_FILES: FileFilter = { name: 'All files', extensions: ['*'] };

function filtersFor(extensions: string[] | undefined): FileFilter[] {
  if (!extensions || extensions.length === 0) return [ALL_FILES];
  return [{ name: extensions.map((e) => `.${e}`).join(', '), extensions }, ALL_FILES];
}

/** The options as they crossed IPC: anything not of the expected shape is dropped. */
function openOptions(value: unknown): OpenFileOptions {
  if (typeof value !== 'object' || value === null) return {};
  const { title, extensions } = value as Record<string, unknown>;
  return {
    title: typeof title === 'string' ? title.slice(0, 200) : undefined,
    extensions: Array.isArray(extensions)
      ? extensions.filter((e): e is string => typeof e === 'string' && /^[\w.-]{1,20}$/.test(e))
      : undefined,
  };
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`;
}

export function createFileDialogs(dialog: DialogLike, fs: FileSystemLike): FileDialogs {
  return {
    async openFile(options) {
      const { title, extensions } = openOptions(options);
      const answer = await dialog.showOpenDialog({
        title,
        properties: ['openFile'],
        filters: filtersFor(extensions),
      });
      const path = answer.filePaths[0];
      if (answer.canceled || path === undefined) return null;
      const stat = await fs.stat(path);
      if (!stat.isFile()) throw new Error(`cannot open ${path}: not a regular file`);
      if (stat.size > MAX_OPEN_BYTES) {
        throw new Error(
          `cannot open ${path}: ${mib(stat.size)} is more than the ${mib(MAX_OPEN_BYTES)} the ` +
            `desktop window reads at once; open it with "osprey serve --snapshot ${path}"`,
        );
      }
      return { name: basename(path), bytes: await fs.readFile(path) };
    },
    async saveFile(name, bytes) {
      if (typeof name !== 'string')
        throw new Error(`saveFile: name must be text, got ${typeof name}`);
      if (!(bytes instanceof Uint8Array)) throw new Error('saveFile: bytes must be a Uint8Array');
      // A suggested name only: a page cannot pick the directory (the dialog does).
      const suggested = basename(name.replace(/\\/g, '/')).slice(0, 200) || 'osprey-file';
      const dot = suggested.lastIndexOf('.');
      const extension = dot > 0 ? suggested.slice(dot + 1) : undefined;
      const answer = await dialog.showSaveDialog({
        defaultPath: suggested,
        filters: filtersFor(extension && /^[\w-]{1,20}$/.test(extension) ? [extension] : undefined),
      });
      if (answer.canceled || !answer.filePath) return false;
      await fs.writeFile(answer.filePath, bytes);
      return true;
    },
  };
}
