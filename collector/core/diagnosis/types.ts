/**
 * The diagnosis vocabulary shared by the probes, the simulator, the command line and the console
 * (issue 14): a Signal is one observed fact (a kernel line, a tool value), a Diagnosis is what the
 * rules make of it: what happened in plain words, the evidence, the likely cause, the impact on
 * serving, and the action in the catalogs' buckets with concrete steps.
 */
import type { Severity } from '../protocol/spec.js';

export type { Severity };

/** A line or value that backs a diagnosis, with when it was seen (ms epoch; null: no time given). */
export interface Evidence {
  ts: number | null;
  text: string;
  /** Where it was read: `kmsg`, `journalctl`, `nvidia-smi`, `npu-smi`, `simulator`, … */
  source: string;
}

/**
 * What a signal reports. Kernel log: `xid`, `sxid` (NVSwitch), `fallen-off-bus` (without an Xid),
 * `gsp-timeout`, `pcie-aer`, `ascend-driver`. Tools: `npu-fault` (an Ascend chip fault code),
 * `npu-health`, `ecc`, `remap`, `retired-pages`, `pcie-link`, `nvlink`, `throttle`, `temperature`,
 * `power`, `persistence`.
 */
export type SignalKind =
  | 'xid'
  | 'sxid'
  | 'fallen-off-bus'
  | 'gsp-timeout'
  | 'pcie-aer'
  | 'ascend-driver'
  | 'npu-fault'
  | 'npu-health'
  | 'ecc'
  | 'remap'
  | 'retired-pages'
  | 'pcie-link'
  | 'nvlink'
  | 'throttle'
  | 'temperature'
  | 'power'
  | 'persistence';

export interface Signal {
  kind: SignalKind;
  /** When it happened (ms epoch): the line's own time when it has one, else when it was read. */
  ts: number;
  /** DeviceInfo.id once mapped (through the inventory's PCI bus ids); absent: node-wide or unmapped. */
  device?: string;
  /** The PCI address as `dddd:bb:dd` (lower case, 4-digit domain), when the source names one. */
  pci?: string;
  /** Xid/SXid number as text (`79`), Ascend code as `0x80E24E00`, throttle reason name, … */
  code?: string;
  /** A measured value and the limit it is judged against, in the unit the rule names. */
  value?: number;
  limit?: number;
  /** Extra facts a rule may use: `pid`, `process`, `gi`, `ci`, `aerSeverity`, `linkGen`, … */
  detail?: Readonly<Record<string, string | number>>;
  /**
   * Added for value rules (issue 14, part A): true when the value is back within its limit, the
   * all-clear that resolves the open diagnosis of the same device + kind + code. A signal with
   * `ok` never opens a diagnosis.
   */
  ok?: boolean;
  evidence: Evidence[];
}

/** What is known of a device when judging it (from the inventory; all optional but `id`). */
export interface DeviceContext {
  id: string;
  vendor: 'nvidia' | 'ascend' | string;
  index?: number;
  chip?: number;
  /** `NVIDIA H100 80GB HBM3`, `910B3` */
  model?: string;
  driver?: string;
  firmware?: string;
  pciBusId?: string;
  /** Processes holding the device now (a GPU reset needs none); undefined: not known. */
  processes?: number;
}

export interface NodeContext {
  cluster?: string;
  node: string;
  devices: readonly DeviceContext[];
}

/**
 * The catalogs' resolution buckets, in words an operator acts on. NVSentinel's RESTART_APP,
 * RESET_GPU, RESTART_BM/RESTART_VM, CONTACT_SUPPORT-like (UNEXPECTED_ERR_REPORT_ISSUE), UPDATE_SWFW,
 * CHECK_MECHANICALS, IGNORE; Ascend's levels map onto the same list (RestartNPUCodes → reset-device,
 * SeparateNPUCodes → isolate-device, …).
 */
export type ActionBucket =
  | 'none'
  | 'watch'
  | 'restart-app'
  | 'reset-device'
  | 'reboot-node'
  | 'isolate-device'
  | 'update-software'
  | 'check-hardware'
  | 'contact-vendor';

export interface Advice {
  bucket: ActionBucket;
  /** One line: "Drain the node and reboot it". */
  summary: string;
  /** Concrete steps, e.g. `nvidia-smi -r -i 3` (only when no process holds the GPU). */
  steps: string[];
}

export interface CatalogRef {
  /** `nvsentinel-xid`, `ascend-fault-code`, `osprey-threshold`, `osprey-known-issue`, … */
  catalog: string;
  /** The entry's key in that catalog: `79`, `0x80E24E00`, `temperature.slowdown`. */
  id: string;
  /** The catalog's own name for it (`ROBUST_CHANNEL_GPU_HAS_FALLEN_OFF_THE_BUS`, `RestartNPUCodes`). */
  name?: string;
  url?: string;
}

export interface Diagnosis {
  /** Stable for one device + kind + code + incident: repeats update it instead of adding rows. */
  id: string;
  /** Groups diagnoses that are one incident (a 45 and a 43 after a 79 share the 79's). */
  incident: string;
  /** First and latest evidence (ms epoch). */
  ts: number;
  lastTs: number;
  /** How many signals it stands for (an Xid storm is counted, not repeated). */
  count: number;
  node?: string;
  device?: string;
  /** `GPU 3 (NVIDIA H100 80GB HBM3)`, `NPU 2 chip 0 (910B3)`, `node-017` for node-wide ones. */
  deviceLabel: string;
  kind: SignalKind;
  code?: string;
  severity: Severity;
  /** What happened, in plain words: "GPU 3 fell off the PCIe bus". */
  title: string;
  cause: string;
  /** What it does to serving: "GPU unusable until the node is rebooted". */
  impact: string;
  action: Advice;
  ref: CatalogRef;
  evidence: Evidence[];
  /**
   * Added (issue 14, part A): when a value-based diagnosis cleared (ms epoch); absent while open.
   * Event-like ones (an Xid) never resolve by themselves: they age out of DiagnosisLog.
   */
  resolved?: number;
}
