/**
 * Two consecutive reads of one chip's slow checks → Signals, pure. `npu-health` when the health
 * word is first seen other than OK or changes (back to OK too, with value 0), valued on the
 * catalog's scale (0 OK … 3 Critical, none for UNKNOWN); `npu-fault` for each error code that
 * was not there on the previous read, coded `0x80E24E00` as the fault catalog keys it; `ecc` when
 * a DDR/HBM count is first seen above zero or rises; `npu-health` code `compatibility` when the
 * board's `Compatibility` is not OK. Evidence is the printed lines.
 */
import type { Evidence, Signal } from '../../core/diagnosis/types.js';
import { healthLevel } from './health.js';
import type { Board, ChipEcc, ChipHealth, KeyLine } from './npuHealth.js';

export interface NpuChipRead {
  /** DeviceInfo.id as the table gives it (`ascend:5` for a one-chip card, `ascend:5:1` else). */
  device: string;
  npuId: number;
  chip: number;
  /** `dddd:bb:dd` when the table gives a bus id. */
  pci?: string;
  health?: ChipHealth;
  ecc?: ChipEcc;
  board?: Board;
  t: number;
}

const SOURCE = 'npu-smi';

export function npuHealthSignals(cur: NpuChipRead, prev: NpuChipRead | undefined): Signal[] {
  const out: Signal[] = [];
  const emit = (
    s: Pick<Signal, 'kind' | 'code' | 'value' | 'limit' | 'detail' | 'ok'>,
    lines: readonly (KeyLine | undefined)[],
    command: string,
  ): void => {
    const signal: Signal = { ...s, ts: cur.t, device: cur.device, evidence: [] };
    if (signal.value === undefined) delete signal.value;
    if (signal.limit === undefined) delete signal.limit;
    if (cur.pci !== undefined) signal.pci = cur.pci;
    signal.evidence = [evidence(cur, lines, command)];
    out.push(signal);
  };
  const healthCmd = `npu-smi info -t health -i ${cur.npuId}`;

  const word = cur.health?.health?.value.trim();
  const before = prev?.health?.health?.value.trim();
  if (word !== undefined && word !== '') {
    const changed = before === undefined ? healthLevel(word) !== 0 : !sameWord(before, word);
    if (changed) {
      const detail: Record<string, string | number> = { health: word, chip: cur.chip };
      if (before !== undefined) detail.previous = before;
      const h = cur.health!;
      // Code `health`, as the table's Health column is judged (core thresholds.ts): the two
      // readings of one chip's health are one diagnosis, and back to OK is its all-clear.
      const level = healthLevel(word);
      const signal: Pick<Signal, 'kind' | 'code' | 'value' | 'limit' | 'detail' | 'ok'> = {
        kind: 'npu-health',
        code: 'health',
        value: level,
        detail,
      };
      if (level === 0) signal.ok = true;
      emit(signal, [h.health, h.codeLine, h.infoLine], healthCmd);
    }
  }

  const seen = new Set(prev?.health?.codes ?? []);
  for (const code of cur.health?.codes ?? []) {
    if (seen.has(code)) continue;
    const h = cur.health!;
    const detail: Record<string, string | number> = { chip: cur.chip };
    if (word) detail.health = word;
    if (h.infoLine) detail.information = h.infoLine.value.slice(0, 256);
    emit({ kind: 'npu-fault', code, detail }, [h.codeLine, h.infoLine], healthCmd);
  }

  const counts = new Map((prev?.ecc?.counts ?? []).map((c) => [c.code, c.v]));
  for (const count of cur.ecc?.counts ?? []) {
    if (count.v === undefined || count.v <= 0) continue;
    const was = counts.get(count.code);
    if (was !== undefined && count.v <= was) continue;
    const detail = was === undefined ? undefined : { previous: was, delta: count.v - was };
    emit(
      { kind: 'ecc', code: count.code, value: count.v, ...(detail && { detail }) },
      [count.line],
      `npu-smi info -t ecc -i ${cur.npuId}`,
    );
  }

  const compat = cur.board?.compatibility;
  const compatBefore = prev?.board?.compatibility?.value;
  if (compat && !/^ok$/i.test(compat.value) && !/^(na|n\/a)$/i.test(compat.value)) {
    if (compatBefore === undefined || !sameWord(compatBefore, compat.value)) {
      emit(
        { kind: 'npu-health', code: 'compatibility', detail: { compatibility: compat.value } },
        [compat],
        `npu-smi info -t board -i ${cur.npuId}`,
      );
    }
  }
  return out;
}

function sameWord(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

function evidence(
  cur: NpuChipRead,
  lines: readonly (KeyLine | undefined)[],
  command: string,
): Evidence {
  const text = lines
    .filter((l): l is KeyLine => l !== undefined)
    .map((l) => l.raw)
    .join('; ');
  return {
    ts: cur.t,
    text: `NPU ${cur.npuId} chip ${cur.chip} (${command}): ${text}`,
    source: SOURCE,
  };
}
