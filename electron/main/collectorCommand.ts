/**
 * The command line of the embedded collector and the one line it prints when it listens. Pure, so
 * the process lifecycle in collectorProcess.ts can be tested with a fake child.
 */
import type { CollectorEndpoint } from '../common/api.js';

export const READY_PREFIX = 'OSPREY_READY ';

export interface CollectorArgs {
  /** collector/bin/osprey.js */
  script: string;
  /** 0 lets the OS pick; a restart passes the previous port so the window's URL stays valid. */
  port: number;
  token: string;
  intervalMs: number;
}

/**
 * The token travels in the environment (OSPREY_TOKEN), not argv: any local user can read another
 * process's command line from /proc/<pid>/cmdline, but not its environment. `--exit-with-stdin`
 * makes the collector stop when our end of its stdin closes, so a crashed main process leaves no
 * orphan behind.
 */
export function collectorArgs({
  script,
  port,
  intervalMs,
}: Omit<CollectorArgs, 'token'>): string[] {
  return [
    script,
    'serve',
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--interval',
    String(intervalMs),
    '--exit-with-stdin',
  ];
}

export function collectorEnv(env: NodeJS.ProcessEnv, token: string): NodeJS.ProcessEnv {
  return { ...env, OSPREY_TOKEN: token };
}

/**
 * The endpoint announced by `OSPREY_READY {"url":…,"token":…}`, or undefined for any other line.
 * A READY line that does not hold a loopback http URL and a token is an error: the window would
 * otherwise load whatever it names.
 */
export function parseReadyLine(line: string): CollectorEndpoint | undefined {
  if (!line.startsWith(READY_PREFIX)) return undefined;
  const json = line.slice(READY_PREFIX.length);
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new Error(`collector READY line is not JSON: ${json.slice(0, 200)}`);
  }
  const { url, token } = (value ?? {}) as { url?: unknown; token?: unknown };
  if (typeof url !== 'string' || !/^http:\/\/127\.0\.0\.1:\d{1,5}$/.test(url)) {
    throw new Error(`collector READY line has no loopback http URL: ${json.slice(0, 200)}`);
  }
  if (typeof token !== 'string' || token.length === 0) {
    throw new Error('collector READY line has no token');
  }
  return { url, token };
}

/** The port of an endpoint URL that parseReadyLine accepted. */
export function portOf(endpoint: CollectorEndpoint): number {
  return Number(new URL(endpoint.url).port);
}
