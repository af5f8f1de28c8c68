/**
 * The kernel probe's signals between two collects, rate-limited: repeats of one fact (same kind,
 * device address, code and instance) are folded into the first one, counted in
 * `detail.repeats`, with the latest line kept as a second piece of evidence. An Xid storm of
 * 10,000 identical lines is one object with `repeats: 9999`, not 10,000 (issue 14). Past
 * MAX_KEYS distinct facts in one interval the rest are counted as dropped.
 */
import type { Signal } from '../../core/diagnosis/types.js';

export const MAX_KEYS = 256;

/** What makes two signals the same fact (the message text may differ line to line). */
const KEY_DETAILS = ['gi', 'ci', 'uuid', 'deviceId', 'switch', 'link', 'gpuInstance'] as const;

interface Held {
  signal: Signal;
  repeats: number;
  latest: Signal['evidence'][number] | undefined;
}

export class SignalBuffer {
  private held = new Map<string, Held>();
  private droppedCount = 0;

  constructor(private readonly maxKeys = MAX_KEYS) {}

  add(signal: Signal): void {
    const key = keyOf(signal);
    const held = this.held.get(key);
    if (held) {
      held.repeats++;
      held.latest = signal.evidence[signal.evidence.length - 1];
      return;
    }
    if (this.held.size >= this.maxKeys) {
      this.droppedCount++;
      return;
    }
    this.held.set(key, { signal, repeats: 0, latest: undefined });
  }

  /** The signals held since the last take, oldest first; the buffer is empty after. */
  take(): Signal[] {
    const out: Signal[] = [];
    for (const { signal, repeats, latest } of this.held.values()) {
      if (repeats === 0) {
        out.push(signal);
        continue;
      }
      out.push({
        ...signal,
        detail: { ...signal.detail, repeats },
        evidence: latest ? [...signal.evidence, latest] : signal.evidence,
      });
    }
    this.held = new Map();
    return out;
  }

  /** Signals not held because MAX_KEYS distinct ones were already waiting; reset by the call. */
  takeDropped(): number {
    const n = this.droppedCount;
    this.droppedCount = 0;
    return n;
  }

  get size(): number {
    return this.held.size;
  }
}

function keyOf(s: Signal): string {
  const parts: unknown[] = [s.kind, s.pci ?? '', s.device ?? '', s.code ?? ''];
  for (const k of KEY_DETAILS) parts.push(s.detail?.[k] ?? '');
  return JSON.stringify(parts);
}
