/**
 * Reads one kernel log line into a Signal: NVIDIA Xid (with or without pid/name, MIG GPU-I/GPU-CI),
 * "GPU has fallen off the bus" without an Xid, NVSwitch SXid, GSP RPC timeouts, PCIe AER errors
 * and Ascend driver errors; anything else is undefined. Formats: contracts.md §3.5 (kernel_rc.c's
 * printf formats) and the real logs in collector/probes/kernel/fixtures. Pure (no Node APIs) and
 * total: garbage, HTML and megabyte lines give undefined or a signal whose texts are plain text,
 * never an exception. Multi-line messages are joined by KernelLineReader.
 */
import { stripPrefix, type PrefixOptions } from './kernelLinePrefix.js';
import type { Signal } from './types.js';

export interface KernelLineOptions extends PrefixOptions {
  /** Evidence source: `kmsg` (default), `journalctl`, `dmesg`, `file`, … */
  source?: string;
}

/** Matching looks at the first 8 KiB of a message (a real NVRM line is < 400 characters). */
const MAX_BODY = 8 * 1024;
/** Evidence keeps the first 1 KiB of the line; detail texts 256 characters (the wire's Name). */
const MAX_EVIDENCE = 1024;
const MAX_DETAIL = 256;

const HEX = '[0-9a-fA-F]';
const PCI = `(${HEX}{4,8}:${HEX}{2}:${HEX}{2}(?:\\.[0-7])?)`;
const PCI_AT = new RegExp(
  `^\\s*(?:PCI:)?(?:(${HEX}{1,8}):)?(${HEX}{2}):(${HEX}{2})(?:\\.[0-7])?\\s*$`,
);

/**
 * One canonical PCI address, `dddd:bb:dd` in lower case: nvidia-smi's `00000000:3B:00.0`, NVRM's
 * `0000:3b:00`, npu-smi's `0000:C1:00.0` and lspci's `3b:00.0` (domain 0) all come out the same, so
 * a kernel line finds its device in the inventory. The function number is dropped (NVRM omits it).
 */
export function normalizePci(text: string): string | undefined {
  const m = PCI_AT.exec(text);
  if (!m) return undefined;
  const domain = parseInt(m[1] ?? '0', 16)
    .toString(16)
    .padStart(4, '0');
  return `${domain}:${m[2]!.toLowerCase()}:${m[3]!.toLowerCase()}`;
}

const XID = new RegExp(
  `NVRM: Xid \\(PCI:${PCI}(?: GPU-I:(\\d{1,3}))?(?: GPU-CI:(\\d{1,3}))?\\): (\\d{1,4}),\\s*(.*)$`,
  's',
);
const SXID = new RegExp(
  `nvidia-nvswitch(\\d{1,3}): SXid \\(PCI:${PCI}\\): (\\d{1,6}),\\s*(.*)$`,
  's',
);
const FALLEN_GPU = new RegExp(`NVRM: GPU ${PCI}: GPU has fallen off the bus`);
const FALLEN_PROBE = new RegExp(
  `NVRM: The NVIDIA GPU ${PCI}(?:\\s*\\(PCI ID: (${HEX}{4}:${HEX}{4})\\))?.{0,200}?fallen off the bus`,
  's',
);
const FALLEN_ANY = /fallen off the bus/;
const GSP_TIMEOUT =
  /GSP RPC timeout|_kgspRpcRecvPoll:|Timeout waiting for RPC from GPU|Timeout after \d+s of waiting for RPC response from GPU/i;
const GSP_GPU = /\bGPU(\d{1,3})\b/;
const AER = new RegExp(
  `^(\\S{1,64}) ${PCI}: (?:AER: )?PCIe Bus Error: severity=([^,]{1,40}), type=([^,]{1,40}),\\s*(?:id=${HEX}{4})?\\(?([\\w ]{1,40})\\)?`,
);
const ASCEND =
  /\[ascend\] (?:\[ERROR\] \[([\w-]{1,32})\]|\[([\w-]{1,32})\] \[ERROR\]) (?:\[([\w.]{1,64}) (\d{1,6})\] )?(.*)$/s;
const ASCEND_DEVICE =
  /\b(?:dev_?id|devId|device_?id|deviceId|phy_?id|chip_?id)\s*[=:]\s*(\d{1,4})\b/i;

/** One kernel log line (any prefix style) as a Signal, or undefined when it reports none. */
export function parseKernelLine(line: string, opts: KernelLineOptions): Signal | undefined {
  if (typeof line !== 'string' || line.length === 0) return undefined;
  // A megabyte line: only its head can hold a prefix and a message worth matching.
  const head = line.length > MAX_BODY * 2 ? line.slice(0, MAX_BODY * 2) : line;
  const { ts, body } = stripPrefix(head, opts);
  const message = joinContinuations(body.length > MAX_BODY ? body.slice(0, MAX_BODY) : body);
  const found = matchMessage(message);
  if (!found) return undefined;
  const evidence = { ts, text: clip(head.trim(), MAX_EVIDENCE), source: opts.source ?? 'kmsg' };
  return { ...found, ts: ts ?? opts.now, evidence: [evidence] };
}

/** A multi-line record (kmsg escapes, dmesg's indented follow-on lines) read as one sentence. */
function joinContinuations(body: string): string {
  if (!body.includes('\n')) return body;
  return body
    .split('\n')
    .map((part, i) => (i === 0 ? part.trim() : part.trim().replace(/^NVRM: /, '')))
    .join(' ');
}

type Found = Omit<Signal, 'ts' | 'evidence'>;

/** The signal a kernel message (its prefixes taken off) reports. */
export function matchMessage(message: string): Found | undefined {
  if (message.includes('NVRM: Xid')) {
    const xid = matchXid(message);
    if (xid) return xid;
  }
  if (message.includes('SXid')) {
    const m = SXID.exec(message);
    if (m) return sxid(m);
  }
  if (FALLEN_ANY.test(message)) return fallen(message);
  if (GSP_TIMEOUT.test(message)) return gspTimeout(message);
  if (message.includes('PCIe Bus Error')) {
    const m = AER.exec(message);
    if (m) return aer(m);
  }
  if (message.includes('[ascend]')) {
    const m = ASCEND.exec(message);
    if (m) return ascend(m);
  }
  return undefined;
}

function matchXid(message: string): Found | undefined {
  const m = XID.exec(message);
  if (!m) return undefined;
  const detail: Record<string, string | number> = {};
  if (m[2] !== undefined) detail.gi = Number(m[2]);
  if (m[3] !== undefined) detail.ci = Number(m[3]);
  // `pid=%s, name=%s, ` (kernel_rc.c); older drivers print neither, some only the pid.
  let rest = m[5]!;
  const pid = /^pid=([^,]{0,64}),\s*/.exec(rest);
  if (pid) {
    rest = rest.slice(pid[0].length);
    if (/^\d{1,10}$/.test(pid[1]!)) detail.pid = Number(pid[1]);
    const name = /^name=([^,]{0,64}),\s*/.exec(rest);
    if (name) {
      rest = rest.slice(name[0].length);
      const process = name[1]!.trim();
      if (process !== '' && process !== '<unknown>') detail.process = clip(process, MAX_DETAIL);
    }
  }
  const text = rest.trim();
  if (text !== '') detail.message = clip(text, MAX_DETAIL);
  return { kind: 'xid', pci: normalizePci(m[1]!), code: String(Number(m[4])), detail };
}

function sxid(m: RegExpExecArray): Found {
  const rest = m[4]!.trim();
  const detail: Record<string, string | number> = { switch: Number(m[1]) };
  const severity = /^(Fatal|Non-fatal|Nonfatal)\b/i.exec(rest);
  if (severity) detail.severity = /^fatal$/i.test(severity[1]!) ? 'fatal' : 'nonfatal';
  const link = /\bLink (\d{1,4})\b/.exec(rest);
  if (link) detail.link = Number(link[1]);
  if (rest !== '') detail.message = clip(rest, MAX_DETAIL);
  return { kind: 'sxid', pci: normalizePci(m[2]!), code: String(Number(m[3])), detail };
}

function fallen(message: string): Found {
  const gpu = FALLEN_GPU.exec(message);
  if (gpu) return { kind: 'fallen-off-bus', pci: normalizePci(gpu[1]!), detail: {} };
  const probe = FALLEN_PROBE.exec(message);
  if (probe) {
    const detail: Record<string, string> = {};
    if (probe[2] !== undefined) detail.pciId = probe[2].toLowerCase();
    return { kind: 'fallen-off-bus', pci: normalizePci(probe[1]!), detail };
  }
  // The tail of a multi-line message read alone: the fact without its device.
  return { kind: 'fallen-off-bus', detail: { message: clip(message.trim(), MAX_DETAIL) } };
}

function gspTimeout(message: string): Found {
  const detail: Record<string, string | number> = { message: clip(message.trim(), MAX_DETAIL) };
  // `GPU0` is the driver's own GPU instance number, not nvidia-smi's index.
  const gpu = GSP_GPU.exec(message);
  if (gpu) detail.gpuInstance = Number(gpu[1]);
  return { kind: 'gsp-timeout', detail };
}

function aer(m: RegExpExecArray): Found {
  const said = m[3]!.trim();
  const aerSeverity = /non.?fatal/i.test(said)
    ? 'nonfatal'
    : /fatal/i.test(said)
      ? 'fatal'
      : /correct/i.test(said)
        ? 'corrected'
        : clip(said, MAX_DETAIL);
  const detail: Record<string, string> = {
    aerSeverity,
    aerType: clip(m[4]!.trim(), MAX_DETAIL),
    driver: clip(m[1]!, MAX_DETAIL),
  };
  if (m[5] !== undefined && m[5].trim() !== '') detail.agent = m[5].trim();
  return { kind: 'pcie-aer', pci: normalizePci(m[2]!), code: aerSeverity, detail };
}

function ascend(m: RegExpExecArray): Found {
  const module = (m[1] ?? m[2])!;
  const text = m[5]!.trim();
  const detail: Record<string, string | number> = { module };
  if (m[3] !== undefined) detail.function = m[3];
  const device = ASCEND_DEVICE.exec(text);
  if (device) detail.deviceId = Number(device[1]);
  if (text !== '') detail.message = clip(text, MAX_DETAIL);
  return { kind: 'ascend-driver', code: module, detail };
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
