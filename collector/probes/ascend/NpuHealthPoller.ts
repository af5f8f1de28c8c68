/**
 * The slow Ascend checks (every 60 s by default): per NPU `npu-smi info -t health -i N` (health
 * and error codes of each chip), `-t ecc -i N` (DDR/HBM error counts), and every tenth round
 * `-t board -i N` (versions, compatibility: they change with an upgrade, not by the minute).
 * npu-smi takes ~0.3–0.7 s a call, so a round over 8 NPUs is several seconds: the probe runs it in
 * its background queue (one npu-smi at a time) and the tick never waits. A query this npu-smi
 * does not offer (non-zero exit: older versions, products without HBM ECC) is "not present here"
 * in the probe status and not asked again for ten rounds; it is never an error storm.
 */
import type { Signal } from '../../core/diagnosis/types.js';
import type { CommandRunner } from '../types.js';
import type { TableChip } from './infoTable.js';
import { parseBoard, parseEcc, parseHealth, type Board } from './npuHealth.js';
import { npuHealthSignals, type NpuChipRead } from './npuHealthSignals.js';
import { runNpuSmi } from './npuSmi.js';

export type NpuCheck = 'health' | 'ecc' | 'board';

export interface NpuHealthPollerOptions {
  everyMs: number;
  timeoutMs: number;
  now: () => number;
}

/** Rounds a query that failed is left out for; board is asked on every BOARD_EVERY-th round. */
const SKIP_ROUNDS = 10;
const BOARD_EVERY = 10;
const MAX_PENDING = 4096;

export class NpuHealthPoller {
  private askedAt = -Infinity;
  private rounds = 0;
  private last = new Map<string, NpuChipRead>();
  private readonly boards = new Map<number, Board>();
  private pending: Signal[] = [];
  /**
   * `check:npu` → why it is not present and the round it may be tried again. Per NPU: one chip
   * whose query fails (it may be the broken one) must not hide the others' health.
   */
  private readonly absent = new Map<
    string,
    { check: NpuCheck; npu: number; why: string; until: number }
  >();
  private stopped = false;

  constructor(
    private readonly runner: CommandRunner,
    private readonly opts: NpuHealthPollerOptions,
  ) {}

  /** True (and the round counted as asked) when a round is due at `now`. */
  due(now: number): boolean {
    if (now - this.askedAt < this.opts.everyMs) return false;
    this.askedAt = now;
    return true;
  }

  /**
   * Makes the next round due at once: a chip's Health cell changed in the table, and its error
   * codes (`-t health`) say why, so they should not wait up to `everyMs`.
   */
  soon(): void {
    this.askedAt = -Infinity;
  }

  stop(): void {
    this.stopped = true;
  }

  /** The signals found since the last call. */
  take(): Signal[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }

  /**
   * "npu-smi info -t ecc not present here (NPU 4, 5): …": one clause per check, naming the NPUs
   * and the first one's words; stable between rounds.
   */
  note(): string | undefined {
    if (this.absent.size === 0) return undefined;
    const byCheck = new Map<NpuCheck, { npus: number[]; why: string }>();
    for (const { check, npu, why } of this.absent.values()) {
      const entry = byCheck.get(check) ?? { npus: [], why };
      entry.npus.push(npu);
      byCheck.set(check, entry);
    }
    return [...byCheck]
      .map(([check, { npus, why }]) => {
        const list = npus.sort((a, b) => a - b).join(', ');
        return `npu-smi info -t ${check} not present here (NPU ${list}): ${why}`;
      })
      .join('; ');
  }

  /** One round over the table's chips, NPU by NPU. `pci`: device id → `dddd:bb:dd`. */
  async round(chips: readonly TableChip[], pci: ReadonlyMap<string, string>): Promise<void> {
    const round = this.rounds++;
    const seen = new Map<string, NpuChipRead>();
    const npus = new Set(chips.map((c) => c.npuId));
    for (const [key, a] of this.absent) if (!npus.has(a.npu)) this.absent.delete(key);
    for (const npu of npus) {
      if (this.stopped) return;
      const ofNpu = chips.filter((c) => c.npuId === npu);
      const health = await this.ask('health', npu, round, parseHealth);
      const ecc = await this.ask('ecc', npu, round, parseEcc);
      if (round % BOARD_EVERY === 0) {
        const board = await this.ask('board', npu, round, (t) => [parseBoard(t)]);
        if (board?.[0] !== undefined) this.boards.set(npu, board[0]);
      }
      const t = this.opts.now();
      ofNpu.forEach((chip, i) => {
        const read: NpuChipRead = { device: chip.id, npuId: npu, chip: chip.chip, t };
        const bus = pci.get(chip.id);
        if (bus !== undefined) read.pci = bus;
        const h = health && pick(health, chip.chip, i, ofNpu.length);
        const e = ecc && pick(ecc, chip.chip, i, ofNpu.length);
        const board = this.boards.get(npu);
        if (h) read.health = h;
        if (e) read.ecc = e;
        if (board) read.board = board;
        this.push(npuHealthSignals(read, this.last.get(chip.id)));
        seen.set(chip.id, read);
      });
    }
    this.last = seen;
  }

  private push(signals: readonly Signal[]): void {
    this.pending.push(...signals);
    if (this.pending.length > MAX_PENDING)
      this.pending.splice(0, this.pending.length - MAX_PENDING);
  }

  /** Runs one check for one NPU; undefined when it is skipped or failed (then noted). */
  private async ask<T>(
    check: NpuCheck,
    npu: number,
    round: number,
    parse: (text: string) => T[],
  ): Promise<T[] | undefined> {
    const key = `${check}:${npu}`;
    const skip = this.absent.get(key);
    if (skip !== undefined && round < skip.until) return undefined;
    const res = await runNpuSmi(
      this.runner,
      ['info', '-t', check, '-i', String(npu)],
      this.opts.timeoutMs,
    );
    if (!res.ok) {
      // A hang is tried again next round; a refusal (non-zero exit) rests for ten.
      const hung = / did not finish within /.test(res.message);
      const until = round + (hung ? 1 : SKIP_ROUNDS);
      this.absent.set(key, { check, npu, why: res.message, until });
      return undefined;
    }
    this.absent.delete(key);
    return parse(res.stdout);
  }
}

/** By Chip ID; without one, the only block for the only chip, or the n-th when the counts agree. */
function pick<T extends { chipId?: number }>(
  blocks: readonly T[],
  chip: number,
  position: number,
  chips: number,
): T | undefined {
  const byId = blocks.find((b) => b.chipId === chip);
  if (byId !== undefined) return byId;
  if (blocks.some((b) => b.chipId !== undefined)) return undefined;
  if (blocks.length === 1 && chips === 1) return blocks[0];
  return blocks.length === chips ? blocks[position] : undefined;
}
