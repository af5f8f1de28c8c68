/**
 * Names the device a kernel signal is about, from the inventory the other probes report: by PCI
 * address (nvidia-smi's `00000000:3B:00.0` and NVRM's `0000:3b:00` compared in one form), by the
 * UUID the driver printed before the Xid (`NVRM: GPU at PCI:…: GPU-…`), and for Ascend driver
 * lines by their device id, read as the logical device number: the n-th NPU chip in (NPU, chip)
 * order, which is how the driver numbers them on single-chip cards (910B) and multi-chip ones alike.
 * A GSP timeout or a fallen-off-bus tail that names no address is the GPU's when the node has
 * exactly one. PCIe AER lines about devices that are not accelerators (a NIC, an NVMe disk) are
 * left out.
 */
import type { DeviceInfo } from '../protocol/spec.js';
import { normalizePci } from './kernelLine.js';
import type { Signal } from './types.js';

/** Drivers whose AER lines concern an accelerator even when its address is not in the inventory. */
const ACCELERATOR_DRIVERS = new Set(['nvidia', 'nvidia-nvswitch', 'nvswitch', 'devdrv', 'ascend']);

export function attachDevices(
  signals: readonly Signal[],
  devices: readonly DeviceInfo[],
): Signal[] {
  if (signals.length === 0) return [];
  const byPci = new Map<string, string>();
  const byUuid = new Map<string, string>();
  for (const d of devices) {
    const pci = d.pciBusId === undefined ? undefined : normalizePci(d.pciBusId);
    if (pci !== undefined && !byPci.has(pci)) byPci.set(pci, d.id);
    if (d.uuid !== undefined) byUuid.set(d.uuid.toLowerCase(), d.id);
    byUuid.set(d.id.toLowerCase(), d.id);
  }
  const npus = devices
    .filter((d) => d.vendor === 'ascend')
    .sort((a, b) => a.index - b.index || (a.chip ?? 0) - (b.chip ?? 0));
  const gpus = devices.filter((d) => d.vendor === 'nvidia');
  const onlyGpu = gpus.length === 1 ? gpus[0]!.id : undefined;
  const out: Signal[] = [];
  for (const s of signals) {
    const unaddressed =
      s.pci === undefined && (s.kind === 'gsp-timeout' || s.kind === 'fallen-off-bus');
    const device = s.device ?? find(s, byPci, byUuid, npus) ?? (unaddressed ? onlyGpu : undefined);
    if (s.kind === 'pcie-aer' && device === undefined) {
      const driver = String(s.detail?.driver ?? '');
      if (!ACCELERATOR_DRIVERS.has(driver)) continue;
    }
    out.push(device === undefined || device === s.device ? s : { ...s, device });
  }
  return out;
}

function find(
  s: Signal,
  byPci: ReadonlyMap<string, string>,
  byUuid: ReadonlyMap<string, string>,
  npus: readonly DeviceInfo[],
): string | undefined {
  if (s.pci !== undefined) {
    const hit = byPci.get(normalizePci(s.pci) ?? s.pci);
    if (hit !== undefined) return hit;
  }
  const uuid = s.detail?.uuid;
  if (typeof uuid === 'string') {
    const hit = byUuid.get(uuid.toLowerCase());
    if (hit !== undefined) return hit;
  }
  const id = s.detail?.deviceId;
  if (s.kind === 'ascend-driver' && typeof id === 'number') return npus[id]?.id;
  return undefined;
}
