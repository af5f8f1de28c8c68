/**
 * Flag parsing helpers shared by the commands. Every rejection names the flag and the value, so
 * `--interval 10` says what is wrong with it instead of failing later.
 */
import { InvalidArgumentError } from 'commander';

export function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new InvalidArgumentError(`"${value}" is not a TCP port (0–65535; 0 picks a free one).`);
  }
  return n;
}

/** 100 ms is the fastest nvidia-smi -lms honours usefully; above a minute nothing is "live". */
export function parseInterval(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 100 || n > 60_000) {
    throw new InvalidArgumentError(`"${value}" is not an interval in milliseconds (100–60000).`);
  }
  return Math.round(n);
}

/** `kmsg` is not a tool but the kernel log: a recorded one is read instead of /dev/kmsg. */
export const REPLAY_TOOLS = ['nvidia-smi', 'npu-smi', 'kmsg'] as const;
export type ReplayTool = (typeof REPLAY_TOOLS)[number];
export interface ReplaySpec {
  tool: ReplayTool;
  file: string;
}

export function parseReplay(value: string, previous: ReplaySpec[] = []): ReplaySpec[] {
  const eq = value.indexOf('=');
  const tool = value.slice(0, eq);
  const file = value.slice(eq + 1);
  if (eq <= 0 || !file) {
    throw new InvalidArgumentError(`"${value}" is not TOOL=FILE (e.g. nvidia-smi=capture.csv).`);
  }
  if (!(REPLAY_TOOLS as readonly string[]).includes(tool)) {
    throw new InvalidArgumentError(
      `unknown tool "${tool}" (expected ${REPLAY_TOOLS.slice(0, -1).join(', ')} or ${REPLAY_TOOLS.at(-1)}).`,
    );
  }
  if (previous.some((p) => p.tool === tool)) {
    throw new InvalidArgumentError(`${tool} is replayed twice.`);
  }
  return [...previous, { tool: tool as ReplayTool, file }];
}

/**
 * `--allow-host NAME` (repeatable): one more Host name the console, /api and /stream answer to,
 * such as the name of a tunnel or a reverse proxy in front (collector/outputs/hostGuard.ts). A
 * name or an IP address, without scheme, port or wildcard: each one is let in exactly.
 */
export function parseAllowHost(value: string, previous: string[] = []): string[] {
  const name = value.trim().toLowerCase();
  // IPv6 has at least two colons; `cafe:8443` is a name with a port.
  const ipv6 = /^\[?([0-9a-f]*:[0-9a-f]*:[0-9a-f:.]*)\]?$/.exec(name);
  if (ipv6) return [...previous, `[${ipv6[1]}]`];
  if (name.includes('://') || name.includes('/')) {
    throw new InvalidArgumentError(
      `"${value}" is not a host name: give the name alone, e.g. console.example.com.`,
    );
  }
  if (/:\d*$/.test(name)) {
    throw new InvalidArgumentError(
      `"${value}": give the name without a port (every port of this server answers to it).`,
    );
  }
  if (name.includes('*')) {
    throw new InvalidArgumentError(
      `"${value}": wildcards are not accepted; name each host (--allow-host a --allow-host b).`,
    );
  }
  // RFC 1123 labels (letters, digits, hyphens; underscores occur in real internal names).
  if (
    !/^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*$/.test(
      name,
    )
  ) {
    throw new InvalidArgumentError(`"${value}" is not a host name or IP address.`);
  }
  return [...previous, name];
}
