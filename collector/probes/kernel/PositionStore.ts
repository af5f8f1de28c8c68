/**
 * Where the kernel probe stopped reading, kept in a small JSON file so a restarted collector does
 * not read (and report) the same kernel lines again: the boot it was read in, the last /dev/kmsg
 * sequence number, and for the journalctl/dmesg fallbacks the last line's time. A different boot
 * id means the kernel's sequence numbers started over, so the position is not used.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';

export interface Position {
  bootId?: string;
  /** Last /dev/kmsg sequence number read. */
  seq?: number;
  /** Last journalctl/dmesg line time read (ms epoch). */
  ts?: number;
}

/** `$XDG_STATE_HOME/osprey/kernel-log.json`, else `~/.local/state/osprey/kernel-log.json`. */
export function defaultPositionPath(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_STATE_HOME || join(homedir(), '.local', 'state');
  return join(base, 'osprey', 'kernel-log.json');
}

export class PositionStore {
  private saved = '';

  constructor(private readonly path: string) {}

  /** The stored position for this boot, or undefined (none, unreadable, another boot). */
  load(bootId: string | undefined): Position | undefined {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(this.path, 'utf8'));
    } catch {
      return undefined;
    }
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const p = parsed as Record<string, unknown>;
    if (bootId === undefined || p.bootId !== bootId) return undefined;
    const out: Position = { bootId };
    if (Number.isSafeInteger(p.seq) && (p.seq as number) >= 0) out.seq = p.seq as number;
    if (typeof p.ts === 'number' && Number.isFinite(p.ts)) out.ts = p.ts;
    return out;
  }

  /** Writes the position when it changed (write to a temporary file, then rename). */
  save(position: Position): void {
    const text = JSON.stringify(position);
    if (text === this.saved) return;
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, `${text}\n`, { mode: 0o600 });
    renameSync(tmp, this.path);
    this.saved = text;
  }
}
