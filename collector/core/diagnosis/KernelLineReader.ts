/**
 * Reads a kernel log line after line, where a fact can span lines (parseKernelLine reads one):
 *
 * - the driver's probe-time "fallen off the bus" is one printk of three lines (nv.c:
 *   `NVRM: The NVIDIA GPU %04x:%02x:%02x.%x\n NVRM: (PCI ID: …) installed in this system has\n
 *   NVRM: fallen off the bus and is not responding to commands.`); dmesg prints the follow-on lines
 *   indented, journald gives each its own `kernel:` prefix, /dev/kmsg keeps them in one record;
 * - `NVRM: GPU at PCI:0000:91:00: GPU-b6c3…` names the GPU's UUID before its first Xid, so later
 *   signals for that address carry `detail.uuid` (the device can be found without nvidia-smi);
 * - the driver numbers GPUs its own way in GSP messages (`GPU0`); an Xid 119 saying "…from GPU0
 *   GSP" ties that number to its PCI address, so a later `_kgspRpcRecvPoll: GPU0 …` timeout line
 *   names its GPU too;
 * - Xid 79 is followed by `NVRM: GPU 0000:91:00.0: GPU has fallen off the bus.` for the same GPU:
 *   one fact, so that line gives no second signal.
 *
 * Pure (no Node APIs).
 */
import {
  matchMessage,
  normalizePci,
  parseKernelLine,
  type KernelLineOptions,
} from './kernelLine.js';
import { stripPrefix } from './kernelLinePrefix.js';
import type { Signal } from './types.js';

const FALLEN_START =
  /NVRM: The NVIDIA GPU ([0-9a-fA-F]{4,8}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}(?:\.[0-7])?)/;
const CONTINUATION = /^NVRM: (?:\(PCI ID|installed in this system|fallen off the bus)/;
const GPU_AT =
  /NVRM: GPU at PCI:([0-9a-fA-F]{4,8}:[0-9a-fA-F]{2}:[0-9a-fA-F]{2}): (GPU-[0-9a-fA-F-]{36})\b/;
/** A multi-line message is at most this many lines (the driver's is three). */
const MAX_JOINED = 4;
/** An Xid 79 and its "GPU … has fallen off the bus" line come within microseconds. */
const SAME_FACT_MS = 10_000;
const SAME_FACT_LINES = 8;
const MAX_UUIDS = 1024;

interface Pending {
  lines: string[];
  bodies: string[];
  ts: number | null;
}

export class KernelLineReader {
  private pending: Pending | undefined;
  private readonly uuids = new Map<string, string>();
  /** The driver's GPU instance number (`GPU0`) → PCI address, from GSP Xid lines. */
  private readonly instances = new Map<number, string>();
  private lineNo = 0;
  private lastLost: { pci: string; ts: number | null; line: number } | undefined;

  /** The signals this line completes (a held multi-line message may complete or end here). */
  push(line: string, opts: KernelLineOptions): Signal[] {
    this.lineNo++;
    const out: Signal[] = [];
    if (typeof line !== 'string') return out;
    const { ts, body } = stripPrefix(line.length > 16_384 ? line.slice(0, 16_384) : line, opts);
    if (this.pending) {
      const joins = (/^\s/.test(line) || CONTINUATION.test(body)) && !body.includes('Xid');
      if (joins) {
        this.pending.lines.push(line.trim());
        this.pending.bodies.push(body.trim());
        const done = this.complete(opts);
        if (done) out.push(done);
        else if (this.pending.lines.length >= MAX_JOINED) this.pending = undefined;
        return out;
      }
      this.pending = undefined;
    }
    const start = FALLEN_START.exec(body);
    if (start && !body.includes('fallen off the bus')) {
      this.pending = { lines: [line.trim()], bodies: [body.trim()], ts };
      return out;
    }
    const at = GPU_AT.exec(body);
    if (at) this.remember(at[1]!, at[2]!);
    const signal = parseKernelLine(line, opts);
    if (signal && !this.repeatsLost(signal)) out.push(this.withUuid(this.withInstance(signal)));
    return out;
  }

  /** Ends the input: a held message that never completed gives nothing. */
  flush(): Signal[] {
    this.pending = undefined;
    return [];
  }

  private complete(opts: KernelLineOptions): Signal | undefined {
    const p = this.pending!;
    const joined = p.bodies.map((b, i) => (i === 0 ? b : b.replace(/^NVRM: /, ''))).join(' ');
    const found = matchMessage(joined);
    if (!found || found.kind !== 'fallen-off-bus' || found.pci === undefined) return undefined;
    this.pending = undefined;
    const text = p.lines.join('\n').slice(0, 2048);
    const signal: Signal = {
      ...found,
      ts: p.ts ?? opts.now,
      evidence: [{ ts: p.ts, text, source: opts.source ?? 'kmsg' }],
    };
    return this.withUuid(signal);
  }

  /** True for the "GPU … has fallen off the bus" line that follows that GPU's Xid 79. */
  private repeatsLost(signal: Signal): boolean {
    const lost = signal.kind === 'xid' && signal.code === '79';
    if (lost && signal.pci !== undefined) {
      this.lastLost = { pci: signal.pci, ts: signal.evidence[0]?.ts ?? null, line: this.lineNo };
      return false;
    }
    if (signal.kind !== 'fallen-off-bus' || this.lastLost === undefined) return false;
    const before = this.lastLost;
    const ts = signal.evidence[0]?.ts ?? null;
    const near =
      ts !== null && before.ts !== null
        ? Math.abs(ts - before.ts) <= SAME_FACT_MS
        : this.lineNo - before.line <= SAME_FACT_LINES;
    return near && signal.pci === before.pci;
  }

  private withInstance(signal: Signal): Signal {
    if (signal.kind === 'xid' && signal.pci !== undefined) {
      const gsp = /\bfrom GPU(\d{1,3}) GSP\b/.exec(String(signal.detail?.message ?? ''));
      if (gsp && (this.instances.size < MAX_UUIDS || this.instances.has(Number(gsp[1])))) {
        this.instances.set(Number(gsp[1]), signal.pci);
      }
      return signal;
    }
    const instance = signal.detail?.gpuInstance;
    if (signal.kind !== 'gsp-timeout' || signal.pci !== undefined || typeof instance !== 'number') {
      return signal;
    }
    const pci = this.instances.get(instance);
    return pci === undefined ? signal : { ...signal, pci };
  }

  private remember(pci: string, uuid: string): void {
    const key = normalizePci(pci);
    if (key === undefined) return;
    if (!this.uuids.has(key) && this.uuids.size >= MAX_UUIDS) return;
    this.uuids.set(key, uuid);
  }

  private withUuid(signal: Signal): Signal {
    const uuid = signal.pci === undefined ? undefined : this.uuids.get(signal.pci);
    if (uuid === undefined) return signal;
    return { ...signal, detail: { ...signal.detail, uuid } };
  }
}
