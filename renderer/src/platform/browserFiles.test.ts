import { describe, expect, it } from 'vitest';

import { acceptFor, openedFileFromBlob } from './browserFiles.js';

describe('openedFileFromBlob', () => {
  it('reads the asked range of the blob, not the whole', async () => {
    const file = openedFileFromBlob(new Blob([new Uint8Array([0, 1, 2, 3, 4, 5])]), 'r.mcap');
    expect(file.name).toBe('r.mcap');
    expect(file.size).toBe(6);
    expect([...(await file.read(2, 3))]).toEqual([2, 3, 4]);
    expect([...(await file.read(5, 10))]).toEqual([5]);
  });
});

describe('acceptFor', () => {
  it('lists the extensions with dots, and drops odd ones', () => {
    expect(acceptFor({ extensions: ['mcap', 'a b'] })).toBe('.mcap');
    expect(acceptFor({})).toBeUndefined();
  });
});
