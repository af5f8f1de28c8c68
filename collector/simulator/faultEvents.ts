/**
 * The event records a fault produces when it starts and when it ends. Xid lines follow the kernel's
 * format (open-gpu-kernel-modules kernel_rc.c: `NVRM: Xid (PCI:%04x:%02x:%02x): %d, pid=…, name=…,
 * %s`; Xid 79's text as logged on an HGX node, fixtures/nvidia-xid in the shared captures), Xid 48's
 * text as dcgm-exporter's Xid table words it. Severities: Xid 79 and 48 are FATAL in NVIDIA
 * NVSentinel's Xid mapping and CRITICAL in NVIDIA's health-validation docs; an NPU in Alarm is an
 * error (the Ascend probe's health scale); throttling is a warning; every recovery is info.
 */
import type { EventRecord } from '../core/model.js';
import type { Severity } from '../core/protocol/spec.js';
import type { DeviceSpec } from './fleet.js';
import { npuFaultLevel } from './npuFaultCodes.js';

export type DeviceFaultKind = 'xid79' | 'xid48' | 'thermal' | 'power' | 'npu-fault';

/** `00000000:18:00.0` → `0000:18:00`, as NVRM prints the GPU's address. */
export function nvrmPci(pciBusId: string | undefined): string {
  const m = /^(?:[0-9a-f]{4})?([0-9a-f]{4}):([0-9a-f]{2}):([0-9a-f]{2})/i.exec(pciBusId ?? '');
  return m ? `${m[1]}:${m[2]}:${m[3]}`.toLowerCase() : '0000:00:00';
}

export function deviceLabel(d: DeviceSpec): string {
  const i = d.info;
  return i.vendor === 'ascend'
    ? `NPU ${i.index} chip ${i.chip ?? 0} (${i.name})`
    : `GPU ${i.index} (${i.name})`;
}

function event(
  ts: number,
  d: DeviceSpec,
  kind: string,
  severity: Severity,
  message: string,
  code?: string,
): EventRecord {
  const e: EventRecord = { ts, kind, severity, message, d: d.info.id };
  if (code !== undefined) e.code = code;
  return e;
}

export function faultStarted(
  kind: DeviceFaultKind,
  d: DeviceSpec,
  ts: number,
  code?: string,
): EventRecord {
  const pci = `PCI:${nvrmPci(d.info.pciBusId)}`;
  switch (kind) {
    case 'xid79':
      return event(
        ts,
        d,
        'xid',
        'critical',
        `NVRM: Xid (${pci}): 79, pid='<unknown>', name=<unknown>, GPU has fallen off the bus.`,
        '79',
      );
    case 'xid48':
      return event(
        ts,
        d,
        'xid',
        'critical',
        `NVRM: Xid (${pci}): 48, pid='<unknown>', name=<unknown>, Double Bit ECC Error`,
        '48',
      );
    case 'thermal':
      return d.info.vendor === 'nvidia'
        ? event(
            ts,
            d,
            'throttle',
            'warning',
            `${deviceLabel(d)}: thermal slowdown (sw_thermal_slowdown, hw_thermal_slowdown once over ${d.hw.slowdownC} °C); SM clock reduced`,
            '0x60',
          )
        : event(
            ts,
            d,
            'throttle',
            'warning',
            `${deviceLabel(d)}: over temperature, AI Core clock reduced`,
          );
    case 'power':
      return event(
        ts,
        d,
        'throttle',
        'warning',
        `${deviceLabel(d)}: software power cap, drawing at the ${d.hw.powerLimitW} W limit`,
        d.info.vendor === 'nvidia' ? '0x4' : undefined,
      );
    case 'npu-fault': {
      const level = code === undefined ? undefined : npuFaultLevel(code);
      const why = level ? ` (${level.level}: ${level.action})` : '';
      return event(
        ts,
        d,
        'npu-fault',
        'error',
        `${deviceLabel(d)}: health Alarm; error code ${code ?? 'unknown'}${why}`,
        code,
      );
    }
  }
}

export function faultEnded(kind: DeviceFaultKind, d: DeviceSpec, ts: number): EventRecord {
  const who = deviceLabel(d);
  switch (kind) {
    case 'xid79':
      return event(ts, d, 'xid', 'info', `${who}: back on the bus after reset`, '79');
    case 'xid48':
      return event(
        ts,
        d,
        'xid',
        'info',
        `${who}: health back to OK after the double-bit ECC error`,
        '48',
      );
    case 'thermal':
      return event(ts, d, 'throttle', 'info', `${who}: thermal slowdown over`);
    case 'power':
      return event(ts, d, 'throttle', 'info', `${who}: power cap lifted`);
    case 'npu-fault':
      return event(ts, d, 'npu-fault', 'info', `${who}: health back to OK`);
  }
}
