/**
 * `osprey profile info|convert|diff`, the real built CLI on the real fixtures
 * (collector/core/profile/fixtures): info's totals equal the file's own (folded: the sum of its
 * lines' counts; pprof: the sum of its sample values, decoded here with pprof-format), convert
 * round-trips, diff's JSON rows equal the core's changedMost, and errors name the file and line,
 * exit 1 and leave nothing behind.
 */
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';

import { Profile as PprofProfile } from 'pprof-format';
import { afterAll, describe, expect, it } from 'vitest';

import { changedMost } from '../core/profile/diff.js';
import { importProfile } from '../core/profile/importers/importProfile.js';
import { totalWeight, type ProfileSet } from '../core/profile/model.js';
import { REPO_ROOT, runOsprey } from '../testing/serveProcess.js';
import type { ProfileInfo } from './profileInfo.js';
import type { ProfileDiff } from './profileDiff.js';

const FIXTURES = join(REPO_ROOT, 'collector/core/profile/fixtures');
const tmp = mkdtempSync(join(tmpdir(), 'osprey-profile-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (!/\.(md|py|js)$/.test(name)) out.push(p);
  }
  return out;
}

/** Every fixture the importers read (the malformed ones are the importers' tests). */
function readable(): { file: string; set: ProfileSet }[] {
  const out: { file: string; set: ProfileSet }[] = [];
  for (const file of files(FIXTURES)) {
    try {
      const set = importProfile({ name: file, bytes: new Uint8Array(readFileSync(file)) });
      out.push({ file, set });
    } catch {
      // refused by the importer: an error case
    }
  }
  return out;
}

async function info(file: string, ...args: string[]): Promise<ProfileInfo> {
  const r = await runOsprey(['profile', 'info', file, '--json', ...args], 60_000);
  expect(r.stderr, file).toBe('');
  expect(r.code, file).toBe(0);
  return JSON.parse(r.stdout) as ProfileInfo;
}

/** A folded file's own total: the sum of the counts after each line's last space. */
function foldedTotal(file: string): number {
  let sum = 0;
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const m = / (\d+(?:\.\d+)?)\s*$/.exec(line);
    if (m && !line.startsWith('#') && line.trim().indexOf(' ') >= 0) sum += Number(m[1]);
  }
  return sum;
}

describe('osprey profile', () => {
  const all = readable();

  it('info --json totals equal each folded file’s own sum of counts', async () => {
    const folded = [
      'py-spy.txt',
      'py-spy-native.txt',
      'py-spy-threads.txt',
      'simple.txt',
      'recursion.txt',
    ];
    for (const name of folded) {
      const file = join(FIXTURES, 'folded', name);
      const got = await info(file);
      expect(got.format, name).toBe('folded');
      expect(
        got.profiles.reduce((s, p) => s + p.totalWeight, 0),
        name,
      ).toBe(foldedTotal(file));
    }
  });

  it('info --json --sample-type T totals equal a pprof file’s own sum of T’s values (decoded with pprof-format)', async () => {
    const dir = join(FIXTURES, 'pprof');
    const pprofs = files(dir).filter((f) => all.some((a) => a.file === f));
    let decoded = 0;
    for (const file of pprofs) {
      const raw = readFileSync(file);
      const bytes = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
      let p: PprofProfile;
      try {
        p = PprofProfile.decode(bytes);
      } catch {
        continue; // pprof-format cannot decode it (a crash report): no independent total
      }
      decoded += 1;
      const types = p.sampleType.map((t) => String(p.stringTable.strings[Number(t.type)]));
      for (let k = 0; k < types.length; k++) {
        let sum = 0;
        for (const s of p.sample) sum += Number(s.value[k] ?? 0);
        const got = await info(file, '--sample-type', types[k]!);
        expect(
          got.profiles.reduce((t, x) => t + x.totalWeight, 0),
          `${relative(FIXTURES, file)} (${types[k]})`,
        ).toBe(sum);
      }
    }
    expect(decoded).toBeGreaterThanOrEqual(3);
  });

  it('info --json on every readable fixture equals the importers’ own totals and sample counts', async () => {
    expect(all.length).toBeGreaterThan(10);
    for (const { file, set } of all) {
      const got = await info(file);
      expect(got.format, file).toBe(set.format);
      expect(
        got.profiles.map((p) => [p.name, p.totalWeight, p.samples]),
        file,
      ).toEqual(set.profiles.map((p) => [p.name, totalWeight(p), p.sampleStacks.length]));
      for (const p of got.profiles) {
        expect(p.top.length).toBeLessThanOrEqual(20);
        for (let i = 1; i < p.top.length; i++)
          expect(p.top[i - 1]!.self).toBeGreaterThanOrEqual(p.top[i]!.self);
      }
    }
  });

  it('prints a readable summary with the top functions and their shares', async () => {
    const file = join(FIXTURES, 'folded/py-spy.txt');
    const r = await runOsprey(['profile', 'info', file]);
    expect(r.code).toBe(0);
    const total = foldedTotal(file);
    expect(r.stdout).toContain(`total ${total.toLocaleString('en-US')} samples`);
    expect(r.stdout).toMatch(/self %\s+total %\s+function/);
  });

  it('convert → folded and → speedscope re-import to the same totals and top functions', async () => {
    for (const rel of [
      'folded/py-spy.txt',
      'perf-script/perf-python.txt',
      'folded/py-spy-threads.txt',
    ]) {
      const file = join(FIXTURES, rel);
      const before = await info(file);
      for (const to of ['speedscope', 'folded']) {
        const out = join(tmp, `${rel.replace(/\W/g, '_')}.${to}`);
        const r = await runOsprey(['profile', 'convert', file, '--to', to, '-o', out]);
        expect(r.code, `${rel} → ${to}: ${r.stderr}`).toBe(0);
        const after = await info(out);
        expect(after.format).toBe(to);
        const sum = (i: ProfileInfo) => i.profiles.reduce((s, p) => s + p.totalWeight, 0);
        expect(sum(after), `${rel} → ${to}`).toBe(sum(before));
        if (to === 'speedscope') {
          expect(after.profiles.map((p) => [p.name, p.totalWeight])).toEqual(
            before.profiles.map((p) => [p.name, p.totalWeight]),
          );
          expect(after.profiles[0]!.top.map((t) => [t.name, t.self])).toEqual(
            before.profiles[0]!.top.map((t) => [t.name, t.self]),
          );
        }
      }
    }
  });

  it('diff --json rows equal the core’s changedMost for the same two files', async () => {
    const a = join(FIXTURES, 'folded/py-spy.txt');
    const b = join(FIXTURES, 'folded/py-spy-native.txt');
    const r = await runOsprey(['profile', 'diff', a, b, '--json', '--limit', '500']);
    expect(r.code, r.stderr).toBe(0);
    const got = JSON.parse(r.stdout) as ProfileDiff;
    const read = (f: string) => importProfile({ name: f, bytes: new Uint8Array(readFileSync(f)) });
    const want = changedMost(read(a).profiles[0]!, read(b).profiles[0]!);
    expect(got.rows).toEqual(JSON.parse(JSON.stringify(want)));
    expect(got.before.total).toBe(foldedTotal(a));
    expect(got.after.total).toBe(foldedTotal(b));
    const table = await runOsprey(['profile', 'diff', a, b, '--limit', '5']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain(want[0]!.name);
    expect(table.stdout.trim().split('\n')).toHaveLength(4 + 1 + 5);
  });

  it('fails naming the file and the line or byte, exit code 1, and writes nothing', async () => {
    const notProfile = join(tmp, 'bad.txt');
    writeFileSync(notProfile, 'main;work;leaf many\nmain;idle twice\n');
    const noSamples = join(FIXTURES, 'austin/crafted-no-samples.austin');
    const cases: [string[], RegExp][] = [
      [['profile', 'info', join(tmp, 'missing.txt')], /missing\.txt: no such file/],
      [['profile', 'info', notProfile], /bad\.txt, byte 0: not a profile format Osprey reads/],
      [['profile', 'info', noSamples], /crafted-no-samples\.austin, (line|byte) \d+: /],
      [
        ['profile', 'diff', noSamples, join(FIXTURES, 'folded/py-spy.txt')],
        /crafted-no-samples\.austin, (line|byte) \d+: /,
      ],
    ];
    for (const [args, message] of cases) {
      const r = await runOsprey(args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(message);
      expect(r.stdout).toBe('');
    }
    const out = join(tmp, 'never.json');
    const r = await runOsprey(['profile', 'convert', noSamples, '--to', 'speedscope', '-o', out]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/crafted-no-samples\.austin, (line|byte) \d+: /);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(tmp).filter((f) => f.startsWith('never'))).toEqual([]);
    const to = await runOsprey(['profile', 'convert', noSamples, '--to', 'svg', '-o', out]);
    expect(to.code).toBe(1);
    expect(to.stderr).toContain('--to "svg": expected folded or speedscope');
  });

  it('lists its subcommands in help', async () => {
    const r = await runOsprey(['profile', '--help']);
    expect(r.code).toBe(0);
    for (const c of ['info', 'convert', 'diff']) expect(r.stdout).toContain(c);
  });
});
