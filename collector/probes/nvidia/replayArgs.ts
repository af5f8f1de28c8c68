/**
 * The nvidia-smi command lines a replay answers, pure: `--query-gpu=…` or `--query-compute-apps=…`,
 * `--format=csv[,noheader][,nounits]`, and optionally a loop (`-lms N`, `--loop-ms=N`, `-l N`,
 * `--loop=N`). Anything else is refused with a message, so a replay never pretends to answer a
 * question it has no recording for.
 */
import type { QueryKind } from './fields.js';

export interface ReplayRequest {
  kind: QueryKind;
  fields: string[];
  noheader: boolean;
  nounits: boolean;
  /** Milliseconds between samples when looping; undefined for one sample. */
  loopMs?: number;
}

const TAKES_VALUE = new Set([
  '--query-gpu',
  '--query-compute-apps',
  '--format',
  '-lms',
  '--loop-ms',
  '-l',
  '--loop',
]);

export function parseReplayArgs(args: readonly string[]): ReplayRequest | { error: string } {
  const opts = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const [flag, inline] = eq > 0 ? [arg.slice(0, eq), arg.slice(eq + 1)] : [arg, undefined];
    if (!TAKES_VALUE.has(flag)) {
      return {
        error: `nvidia-smi replay: unsupported argument "${arg}" (args: ${args.join(' ')})`,
      };
    }
    const value = inline ?? args[++i];
    if (value === undefined) return { error: `nvidia-smi replay: ${flag} needs a value` };
    opts.set(flag, value);
  }
  const gpu = opts.get('--query-gpu');
  const apps = opts.get('--query-compute-apps');
  if ((gpu === undefined) === (apps === undefined)) {
    return {
      error: 'nvidia-smi replay answers exactly one of --query-gpu or --query-compute-apps',
    };
  }
  const format = (opts.get('--format') ?? '').split(',').map((f) => f.trim());
  if (!format.includes('csv')) return { error: 'nvidia-smi replay answers --format=csv only' };
  const request: ReplayRequest = {
    kind: gpu !== undefined ? 'gpu' : 'compute-apps',
    fields: (gpu ?? apps ?? '').split(',').map((f) => f.trim()),
    noheader: format.includes('noheader'),
    nounits: format.includes('nounits'),
  };
  const ms = opts.get('-lms') ?? opts.get('--loop-ms');
  const s = opts.get('-l') ?? opts.get('--loop');
  const loopMs = ms !== undefined ? Number(ms) : s !== undefined ? Number(s) * 1000 : undefined;
  if (loopMs !== undefined) {
    if (!Number.isFinite(loopMs) || loopMs <= 0) {
      return { error: `nvidia-smi replay: bad loop interval "${ms ?? s}"` };
    }
    request.loopMs = loopMs;
  }
  return request;
}
