/**
 * What nvidia-smi says when it fails, pure. nvidia-smi(1) RETURN VALUE: 2 invalid argument (an
 * unknown --query-gpu field exits 2 with the message on stdout and nothing on stderr, as in
 * CoHDI/composable-resource-operator#37), 9 driver not loaded; "No devices were found" exits 6.
 * The words matter more than the codes, and they may be on either stream, so both are read.
 */
import type { CommandResult } from '../types.js';

/**
 * The field nvidia-smi rejected, from `Field "x" is not a valid field to query.` (curly quotes on
 * Windows builds), or undefined.
 */
export function rejectedField(output: string): string | undefined {
  const m = /Field\s+["'“”]([^"'“”]+)["'“”]\s+is not a valid field to query/i.exec(output);
  return m?.[1];
}

export type Failure = { state: 'absent' | 'error'; message: string };

// No GPU here to watch: the normal state of a machine without NVIDIA hardware or driver.
// A driver/library version mismatch is different: GPUs exist and cannot be read, so it is an error.
const ABSENT = [
  /couldn't communicate with the NVIDIA driver/i,
  /No devices were found/i,
  /Driver Not Loaded/i,
];

/** Sorts a failed run into "no NVIDIA GPU here" and "something is wrong", with a message. */
export function classifyFailure(res: CommandResult, timeoutMs: number): Failure {
  if (res.exceededBytes !== undefined) {
    return { state: 'error', message: `nvidia-smi ${exceededMessage(res.exceededBytes)}` };
  }
  const said = firstLines(`${res.stderr}\n${res.stdout}`);
  if (ABSENT.some((re) => re.test(said))) return { state: 'absent', message: said };
  if (res.code === null) {
    return {
      state: 'error',
      message: `nvidia-smi gave no answer within ${timeoutMs / 1000} s and was stopped`,
    };
  }
  return {
    state: 'error',
    message: `nvidia-smi exited with code ${res.code}${said ? `: ${said}` : ''}`,
  };
}

/** The first non-empty lines of tool output, joined, at most `max` characters. */
export function firstLines(text: string, lines = 2, max = 300): string {
  const joined = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .slice(0, lines)
    .join(' ');
  return joined.length > max ? `${joined.slice(0, max)}…` : joined;
}

/** "output exceeded 8 MB and was stopped": a runaway, told apart from a hang. */
export function exceededMessage(bytes: number): string {
  return `output exceeded ${bytes / 1024 / 1024} MB and was stopped`;
}
