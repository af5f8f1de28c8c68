/**
 * The collector's diagnosis of its own node (issue 14): each tick the probes' Signals (kernel log,
 * device health checks) and the threshold rules over the tick's samples go, with the devices
 * named from the inventory, into one DiagnosisLog; what it returns as new or changed becomes
 * events. Open diagnoses and the signals counted go to /metrics as samples of the catalog's
 * `diagnosis.open` and `diagnosis.signals`.
 */
import { DiagnosisLog } from '../core/diagnosis/DiagnosisLog.js';
import { attachDevices } from '../core/diagnosis/kernelLineDevices.js';
import { thresholdSignals } from '../core/diagnosis/thresholds.js';
import { diagnosisEvent } from '../core/diagnosis/toEvent.js';
import type { DeviceContext, NodeContext, Signal } from '../core/diagnosis/types.js';
import type { DeviceInfo, EventRecord, Sample } from '../core/model.js';

/** Distinct (kind, code) pairs counted at most; beyond it they are counted under code "other". */
const MAX_COUNTED = 512;
/**
 * Signals naming a device (PCI address, UUID) that no probe has reported yet wait while probes are
 * still starting: the kernel log is read at once, nvidia-smi's first run takes up to 10 s, and an
 * Xid diagnosed before its GPU is known would name an address instead of the GPU. They wait at
 * most this long, and at most MAX_HELD of them (the kernel probe has folded storms already).
 */
const HOLD_MS = 60_000;
const MAX_HELD = 1_024;

export class NodeDiagnosis {
  private readonly counts = new Map<string, { kind: string; code: string; n: number }>();
  private held: { signal: Signal; since: number }[] = [];

  constructor(
    private readonly node: string,
    private readonly cluster: string | undefined,
    private readonly log = new DiagnosisLog(),
  ) {}

  /** The events for what this tick's signals and samples opened, changed or resolved. */
  tick(
    probeSignals: readonly Signal[],
    samples: readonly Sample[],
    devices: readonly DeviceInfo[],
    now: number,
    /** False while some probe is still starting (its devices may be missing from `devices`). */
    settled = true,
  ): EventRecord[] {
    for (const s of probeSignals) this.count(s);
    const ready = this.release(probeSignals, devices, now, settled);
    // No device, no value rule: skip the pass over a tick's samples (30,000 at 1,024 GPUs).
    const values =
      devices.length === 0 ? [] : this.allClearsThatMatter(thresholdSignals(samples, devices, now));
    const signals = [...ready, ...attachDevices(values, devices)];
    if (signals.length === 0 && !this.hasOpen()) return [];
    return this.log.add(signals, this.context(devices), now).map(diagnosisEvent);
  }

  /** `diagnosis.open` per (device, kind, code, severity) and `diagnosis.signals` per (kind, code). */
  samples(): Sample[] {
    const open = new Map<string, Sample>();
    for (const d of this.log.list(this.node)) {
      if (d.resolved !== undefined) continue;
      const l = { kind: d.kind, code: d.code ?? '', severity: d.severity };
      const key = JSON.stringify([d.device ?? '', l]);
      const have = open.get(key);
      if (have) have.v = (have.v ?? 0) + 1;
      else open.set(key, { m: 'diagnosis.open', v: 1, ...(d.device ? { d: d.device } : {}), l });
    }
    const counted = [...this.counts.values()].map((c): Sample => ({
      m: 'diagnosis.signals',
      v: c.n,
      l: { kind: c.kind, code: c.code },
    }));
    return [...open.values(), ...counted];
  }

  /** The signals to judge now; ones naming a device not yet in the inventory wait (HOLD_MS). */
  private release(
    signals: readonly Signal[],
    devices: readonly DeviceInfo[],
    now: number,
    settled: boolean,
  ): Signal[] {
    const waiting = [...this.held, ...signals.map((signal) => ({ signal, since: now }))];
    this.held = [];
    const out: Signal[] = [];
    for (const { signal, since } of waiting) {
      const named = attachDevices([signal], devices);
      const addressed = signal.pci !== undefined || signal.detail?.uuid !== undefined;
      const unnamed = named.length === 0 || named[0]!.device === undefined;
      if (
        !settled &&
        addressed &&
        unnamed &&
        now - since < HOLD_MS &&
        this.held.length < MAX_HELD
      ) {
        this.held.push({ signal, since });
      } else out.push(...named);
    }
    return out;
  }

  /**
   * thresholdSignals gives an all-clear (`ok`) for every device on every tick; only those for an
   * open diagnosis (they resolve it) and throttle ones (they end a reason's wait) change anything.
   * Handing the DiagnosisLog the rest cost 37 ms a tick at 1,024 GPUs, 1 ms without them.
   */
  private allClearsThatMatter(signals: readonly Signal[]): Signal[] {
    if (!signals.some((s) => s.ok === true)) return [...signals];
    const open = new Set<string>();
    for (const d of this.log.list(this.node)) {
      if (d.resolved === undefined) open.add(JSON.stringify([d.device, d.kind, d.code]));
    }
    return signals.filter(
      (s) =>
        s.ok !== true ||
        s.kind === 'throttle' ||
        open.has(JSON.stringify([s.device, s.kind, s.code])),
    );
  }

  private hasOpen(): boolean {
    return this.log.list(this.node).some((d) => d.resolved === undefined);
  }

  private count(s: Signal): void {
    if (s.ok === true) return;
    let code = s.code ?? '';
    let key = `${s.kind}/${code}`;
    if (!this.counts.has(key) && this.counts.size >= MAX_COUNTED) {
      code = 'other';
      key = `${s.kind}/other`;
    }
    const c = this.counts.get(key) ?? { kind: s.kind, code, n: 0 };
    // The kernel probe folds a storm into one signal with detail.repeats (SignalBuffer).
    c.n += 1 + Math.max(0, Number(s.detail?.repeats ?? 0) || 0);
    this.counts.set(key, c);
  }

  private context(devices: readonly DeviceInfo[]): NodeContext {
    return {
      ...(this.cluster !== undefined ? { cluster: this.cluster } : {}),
      node: this.node,
      devices: devices.map(deviceContext),
    };
  }
}

function deviceContext(d: DeviceInfo): DeviceContext {
  const c: DeviceContext = { id: d.id, vendor: d.vendor, index: d.index, model: d.name };
  if (d.chip !== undefined) c.chip = d.chip;
  if (d.driver !== undefined) c.driver = d.driver;
  if (d.firmware !== undefined) c.firmware = d.firmware;
  if (d.pciBusId !== undefined) c.pciBusId = d.pciBusId;
  return c;
}
