/**
 * Real captures of real processes on this machine: py-spy (0.4.2, pip) on a Python process the
 * test starts, Debian's perf on `yes`. Sample totals are checked against rate × duration with
 * stated bounds: py-spy samples on wall-clock ticks and skips none of a busy thread, but on this
 * 2-core machine shared with other jobs a tick can be late (lower bound 50 %); perf's cpu-clock
 * samples only while the target is on a CPU, which `yes` is nearly always.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { runProfileCapture } from '../cli/profileCapture.js';
import { importFolded } from '../core/profile/importers/folded.js';
import { importPerfScript } from '../core/profile/importers/perfScript.js';
import { totalWeight } from '../core/profile/model.js';
import { createSystemRunner } from '../probes/systemRunner.js';
import {
  firstOutput,
  needs,
  PYTHON_SPIN_FUNCTION,
  startNativeSpinner,
  startPythonSpinner,
  stop,
  toolWorks,
} from '../testing/profileTargets.js';
import { REAL_TEMP_FILES, type TempFiles } from './captureProfile.js';
import { ProfileCapturer } from './ProfileCapturer.js';
import type { ChildProcess } from 'node:child_process';

const PY_SPY = toolWorks('py-spy');
const PERF = toolWorks('perf');

/** Real temp files, remembering each directory made so the test can check it is gone. */
function trackedFiles(): TempFiles & { dirs: string[] } {
  const dirs: string[] = [];
  return {
    ...REAL_TEMP_FILES,
    dirs,
    makeDir: async () => {
      const dir = await REAL_TEMP_FILES.makeDir();
      dirs.push(dir);
      return dir;
    },
  };
}

/** Sum of a folded file's counts. */
function foldedTotal(text: string): number {
  let total = 0;
  for (const line of text.split('\n')) {
    const m = /\s(\d+)$/.exec(line);
    if (m) total += Number(m[1]);
  }
  return total;
}

/** CPU seconds the process has used (/proc/<pid>/stat utime + stime, in USER_HZ = 100 ticks). */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** perf script: one sample per header line (not indented), `comm pid time: period event:`. */
function perfSamples(text: string, pid: number): number {
  return text.split('\n').filter((l) => new RegExp(`^\\S.*\\s${pid}\\s+[\\d.]+:`).test(l)).length;
}

const children: ChildProcess[] = [];
afterEach(() => children.splice(0).forEach(stop));

describe('profile capture with the real tools', () => {
  it.skipIf(!PY_SPY)(
    needs(
      'py-spy',
      PY_SPY,
      'py-spy: the spinning function is in the profile and the total is about 100 Hz × 3 s',
    ),
    async () => {
      const target = startPythonSpinner();
      children.push(target);
      await firstOutput(target);
      const files = trackedFiles();
      const capturer = new ProfileCapturer({
        runner: createSystemRunner(),
        node: 'test-node',
        files,
      });
      const progress: number[] = [];
      const result = await capturer.start({
        pid: target.pid!,
        durationS: 3,
        onProgress: (p) => progress.push(p.elapsedS),
      });
      expect(result.tool).toBe('py-spy');
      expect(result.format).toBe('folded');
      expect(result.text).toContain(`${PYTHON_SPIN_FUNCTION} (spin.py:`);
      const total = foldedTotal(result.text);
      // Read by the console's own importer, the profile holds every sample and names the function.
      const set = importFolded({ name: 'capture', bytes: new TextEncoder().encode(result.text) });
      expect(set.profiles.reduce((n, p) => n + totalWeight(p), 0)).toBe(total);
      expect(set.profiles[0]!.frames.some((f) => f.name === PYTHON_SPIN_FUNCTION)).toBe(true);
      expect(total).toBeGreaterThanOrEqual(150);
      expect(total).toBeLessThanOrEqual(303);
      expect(progress[0]).toBe(0);
      expect(progress.length).toBeGreaterThanOrEqual(3);
      expect(files.dirs).toHaveLength(1);
      expect(existsSync(files.dirs[0]!)).toBe(false);
    },
    30_000,
  );

  it.skipIf(!PY_SPY)(
    needs('py-spy', PY_SPY, 'py-spy: cancel stops the tool at once and leaves no temp files'),
    async () => {
      const target = startPythonSpinner();
      children.push(target);
      await firstOutput(target);
      const files = trackedFiles();
      const capturer = new ProfileCapturer({ runner: createSystemRunner(), node: 'n', files });
      const controller = new AbortController();
      const run = capturer.start({ pid: target.pid!, durationS: 30, signal: controller.signal });
      await new Promise((r) => setTimeout(r, 1500));
      const cancelledAt = Date.now();
      controller.abort();
      await expect(run).rejects.toMatchObject({ kind: 'cancelled' });
      expect(Date.now() - cancelledAt).toBeLessThan(3000);
      expect(existsSync(files.dirs[0]!)).toBe(false);
      expect(capturer.busyPids()).toEqual([]);
      // The target itself keeps running: only the tool was killed.
      expect(target.exitCode).toBeNull();
    },
    30_000,
  );

  it.skipIf(!PY_SPY)(
    needs(
      'py-spy',
      PY_SPY,
      'py-spy: a process that exits mid-capture gives the part it ran and says so',
    ),
    async () => {
      const target = startPythonSpinner({ exitAfterS: 1.5 });
      children.push(target);
      await firstOutput(target);
      const capturer = new ProfileCapturer({ runner: createSystemRunner(), node: 'n' });
      const result = await capturer.start({ pid: target.pid!, durationS: 5 });
      expect(result.warnings.join('\n')).toMatch(/exited during the capture/);
      expect(result.text).toContain(PYTHON_SPIN_FUNCTION);
    },
    30_000,
  );

  it.skipIf(!PERF)(
    needs('perf', PERF, 'perf: a native process (yes) sampled at 99 Hz for 2 s'),
    async () => {
      const target = startNativeSpinner();
      children.push(target);
      await new Promise((r) => setTimeout(r, 200));
      const files = trackedFiles();
      const capturer = new ProfileCapturer({ runner: createSystemRunner(), node: 'n', files });
      // perf's cpu-clock samples only while the target runs on a CPU: on this shared 2-core
      // machine `yes` gets what the scheduler gives it, so the expected count is 99 Hz × the CPU
      // seconds it used while perf recorded (from the kernel's own /proc/<pid>/stat).
      let cpuAtStart: number | undefined;
      let cpuAtEnd: number | undefined;
      const result = await capturer.start({
        pid: target.pid!,
        durationS: 2,
        onProgress: (p) => {
          if (cpuAtStart === undefined) cpuAtStart = cpuSeconds(target.pid!);
          if (p.phase === 'processing' && cpuAtEnd === undefined)
            cpuAtEnd = cpuSeconds(target.pid!);
        },
      });
      expect(result.tool).toBe('perf');
      expect(result.format).toBe('perf-script');
      const samples = perfSamples(result.text, target.pid!);
      const set = importPerfScript({
        name: 'capture',
        bytes: new TextEncoder().encode(result.text),
      });
      const profile = set.profiles[0]!;
      expect(set.profiles).toHaveLength(1);
      // Every perf sample weighs one in the importer (unit `samples`).
      expect(profile.unit).toBe('samples');
      expect(totalWeight(profile)).toBe(samples);
      const expected = 99 * (cpuAtEnd! - cpuAtStart!);
      expect(expected).toBeGreaterThan(50);
      expect(samples).toBeGreaterThanOrEqual(0.75 * expected);
      expect(samples).toBeLessThanOrEqual(1.25 * expected);
      expect(result.text).toMatch(/\(\/usr\/bin\/yes\)|libc\.so/);
      expect(existsSync(files.dirs[0]!)).toBe(false);
    },
    30_000,
  );

  it.skipIf(!PERF)(
    needs(
      'perf',
      PERF,
      'perf: a Node process started with --perf-basic-prof shows its JS function',
    ),
    async () => {
      const spin = 'function ospreyNodeSpin() { let x = 0; for (;;) x = (x * 31 + 7) % 1000003; }';
      // In a temporary directory: with --perf-basic-prof, V8 also writes an isolate-*-v8.log into
      // the working directory, which must not be the repository.
      const cwd = tmpdir();
      const withMap = spawn(
        process.execPath,
        ['--perf-basic-prof', '-e', `${spin} ospreyNodeSpin()`],
        {
          cwd,
        },
      );
      const without = spawn(process.execPath, ['-e', `${spin} ospreyNodeSpin()`], { cwd });
      children.push(withMap, without);
      await new Promise((r) => setTimeout(r, 500));
      const capturer = new ProfileCapturer({ runner: createSystemRunner(), node: 'n' });
      try {
        const [a, b] = await Promise.all([
          capturer.start({ pid: withMap.pid!, durationS: 2 }),
          capturer.start({ pid: without.pid!, durationS: 2 }),
        ]);
        // perf script reads /tmp/perf-<pid>.map, which --perf-basic-prof writes.
        expect(a.text).toMatch(/JS:\*?ospreyNodeSpin/);
        expect(a.warnings).toEqual([]);
        expect(b.text).not.toContain('ospreyNodeSpin');
        expect(b.warnings.join('\n')).toContain('--perf-basic-prof');
      } finally {
        rmSync(`/tmp/perf-${withMap.pid}.map`, { force: true });
      }
    },
    30_000,
  );

  it.skipIf(!PY_SPY)(
    needs('py-spy', PY_SPY, '`osprey profile capture` writes the folded profile to -o'),
    async () => {
      const target = startPythonSpinner();
      children.push(target);
      await firstOutput(target);
      const out = join(mkdtempSync(join(tmpdir(), 'osprey-cli-')), 'spin.folded');
      const code = await runProfileCapture({ pid: target.pid!, duration: 2, output: out });
      expect(code).toBe(0);
      const text = readFileSync(out, 'utf8');
      expect(text).toContain(PYTHON_SPIN_FUNCTION);
      expect(foldedTotal(text)).toBeGreaterThanOrEqual(100);
      expect(foldedTotal(text)).toBeLessThanOrEqual(202);
    },
    30_000,
  );

  it('`osprey profile capture` of a pid that does not exist: exit 1, nothing written', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'osprey-cli-')), 'none.folded');
    const code = await runProfileCapture({ pid: 4_000_000, duration: 1, output: out });
    expect(code).toBe(1);
    expect(existsSync(out)).toBe(false);
  });

  it('no such process: a clear refusal without running a tool', async () => {
    const capturer = new ProfileCapturer({ runner: createSystemRunner(), node: 'n' });
    await expect(capturer.start({ pid: 4_000_000, durationS: 1 })).rejects.toThrow(
      'no process 4000000 on n (it exited?)',
    );
  });
});
