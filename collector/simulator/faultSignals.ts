/**
 * What a simulated fault looks like to the rules: the same Signals a real node gives. An Xid is
 * the kernel's own line (open-gpu-kernel-modules kernel_rc.c: `NVRM: Xid (PCI:%04x:%02x:%02x): %d,
 * pid=…, name=…, %s`; Xid 79's text as logged on an HGX node, Xid 48's as dcgm-exporter's Xid
 * table words it) read by the kernel-line parser; an Ascend fault is the chip's fault code as
 * npu-smi reports it; thermal and power faults are only values (temperature, power, throttle bits,
 * health), judged by the thresholds. The knowledge (severity, advice) is all in core/diagnosis.
 */
import { parseKernelLine } from '../core/diagnosis/kernelLine.js';
import type { NodeContext, Signal } from '../core/diagnosis/types.js';
import type { Sample } from '../core/protocol/spec.js';
import type { DeviceState } from './deviceSim.js';
import type { DeviceSpec, NodeSpec } from './fleet.js';

/**
 * The codes an npu-fault without `code=` picks from: four of the Ascend dictionary's
 * RestartNPUCodes (the common "reset the chip" level; faults.test.ts checks the level in core).
 */
export const DEFAULT_NPU_FAULT_CODES: readonly string[] = [
  '80E24E00',
  '80E21E01',
  '80E38008',
  '80E3A202',
];

/** Evidence source of simulated lines and values: they read like a real node's, named honestly. */
export const SIM_SOURCE = 'simulator';

/** `00000000:18:00.0` → `0000:18:00`, as NVRM prints the GPU's address. */
export function nvrmPci(pciBusId: string | undefined): string {
  const m = /^(?:[0-9a-f]{4})?([0-9a-f]{4}):([0-9a-f]{2}):([0-9a-f]{2})/i.exec(pciBusId ?? '');
  return m ? `${m[1]}:${m[2]}:${m[3]}`.toLowerCase() : '0000:00:00';
}

const XID_TEXT: Readonly<Record<number, string>> = {
  79: 'GPU has fallen off the bus.',
  48: 'Double Bit ECC Error',
};

/** The kernel line an Xid prints for this GPU. */
export function xidLine(code: 79 | 48, d: DeviceSpec): string {
  return `NVRM: Xid (PCI:${nvrmPci(d.info.pciBusId)}): ${code}, pid='<unknown>', name=<unknown>, ${XID_TEXT[code]}`;
}

/** The Xid as the kernel probe would give it: the line through the kernel-line parser. */
export function xidSignal(code: 79 | 48, d: DeviceSpec, ts: number): Signal {
  const s = parseKernelLine(xidLine(code, d), { now: ts, source: SIM_SOURCE });
  if (!s) throw new Error(`the kernel-line parser refused the simulator's Xid ${code} line`);
  return { ...s, device: d.info.id };
}

/** An Ascend chip fault code, as the npu-smi health probe reports one. */
export function npuFaultSignal(code: string, d: DeviceSpec, ts: number): Signal {
  const i = d.info;
  return {
    kind: 'npu-fault',
    ts,
    device: i.id,
    code,
    evidence: [
      {
        ts,
        text: `npu-smi info -t health -i ${i.index}: Health : Alarm, Error Code : ${code.replace(/^0x/i, '')}`,
        source: SIM_SOURCE,
      },
    ],
  };
}

/**
 * The values the thresholds judge, for one device, as samples (the device's own slowdown limit
 * included: nvidia-smi -q reports "GPU Slowdown Temp"). A lost GPU reports nothing.
 */
export function deviceSamples(d: DeviceSpec, s: DeviceState): Sample[] {
  if (s.faults.lost) return [];
  const id = d.info.id;
  const out: Sample[] = [
    { m: 'device.temperature', v: s.temp, d: id },
    { m: 'device.temperature.slowdown', v: d.hw.slowdownC, d: id },
    { m: 'device.health', v: s.health, d: id },
  ];
  if (d.info.vendor === 'nvidia') {
    out.push(
      { m: 'device.power', v: s.power, d: id },
      { m: 'device.power.limit', v: d.hw.powerLimitW, d: id },
      { m: 'device.throttle.reasons', v: s.throttle, d: id },
    );
  }
  return out;
}

/** The node as the rules see it; a device serving an engine is held by one process. */
export function nodeContext(spec: NodeSpec, engineOf: Int32Array): NodeContext {
  return {
    cluster: spec.cluster,
    node: spec.name,
    devices: spec.devices.map((d, i) => {
      const info = d.info;
      const out: NodeContext['devices'][number] = {
        id: info.id,
        vendor: info.vendor,
        index: info.index,
        model: info.name,
        processes: engineOf[i]! >= 0 ? 1 : 0,
      };
      if (info.chip !== undefined) out.chip = info.chip;
      if (info.driver !== undefined) out.driver = info.driver;
      if (info.firmware !== undefined) out.firmware = info.firmware;
      if (info.pciBusId !== undefined) out.pciBusId = info.pciBusId;
      return out;
    }),
  };
}
