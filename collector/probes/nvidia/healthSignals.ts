/**
 * Two consecutive health rows of one GPU → Signals, pure. A count is a signal when it is first
 * seen above zero or when it rose; a state (pending remap, link trained down, power capped below
 * the board's default, persistence off) when it is first seen or changes; throttle counters by the
 * time they grew between the two reads. What a signal means and how bad it is stays with the rules
 * (core/diagnosis); here each carries the value, the limit it is judged against and the printed
 * cells as evidence.
 */
import type { Evidence, Signal, SignalKind } from '../../core/diagnosis/types.js';
import { decodeThrottleReasons } from '../../core/throttle.js';
import type { HealthRow, HealthValue } from './healthRow.js';
import { THROTTLE_COUNTERS } from './healthFields.js';

export interface HealthRead {
  row: HealthRow;
  /** When it was read (ms). */
  t: number;
}

const SOURCE = 'nvidia-smi';

/** Counts whose rise is a signal: field key → kind and code. */
const COUNTS: readonly (readonly [string, SignalKind, string])[] = [
  ['ecc.uncorrected.volatile', 'ecc', 'uncorrected.volatile'],
  ['ecc.corrected.volatile', 'ecc', 'corrected.volatile'],
  ['ecc.uncorrected.aggregate', 'ecc', 'uncorrected.aggregate'],
  ['ecc.corrected.aggregate', 'ecc', 'corrected.aggregate'],
  ['remap.uncorrectable', 'remap', 'uncorrectable'],
  ['remap.correctable', 'remap', 'correctable'],
  ['remap.histogram.none', 'remap', 'histogram.none'],
  ['remap.histogram.low', 'remap', 'histogram.low'],
  ['retired.dbe', 'retired-pages', 'dbe'],
  ['retired.sbe', 'retired-pages', 'sbe'],
  // PCIe link retransmissions, from `nvidia-smi -q -x` (xmlQuery.ts): a rising count is a bad link.
  ['pcie.replay', 'pcie-link', 'replay'],
  ['pcie.replay_rollover', 'pcie-link', 'replay-rollover'],
];

/** Yes/No flags that are a signal when they turn Yes. */
const FLAGS: readonly (readonly [string, SignalKind, string])[] = [
  ['remap.pending', 'remap', 'pending'],
  ['remap.failure', 'remap', 'failure'],
  ['retired.pending', 'retired-pages', 'pending'],
];

/**
 * Whether the link generation can be judged: PCIe links drop to gen 1 when idle to save power
 * (RTX 2080 SUPER idle: gen 1 of 3 at P8, 0 %; under load gen 3 of 3 at P2), so a low generation
 * means something only while the GPU works: utilization above 0 and a performance state P0–P2.
 * Width does not change with power state and is judged always.
 */
export function linkUnderLoad(row: HealthRow): boolean {
  const util = row.values.get('util')?.v;
  const pstate = row.values.get('pstate')?.v;
  return util !== undefined && util > 0 && (pstate === undefined || pstate <= 2);
}

export function healthSignals(current: HealthRead, previous: HealthRead | undefined): Signal[] {
  const { row, t } = current;
  const prev = previous?.row;
  const out: Signal[] = [];
  const signal = (
    kind: SignalKind,
    code: string,
    cells: readonly (HealthValue | undefined)[],
    extra: Pick<Signal, 'value' | 'limit' | 'detail'>,
  ): void => {
    const s: Signal = { kind, code, ts: t, device: row.id, evidence: [evidence(row, t, cells)] };
    if (row.pci !== undefined) s.pci = row.pci;
    if (extra.value !== undefined) s.value = extra.value;
    if (extra.limit !== undefined) s.limit = extra.limit;
    if (extra.detail !== undefined) s.detail = extra.detail;
    out.push(s);
  };
  const valueOf = (r: HealthRow | undefined, key: string): number | undefined =>
    r?.values.get(key)?.v;

  for (const [key, kind, code] of COUNTS) {
    const now = valueOf(row, key);
    if (now === undefined || now <= 0) continue;
    const before = valueOf(prev, key);
    // Volatile counts restart at 0 after a reset or reboot: a lower count is not a new error.
    if (before !== undefined && now <= before) continue;
    const detail = before === undefined ? undefined : { previous: before, delta: now - before };
    signal(kind, code, [row.values.get(key)], { value: now, ...(detail && { detail }) });
  }

  for (const [key, kind, code] of FLAGS) {
    if (valueOf(row, key) !== 1 || valueOf(prev, key) === 1) continue;
    signal(kind, code, [row.values.get(key)], { value: 1 });
  }

  linkSignals(row, prev, signal);
  stateSignals(row, prev, signal);
  throttleSignals(current, previous, signal);
  return out;
}

type Emit = (
  kind: SignalKind,
  code: string,
  cells: readonly (HealthValue | undefined)[],
  extra: Pick<Signal, 'value' | 'limit' | 'detail'>,
) => void;

function linkSignals(row: HealthRow, prev: HealthRow | undefined, signal: Emit): void {
  const pair = (r: HealthRow | undefined, key: string): [number, number] | undefined => {
    const cur = r?.values.get(key)?.v;
    const max = r?.values.get(`${key}.max`)?.v;
    return cur !== undefined && max !== undefined && cur < max ? [cur, max] : undefined;
  };
  const width = pair(row, 'pcie.width');
  const widthBefore = pair(prev, 'pcie.width');
  if (width && !(widthBefore && widthBefore[0] === width[0])) {
    const cells = [row.values.get('pcie.width'), row.values.get('pcie.width.max')];
    signal('pcie-link', 'width', cells, { value: width[0], limit: width[1] });
  }
  const gen = linkUnderLoad(row) ? pair(row, 'pcie.gen') : undefined;
  const genBefore = prev && linkUnderLoad(prev) ? pair(prev, 'pcie.gen') : undefined;
  if (gen && !(genBefore && genBefore[0] === gen[0])) {
    const cells = ['pcie.gen', 'pcie.gen.max', 'util', 'pstate'].map((k) => row.values.get(k));
    const detail: Record<string, number> = { utilization: row.values.get('util')!.v! };
    const pstate = row.values.get('pstate')?.v;
    if (pstate !== undefined) detail.pstate = pstate;
    signal('pcie-link', 'gen', cells, { value: gen[0], limit: gen[1], detail });
  }
}

function stateSignals(row: HealthRow, prev: HealthRow | undefined, signal: Emit): void {
  const capped = (r: HealthRow | undefined): number | undefined => {
    const limit = r?.values.get('power.limit')?.v;
    const def = r?.values.get('power.default')?.v;
    return limit !== undefined && def !== undefined && limit < def ? limit : undefined;
  };
  const cap = capped(row);
  if (cap !== undefined && capped(prev) !== cap) {
    const cells = [row.values.get('power.limit'), row.values.get('power.default')];
    const limit = row.values.get('power.default')!.v!;
    signal('power', 'cap-below-default', cells, { value: cap, limit });
  }
  const persistence = row.values.get('persistence');
  if (persistence?.v === 0 && prev?.values.get('persistence')?.v !== 0) {
    signal('persistence', 'disabled', [persistence], { value: 0 });
  }
}

/**
 * With counters: one signal per harmful reason whose counter grew, valued in seconds held back,
 * against the seconds between the reads. Without counters (older drivers, `[N/A]`): the reasons
 * active in this read's mask, with no duration.
 */
function throttleSignals(
  current: HealthRead,
  previous: HealthRead | undefined,
  signal: Emit,
): void {
  const { row, t } = current;
  const counted = THROTTLE_COUNTERS.filter(
    (r) => row.values.get(`throttle.us.${r}`)?.v !== undefined,
  );
  if (counted.length > 0) {
    if (previous === undefined) return;
    const periodS = (t - previous.t) / 1000;
    for (const reason of counted) {
      const key = `throttle.us.${reason}`;
      const now = row.values.get(key)!.v!;
      const before = previous.row.values.get(key)?.v;
      if (before === undefined || now <= before || periodS <= 0) continue;
      const seconds = (now - before) / 1e6;
      signal('throttle', reason, [row.values.get(key)], {
        value: Math.min(seconds, periodS),
        limit: periodS,
        detail: { counterUs: now },
      });
    }
    return;
  }
  const mask = row.values.get('throttle');
  if (mask?.v === undefined) return;
  for (const reason of decodeThrottleReasons(mask.v)) {
    if (reason.harmful) signal('throttle', reason.id, [mask], { detail: { mask: mask.v } });
  }
}

function evidence(
  row: HealthRow,
  t: number,
  cells: readonly (HealthValue | undefined)[],
): Evidence {
  const text = cells
    .filter((c): c is HealthValue => c !== undefined)
    .map((c) => `${c.name} = ${c.raw}`)
    .join(', ');
  const bus = row.values.get('pci')?.raw;
  const who = bus ? `GPU ${row.index} (${bus})` : `GPU ${row.index}`;
  return { ts: t, text: `${who}: ${text}`, source: SOURCE };
}
