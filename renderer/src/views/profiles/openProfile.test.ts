import { describe, expect, it } from 'vitest';

import { ProfileImportError } from '../../../../collector/core/profile/importers/types.js';
import { MAX_PROFILE_BYTES, totalWeight } from '../../../../collector/core/profile/model.js';
import type { OpenedFile } from '../../platform/Platform.js';
import { openErrorText, readProfileFile } from './openProfile.js';

function fileOf(name: string, text: string): OpenedFile & { reads: number } {
  const bytes = new TextEncoder().encode(text);
  const file = {
    name,
    size: bytes.length,
    reads: 0,
    read: (offset: number, length: number) => {
      file.reads++;
      return Promise.resolve(bytes.subarray(offset, offset + length));
    },
  };
  return file;
}

describe('readProfileFile', () => {
  it('refuses a file over MAX_PROFILE_BYTES before reading a byte', async () => {
    const huge = { ...fileOf('huge.txt', ''), size: MAX_PROFILE_BYTES + 1 };
    let reads = 0;
    huge.read = () => {
      reads++;
      return Promise.resolve(new Uint8Array());
    };
    const error = await readProfileFile(huge).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ProfileImportError);
    expect((error as Error).message).toMatch(
      /^huge\.txt: the file is 1\.0 GB \(1073741825 bytes\), above the/,
    );
    expect(reads).toBe(0);
  });

  it('reads folded text to a profile with the file’s total', async () => {
    const file = fileOf('simple.txt', 'a;b;c 1\na;b;c 1\na;b;d 4\na;b;c 3\na;b 5\n');
    const set = await readProfileFile(file);
    expect(set.name).toBe('simple.txt');
    expect(totalWeight(set.profiles[0]!)).toBe(14);
    expect(file.reads).toBe(1);
  });

  it('shows an import error as the importer wrote it (file and line)', () => {
    const e = new ProfileImportError('x.txt', 'folded', { line: 3 }, 'no count after the stack');
    expect(openErrorText('x.txt', e)).toBe('x.txt, line 3: folded: no count after the stack');
    expect(openErrorText('y.bin', new Error('boom'))).toBe('y.bin: boom');
  });
});
