/**
 * The contract every importer keeps: bytes in, a ProfileSet out, or a ProfileImportError naming
 * the file, the line or byte offset, and what was expected there. Importers are pure and
 * synchronous (the console runs them off the main thread where the file is large).
 */
import type { ProfileFormat, ProfileSet } from '../model.js';

export interface ImportInput {
  /** File name (or capture description) for messages and the set's name; never used to detect. */
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface ImportOptions {
  /** pprof and others holding several sample types: which to read (default: the file's own). */
  readonly sampleType?: string | undefined;
}

export type Importer = (input: ImportInput, options?: ImportOptions) => ProfileSet;

/** Where in the file a problem is: a 1-based line for text, a byte offset for binary. */
export interface ImportLocation {
  readonly line?: number | undefined;
  readonly offset?: number | undefined;
}

export class ProfileImportError extends Error {
  readonly file: string;
  readonly format: ProfileFormat | undefined;
  readonly location: ImportLocation;

  constructor(
    file: string,
    format: ProfileFormat | undefined,
    location: ImportLocation,
    problem: string,
  ) {
    const where =
      location.line !== undefined
        ? `, line ${location.line}`
        : location.offset !== undefined
          ? `, byte ${location.offset}`
          : '';
    super(`${file}${where}: ${format ? `${format}: ` : ''}${problem}`);
    this.name = 'ProfileImportError';
    this.file = file;
    this.format = format;
    this.location = location;
  }
}
