/**
 * The kernel log probe (issue 14): reads the kernel's messages as they come and turns the ones
 * about accelerators (Xid, SXid, fallen off the bus, GSP timeouts, PCIe AER, Ascend driver errors)
 * into Signals, which the collector maps to devices and diagnoses.
 *
 * Sources, first that works: /dev/kmsg (followed by sequence number, the position kept on disk so
 * a restart reads nothing twice), then `journalctl -k -f -o short-iso`, then `dmesg --follow`
 * (both skip lines at or before the stored time). None readable: "absent" when the system has no
 * kernel log to offer, "error" naming each refusal (e.g. /dev/kmsg needs root or CAP_SYSLOG when
 * kernel.dmesg_restrict is 1). `--replay kmsg=FILE` reads a recorded log instead, once.
 */
import { readFileSync } from 'node:fs';
import { uptime } from 'node:os';

import { KernelLineReader } from '../../core/diagnosis/KernelLineReader.js';
import type { KernelLineOptions } from '../../core/diagnosis/kernelLine.js';
import type { ProbeStatus } from '../../core/model.js';
import { ProblemLog } from '../nvidia/ProblemLog.js';
import { fileLines } from '../replayLines.js';
import type { CommandRunner, LineStream, Probe, ProbeReading } from '../types.js';
import { isNotFound } from '../types.js';
import { KmsgFollower, nodeKmsgFs, type KmsgFs } from './KmsgFollower.js';
import { PositionStore, type Position } from './PositionStore.js';
import { SignalBuffer } from './SignalBuffer.js';

export interface KernelProbeOptions {
  /** `--replay kmsg=FILE`: read this recorded log once instead of the live one. */
  replayFile?: string;
  /** Where the read position is kept (PositionStore); none: not kept. */
  positionPath?: string;
  /** Default /dev/kmsg. */
  kmsgPath?: string;
  fs?: KmsgFs;
  /** How often /dev/kmsg is drained (default 250 ms). */
  pollMs?: number;
  now?: () => number;
  /** Wall-clock ms of boot (default: now minus /proc/uptime). */
  bootTimeMs?: () => number | undefined;
  /** This boot's id (default /proc/sys/kernel/random/boot_id). */
  bootId?: () => string | undefined;
}

type Source = 'replay' | 'kmsg' | 'journalctl' | 'dmesg';

const STREAMS: readonly { source: Source; cmd: string; args: readonly string[] }[] = [
  { source: 'journalctl', cmd: 'journalctl', args: ['-k', '-f', '-o', 'short-iso', '--no-pager'] },
  { source: 'dmesg', cmd: 'dmesg', args: ['--follow'] },
];

/** Lines read from a replay between two yields to the event loop. */
const REPLAY_BATCH = 5_000;
const SAVE_EVERY_MS = 5_000;
const MAX_STATUS_CHARS = 4096;

export class KernelProbe implements Probe {
  readonly name = 'kernel-log';
  private readonly now: () => number;
  private readonly buffer = new SignalBuffer();
  private readonly problems = new ProblemLog();
  private readonly reader = new KernelLineReader();
  private status: ProbeStatus;
  private source: Source | undefined;
  /** Why sources were passed over, for the status message. */
  private readonly refusals: string[] = [];
  private kmsg: KmsgFollower | undefined;
  private poll: ReturnType<typeof setInterval> | undefined;
  private stream: LineStream | undefined;
  private restart: ReturnType<typeof setTimeout> | undefined;
  private restarts = 0;
  private store: PositionStore | undefined;
  private position: Position = {};
  private lastSave = 0;
  private bootTimeMs: number | undefined;
  /** Why the source in use is not reading now (a stream that died, a failed replay). */
  private down: string | undefined;
  private stopped = false;

  constructor(
    private readonly runner: CommandRunner,
    private readonly opts: KernelProbeOptions = {},
  ) {
    this.now = opts.now ?? Date.now;
    this.status = { probe: this.name, state: 'starting', since: this.now() };
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.bootTimeMs = (this.opts.bootTimeMs ?? readBootTime)();
    if (this.opts.replayFile !== undefined) return this.replay(this.opts.replayFile);
    const bootId = (this.opts.bootId ?? readBootId)();
    if (this.opts.positionPath !== undefined) {
      this.store = new PositionStore(this.opts.positionPath);
      this.position = this.store.load(bootId) ?? { bootId };
    }
    this.position.bootId = bootId;
    if (this.openKmsg()) return;
    await this.followStream(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poll !== undefined) clearInterval(this.poll);
    this.poll = undefined;
    if (this.restart !== undefined) clearTimeout(this.restart);
    this.restart = undefined;
    this.stream?.stop();
    this.stream = undefined;
    if (this.kmsg) this.drainKmsg();
    this.kmsg?.close();
    this.kmsg = undefined;
    this.savePosition(true);
  }

  collect(now: number): Promise<ProbeReading> {
    try {
      if (this.kmsg) this.drainKmsg();
      const signals = this.buffer.take();
      const dropped = this.buffer.takeDropped();
      if (dropped > 0) {
        this.problems.add(
          `${dropped} kernel log signals dropped (more than 256 in one interval)`,
          now,
        );
      }
      this.savePosition(false);
      this.judge(now);
      return Promise.resolve({
        status: { ...this.status },
        devices: [],
        samples: [],
        events: [],
        signals,
      });
    } catch (error) {
      this.setState('error', `kernel log: ${(error as Error).message}`, now);
      return Promise.resolve({ status: { ...this.status }, devices: [], samples: [], events: [] });
    }
  }

  /**
   * A replay stands in for a live node, so its faults happen now: the log's dated lines are moved
   * as one block so that the latest is at the start of the replay (their spacing, which the
   * correlation windows read, is kept; each evidence line keeps its own printed time). A log
   * recorded months ago (or stamped ahead of this clock) would otherwise show as old news or as
   * clock skew in every console. A first pass finds the latest time.
   */
  private async replay(file: string): Promise<void> {
    this.source = 'replay';
    const opts = this.lineOptions('replay');
    let n = 0;
    const yieldSometimes = async (): Promise<void> => {
      if (++n % REPLAY_BATCH === 0) await new Promise((resolve) => setImmediate(resolve));
    };
    try {
      const start = this.now();
      let latest = -Infinity;
      const scout = new KernelLineReader();
      const dated = (s: { ts: number; evidence: { ts: number | null }[] }): boolean =>
        s.evidence.some((e) => e.ts !== null);
      for (const line of fileLines(file)()) {
        if (this.stopped) return;
        for (const s of scout.push(line, { ...opts, now: start }))
          if (dated(s)) latest = Math.max(latest, s.ts);
        await yieldSometimes();
      }
      for (const s of scout.flush()) if (dated(s)) latest = Math.max(latest, s.ts);
      const shift = Number.isFinite(latest) ? start - latest : 0;
      const moved = <T extends { ts: number; evidence: { ts: number | null }[] }>(s: T): T =>
        dated(s) ? { ...s, ts: s.ts + shift } : s;
      for (const line of fileLines(file)()) {
        if (this.stopped) return;
        opts.now = this.now();
        for (const s of this.reader.push(line, opts)) this.buffer.add(moved(s));
        await yieldSometimes();
      }
      for (const s of this.reader.flush()) this.buffer.add(moved(s));
    } catch (error) {
      this.down = `--replay kmsg=${file}: ${(error as Error).message}`;
    }
    this.judge(this.now());
  }

  private openKmsg(): boolean {
    const path = this.opts.kmsgPath ?? '/dev/kmsg';
    const follower = new KmsgFollower(
      this.opts.fs ?? nodeKmsgFs,
      path,
      (line, record) => {
        this.position.seq = record.seq;
        this.take(line, 'kmsg');
      },
      this.position.seq,
    );
    try {
      follower.open();
    } catch (error) {
      this.refusals.push(`${path}: ${describeOpenError(error)}`);
      return false;
    }
    this.kmsg = follower;
    this.source = 'kmsg';
    this.drainKmsg();
    this.poll = setInterval(() => {
      try {
        this.drainKmsg();
      } catch (error) {
        this.down = `${path}: ${(error as Error).message}`;
      }
    }, this.opts.pollMs ?? 250);
    this.poll.unref?.();
    this.judge(this.now());
    return true;
  }

  private drainKmsg(): void {
    const result = this.kmsg!.drain();
    if (result.overwritten > 0) {
      this.problems.add(
        `kernel log records were overwritten before they were read (${result.overwritten} gaps); some may be missing`,
        this.now(),
      );
    }
  }

  /** Starts STREAMS[i]; one that cannot run at all hands over to the next. */
  private followStream(i: number): Promise<void> {
    const spec = STREAMS[i];
    if (spec === undefined) {
      this.noSource();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      let lines = 0;
      let settled = false;
      const settle = (): void => {
        if (!settled) resolve();
        settled = true;
      };
      const opts = this.lineOptions(spec.source);
      this.stream = this.runner.spawnLines(spec.cmd, spec.args, {
        onLine: (line) => {
          if (lines++ === 0) {
            this.source = spec.source;
            this.down = undefined;
            this.restarts = 0;
            this.judge(this.now());
            settle();
          }
          opts.now = this.now();
          this.takeStreamLine(line, opts);
        },
        onExit: (code, stderr, error) => {
          this.stream = undefined;
          if (this.stopped) return settle();
          const said = firstLine(stderr) || error?.message || `exited with code ${code}`;
          if (lines === 0 && this.source !== spec.source) {
            const why = isNotFound(error) ? 'not installed' : said;
            this.refusals.push(`${spec.cmd}: ${why}`);
            void this.followStream(i + 1).then(settle);
            return;
          }
          const wait = Math.min(30_000, 1_000 * 2 ** this.restarts++);
          this.down = `${spec.cmd} ${said}; restarting in ${wait / 1000} s`;
          this.judge(this.now());
          this.restart = setTimeout(() => {
            this.restart = undefined;
            if (!this.stopped) void this.followStream(i);
          }, wait);
          settle();
        },
      });
      // A follower that prints nothing yet (a quiet kernel) is running: do not wait for a line.
      setTimeout(() => {
        if (!settled && this.stream !== undefined) {
          this.source = spec.source;
          this.judge(this.now());
          settle();
        }
      }, 1_000).unref?.();
    });
  }

  private noSource(): void {
    const denied = this.refusals.some((r) => /permission|not permitted|EACCES|EPERM/i.test(r));
    const message = `no kernel log readable here: ${this.refusals.join('; ')}`;
    this.setState(denied ? 'error' : 'absent', message, this.now());
  }

  private takeStreamLine(line: string, opts: KernelLineOptions): void {
    for (const s of this.reader.push(line, opts)) {
      const ts = s.evidence[0]?.ts;
      // Lines at or before the stored time were read by an earlier run (journalctl and dmesg
      // print their history first).
      if (ts != null && this.position.ts !== undefined && ts <= this.position.ts) continue;
      if (ts != null) this.position.ts = Math.max(ts, this.position.ts ?? 0);
      this.buffer.add(s);
    }
  }

  private take(line: string, source: Source): void {
    const opts = this.lineOptions(source);
    for (const s of this.reader.push(line, opts)) this.buffer.add(s);
  }

  private lineOptions(source: Source): KernelLineOptions & { now: number } {
    const opts: KernelLineOptions & { now: number } = { now: this.now(), source };
    if (source === 'replay') opts.source = 'kmsg';
    if (source !== 'replay' && this.bootTimeMs !== undefined) opts.bootTimeMs = this.bootTimeMs;
    return opts;
  }

  private savePosition(force: boolean): void {
    if (!this.store) return;
    const now = this.now();
    if (!force && now - this.lastSave < SAVE_EVERY_MS) return;
    this.lastSave = now;
    try {
      this.store.save(this.position);
    } catch (error) {
      this.problems.add(`cannot keep the read position: ${(error as Error).message}`, now);
    }
  }

  /** The state from the source in use (none yet: starting, or the no-source verdict stands). */
  private judge(now: number): void {
    if (this.source === undefined) return;
    if (this.down !== undefined) return this.setState('error', this.down, now);
    const problem = this.problems.summary(now, 60_000);
    const via =
      this.source === 'kmsg' || this.source === 'replay'
        ? undefined
        : `reading ${this.source}${this.refusals.length ? ` (${this.refusals.join('; ')})` : ''}`;
    const message = [via, problem].filter((m) => m !== undefined).join('; ') || undefined;
    this.setState(problem ? 'degraded' : 'ok', message, now);
  }

  private setState(state: ProbeStatus['state'], message: string | undefined, now: number): void {
    const since = state === this.status.state ? this.status.since : now;
    this.status =
      message === undefined
        ? { probe: this.name, state, since }
        : { probe: this.name, state, message: clip(message), since };
  }

  /** The signals read so far and not yet collected (tests). */
  pending(): number {
    return this.buffer.size;
  }
}

function describeOpenError(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') return 'not present';
  if (code === 'EACCES' || code === 'EPERM') {
    return 'permission denied (needs root or CAP_SYSLOG when kernel.dmesg_restrict is 1)';
  }
  return (error as Error).message;
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? ''
  );
}

function clip(text: string): string {
  return text.length > MAX_STATUS_CHARS ? `${text.slice(0, MAX_STATUS_CHARS - 1)}…` : text;
}

/** Boot time from /proc/uptime (µs-precise), else os.uptime(); undefined when neither answers. */
export function readBootTime(): number | undefined {
  try {
    const seconds = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    if (Number.isFinite(seconds)) return Math.round(Date.now() - seconds * 1000);
  } catch {
    // Not Linux: os.uptime() below.
  }
  const seconds = uptime();
  return Number.isFinite(seconds) && seconds > 0
    ? Math.round(Date.now() - seconds * 1000)
    : undefined;
}

export function readBootId(): string | undefined {
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

export function createKernelProbe(runner: CommandRunner, opts?: KernelProbeOptions): KernelProbe {
  return new KernelProbe(runner, opts);
}
