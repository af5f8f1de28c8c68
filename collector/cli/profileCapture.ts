/**
 * `osprey profile capture --pid P [--duration 10s] [--native] -o OUT`: a profile of a process on
 * this machine, through the same ProfileCapturer as the console's "Profile 10 s" (py-spy for
 * Python, perf otherwise; collector/profiling). OUT holds the tool's own text (py-spy's folded
 * stacks, or perf script), which `osprey profile info|convert` and the console read by content.
 * Progress goes to stderr, the summary to stdout; Ctrl-C cancels (the tool is killed, nothing is
 * written). Exit 1 with the fix on stderr when the capture fails (missing tool, permission, no
 * such process).
 */
import { rename, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';

import { InvalidArgumentError, type Command } from 'commander';

import {
  CaptureError,
  DEFAULT_CAPTURE_SECONDS,
  MAX_CAPTURE_SECONDS,
  type CapturedProfile,
  type CaptureProgress,
} from '../core/protocol/profileCapture.js';
import { createSystemRunner } from '../probes/systemRunner.js';
import { ProfileCapturer } from '../profiling/ProfileCapturer.js';

/** `10`, `10s`, `1m`, `1.5m` → whole seconds in 1..60. */
export function parseCaptureDuration(value: string): number {
  const m = /^(\d+(?:\.\d+)?)(s|m)?$/.exec(value.trim());
  const seconds = m ? Number(m[1]) * (m[2] === 'm' ? 60 : 1) : NaN;
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_CAPTURE_SECONDS) {
    throw new InvalidArgumentError(
      `"${value}" is not a duration of 1 to ${MAX_CAPTURE_SECONDS} whole seconds (e.g. 10s, 1m)`,
    );
  }
  return seconds;
}

function parsePid(value: string): number {
  const pid = Number(value);
  if (!/^\d+$/.test(value) || !Number.isInteger(pid) || pid < 1) {
    throw new InvalidArgumentError(`"${value}" is not a process id`);
  }
  return pid;
}

export interface CaptureCliOptions {
  pid: number;
  duration: number;
  native?: boolean;
  output: string;
}

/** What stdout says of a capture written to `path`. */
export function captureSummary(profile: CapturedProfile, path: string): string {
  const kind = profile.format === 'folded' ? 'folded stacks' : 'perf script text';
  return `${path}: ${profile.tool} capture of pid ${profile.pid} on ${profile.node}, ${profile.durationS} s at ${profile.rateHz} Hz, ${kind}, ${Buffer.byteLength(profile.text)} bytes`;
}

export async function runProfileCapture(
  opts: CaptureCliOptions,
  capturer = new ProfileCapturer({ runner: createSystemRunner(), node: hostname() }),
): Promise<number> {
  const controller = new AbortController();
  const cancel = (): void => controller.abort(new Error('interrupted'));
  process.once('SIGINT', cancel);
  process.once('SIGTERM', cancel);
  const tty = process.stderr.isTTY;
  const onProgress = (p: CaptureProgress): void => {
    const line = `profiling pid ${opts.pid}: ${p.phase === 'recording' ? `${p.elapsedS}/${p.durationS} s` : 'reading the samples…'}`;
    process.stderr.write(tty ? `\r${line}\u001b[K` : `${line}\n`);
  };
  try {
    const profile = await capturer.start({
      pid: opts.pid,
      durationS: opts.duration,
      native: opts.native,
      signal: controller.signal,
      onProgress,
    });
    if (tty) process.stderr.write('\n');
    // Written beside the target and renamed: OUT is never half a profile.
    const partial = `${opts.output}.partial-${process.pid}`;
    await writeFile(partial, profile.text);
    await rename(partial, opts.output);
    for (const warning of profile.warnings) process.stderr.write(`osprey: warning: ${warning}\n`);
    process.stdout.write(`${captureSummary(profile, opts.output)}\n`);
    return 0;
  } catch (error) {
    if (tty) process.stderr.write('\n');
    if (!(error instanceof CaptureError)) throw error;
    process.stderr.write(`osprey: ${error.message}\n`);
    return error.kind === 'cancelled' ? 130 : 1;
  } finally {
    process.off('SIGINT', cancel);
    process.off('SIGTERM', cancel);
  }
}

/** Adds `capture` to `osprey profile` (profile.ts). */
export function registerProfileCapture(profile: Command, setExit: (code: number) => void): Command {
  profile
    .command('capture')
    .description(
      'Profile a process on this machine: py-spy for Python (--native adds C/C++ frames), perf ' +
        "otherwise; writes the tool's text (folded stacks or perf script) to OUT.",
    )
    .requiredOption('--pid <pid>', 'the process to profile', parsePid)
    .option(
      '--duration <time>',
      `how long to sample, up to ${MAX_CAPTURE_SECONDS}s`,
      parseCaptureDuration,
      DEFAULT_CAPTURE_SECONDS,
    )
    .option('--native', 'py-spy: also sample native frames of C/C++/Cython extensions')
    .requiredOption('-o, --output <file>', 'where to write the profile')
    .action(async (opts: CaptureCliOptions) => setExit(await runProfileCapture(opts)));
  return profile;
}
