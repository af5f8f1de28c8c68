/**
 * "Open profile…": a file the user chose, refused before a byte is read when it is larger than
 * MAX_PROFILE_BYTES (checkProfileSize, the same message as the command line's), else read whole
 * and handed to importProfile (format detected by content). Errors are ProfileImportErrors naming
 * the file and the line or byte.
 */
import {
  checkProfileSize,
  importProfile,
} from '../../../../collector/core/profile/importers/importProfile.js';
import { ProfileImportError } from '../../../../collector/core/profile/importers/types.js';
import type { ProfileSet } from '../../../../collector/core/profile/model.js';
import type { OpenedFile } from '../../platform/Platform.js';

export async function readProfileFile(file: OpenedFile): Promise<ProfileSet> {
  checkProfileSize(file.name, file.size);
  const bytes = await file.read(0, file.size);
  return importProfile({ name: file.name, bytes });
}

/** The message shown for a failed open: the importer's own (it names file and line). */
export function openErrorText(name: string, error: unknown): string {
  if (error instanceof ProfileImportError) return error.message;
  const text = error instanceof Error ? error.message : String(error);
  return `${name}: ${text}`;
}
