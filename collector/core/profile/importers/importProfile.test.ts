// The core's code never touches files; its tests read their fixtures.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { MAX_PROFILE_BYTES, totalWeight } from '../model.js';
import { checkProfileSize, describeSize, importProfile } from './importProfile.js';
import { ProfileImportError } from './types.js';

const fixture = (rel: string) =>
  new Uint8Array(readFileSync(new URL(`../fixtures/${rel}`, import.meta.url)));

describe('importProfile', () => {
  it.each([
    ['folded/py-spy.txt', 'folded'],
    ['perf-script/perf-python-pid.txt', 'perf-script'],
    ['speedscope/py-spy-threads.speedscope.json', 'speedscope'],
    ['austin/crafted-wall.austin', 'austin'],
    ['pprof/speedscope-simple.prof', 'pprof'],
    ['pyroscope/simple-golang-app-cpu.json', 'pyroscope'],
    ['chrome-trace/torch-cpu-tiny.json', 'chrome-trace'],
  ])('%s is read by the %s importer', (rel, format) => {
    const set = importProfile({ name: rel, bytes: fixture(rel) });
    expect(set.format).toBe(format);
    expect(set.profiles.length).toBeGreaterThan(0);
    expect(set.profiles.every((p) => totalWeight(p) > 0)).toBe(true);
  });

  it.each([
    ['chrome-trace/torch-cpu-tiny.json', 'chrome-trace'],
    ['folded/py-spy.txt', 'folded'],
    ['speedscope/py-spy-threads.speedscope.json', 'speedscope'],
  ])('gzipped %s (as *.pt.trace.json.gz) reads as %s with the same totals', (rel, format) => {
    const plain = importProfile({ name: rel, bytes: fixture(rel) });
    const zipped = importProfile({ name: `${rel}.gz`, bytes: gzipSync(fixture(rel)) });
    expect(zipped.format).toBe(format);
    expect(zipped.profiles.map(totalWeight)).toEqual(plain.profiles.map(totalWeight));
  });

  it('refuses gzip whose trailer says it inflates past the limit, before inflating', () => {
    const bomb = gzipSync(new TextEncoder().encode('a;b 1\n'));
    const n = bomb.length;
    // ISIZE (RFC 1952 §2.3.1): the inflated size mod 2^32, little-endian, in the last 4 bytes.
    new DataView(bomb.buffer).setUint32(n - 4, MAX_PROFILE_BYTES + 1, true);
    expect(() => importProfile({ name: 'bomb.gz', bytes: bomb })).toThrow(
      /bomb\.gz \(inflated\).*above the 1\.0 GB/,
    );
  });

  it('refuses a file above MAX_PROFILE_BYTES before reading it, naming size and limit', () => {
    const huge = new Uint8Array(1);
    Object.defineProperty(huge, 'length', { value: 2 * 1024 ** 3 });
    expect(() => importProfile({ name: 'huge.folded', bytes: huge })).toThrow(ProfileImportError);
    expect(() => importProfile({ name: 'huge.folded', bytes: huge })).toThrow(
      'huge.folded: the file is 2.0 GB (2147483648 bytes), above the 1.0 GB (1073741824 bytes) limit for profiles',
    );
  });

  it('checkProfileSize lets the limit itself through and refuses one byte more', () => {
    expect(() => checkProfileSize('a', MAX_PROFILE_BYTES)).not.toThrow();
    expect(() => checkProfileSize('a', MAX_PROFILE_BYTES + 1)).toThrow(/^a: the file is 1\.0 GB/);
    expect(describeSize(512)).toBe('512 bytes');
    expect(describeSize(1536)).toBe('1.5 KB (1536 bytes)');
  });

  it('names the file and what it starts with when no format matches (as text or hex)', () => {
    expect(() =>
      importProfile({ name: 'page.html', bytes: new TextEncoder().encode('<html>hi</html>') }),
    ).toThrow(
      /^page\.html, byte 0: not a profile format Osprey reads .*; it starts with "<html>hi<\/html>"$/,
    );
    expect(() =>
      importProfile({ name: 'blob.bin', bytes: new Uint8Array([0, 1, 2, 255]) }),
    ).toThrow(/it starts with 00 01 02 ff$/);
    expect(() => importProfile({ name: 'empty.txt', bytes: new Uint8Array() })).toThrow(
      'empty.txt, byte 0: the file is empty',
    );
  });

  it('takes a format from the caller and lets that importer judge the content', () => {
    const bytes = new TextEncoder().encode('P1;T2;/a.py:f:1 100\n');
    expect(importProfile({ name: 'x', bytes }, { format: 'austin' }).format).toBe('austin');
    expect(() => importProfile({ name: 'x', bytes }, { format: 'speedscope' })).toThrow(
      /^x: speedscope: not valid JSON \(/,
    );
  });
});
