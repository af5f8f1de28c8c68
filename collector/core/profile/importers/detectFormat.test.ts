// The core's code never touches files; its tests read their fixtures.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { totalWeight, type ProfileFormat } from '../model.js';
import { detectFormat } from './detectFormat.js';
import { importProfile } from './importProfile.js';

const root = new URL('../fixtures/', import.meta.url);

/** Every fixture file (scripts and notes beside them excluded), with the folder naming its format. */
function fixtures(): [string, ProfileFormat][] {
  const out: [string, ProfileFormat][] = [];
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const rel = `${entry.parentPath ?? entry.path}/${entry.name}`.slice(root.pathname.length);
    if (/\.(?:md|py|go|js\.txt)$|(?:^|\/)go\.mod$/.test(rel)) continue;
    out.push([rel, rel.split('/')[0] as ProfileFormat]);
  }
  return out.sort();
}

/** Files that are no profile at all (crafted refusals; the pre-protobuf Go profile). */
const NOT_A_PROFILE = new Set([
  'folded/crafted-no-valid-line.txt',
  'perf-script/crafted-no-header.txt',
  'austin/crafted-no-samples.austin',
  'pprof/profile_testdata_go.crc32.cpu',
]);

describe('detectFormat', () => {
  it.each(fixtures())('%s → %s (by content)', (rel, dir) => {
    const bytes = new Uint8Array(readFileSync(new URL(rel, root)));
    expect(detectFormat(bytes)).toBe(NOT_A_PROFILE.has(rel) ? undefined : dir);
  });

  it('covers every format', () => {
    const formats = new Set(fixtures().map(([, f]) => f));
    expect([...formats].sort()).toEqual([
      'austin',
      'bpftrace',
      'chrome-trace',
      'dtrace',
      'folded',
      'perf-script',
      'pprof',
      'pyroscope',
      'speedscope',
    ]);
  });

  it.each([
    ['empty', '', undefined],
    ['HTML', '<html><body>not a profile</body></html>\n', undefined],
    ['plain JSON', '{"a": 1}', undefined],
    ['folded after comment lines', '# taken by hand\n// notes\nmain;work 3\n', 'folded'],
    ['austin without metadata', 'P1;T2;/a.py:f:1 100\n', 'austin'],
    [
      'perf script without a call chain',
      'app 7 [000] 1.5: 1 cpu-clock:  4005c1 main (/x)\n',
      'perf-script',
    ],
    ['speedscope without $schema', '{"shared":{"frames":[]},"profiles":[]}', 'speedscope'],
  ])('%s', (_, text, expected) => {
    expect(detectFormat(new TextEncoder().encode(text))).toBe(expected);
  });

  it('a folded file whose first stack is longer than the 64 KB head (2,000 C++ frames) is folded', () => {
    const frame = (i: number) =>
      `std::vector<osprey::Frame>::emplace_back<int const&>(int const&)#${i}`;
    const line = Array.from({ length: 2000 }, (_, i) => frame(i)).join(';');
    const text = `${line} 7\n${line};leaf 3\n`;
    expect(line.length).toBeGreaterThan(65_536);
    const bytes = new TextEncoder().encode(text);
    expect(detectFormat(bytes)).toBe('folded');
    const set = importProfile({ name: 'deep.folded', bytes });
    expect(set.profiles.map(totalWeight)).toEqual([10]);
  });
});
