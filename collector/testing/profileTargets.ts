/**
 * Processes for the profile-capture integration tests to profile, and whether the real tools are
 * here. A test that cannot run because a tool is missing says so in its name and on stderr rather
 * than passing silently.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** True when `cmd --version` runs (py-spy through pyenv's shim answers 127 when absent). */
export function toolWorks(cmd: string): boolean {
  const run = spawnSync(cmd, ['--version'], { stdio: 'ignore', timeout: 10_000 });
  return run.status === 0;
}

/** The title of a test that needs `tool`, saying plainly when it could not run. */
export function needs(tool: string, available: boolean, title: string): string {
  if (available) return title;
  process.stderr.write(`${title}: COULD NOT RUN, ${tool} is not installed here\n`);
  return `${title} — COULD NOT RUN: ${tool} is not installed here`;
}

/** The Python function the busy target spins in: what the profile must name. */
export const PYTHON_SPIN_FUNCTION = 'osprey_spin_target';

/**
 * A Python process spinning in PYTHON_SPIN_FUNCTION, printing its iteration count every
 * `reportMs` (for overhead measurements) and exiting after `exitAfterS` when given.
 */
export function startPythonSpinner(opts: { exitAfterS?: number } = {}): ChildProcess {
  const dir = mkdtempSync(join(tmpdir(), 'osprey-spin-'));
  const script = join(dir, 'spin.py');
  writeFileSync(
    script,
    [
      'import sys, time',
      `def ${PYTHON_SPIN_FUNCTION}(limit):`,
      '    start = time.monotonic()',
      '    n = 0',
      '    while limit is None or time.monotonic() - start < limit:',
      '        n += 1',
      '        if n % 200000 == 0:',
      "            sys.stdout.write(f'{time.monotonic():.3f} {n}\\n'); sys.stdout.flush()",
      `${PYTHON_SPIN_FUNCTION}(${opts.exitAfterS === undefined ? 'None' : String(opts.exitAfterS)})`,
      '',
    ].join('\n'),
  );
  return spawn('python3', [script], { stdio: ['ignore', 'pipe', 'inherit'] });
}

/** A native busy process: `yes` writing to /dev/null. */
export function startNativeSpinner(): ChildProcess {
  return spawn('yes', [], { stdio: ['ignore', 'ignore', 'ignore'] });
}

/** Resolves once the child printed its first line (Python has started its loop). */
export function firstOutput(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) =>
      reject(new Error(`target exited (${String(code)}) before output`)),
    );
  });
}

export function stop(child: ChildProcess): void {
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
