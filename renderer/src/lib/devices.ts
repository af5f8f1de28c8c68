/** How devices are named and ordered wherever they are listed: as their tools number them. */
import type { DeviceInfo } from '../../../collector/core/protocol/spec.js';

/** "GPU 0", "NPU 3", "NPU 3·1" (chip 1 of card 3). */
export function deviceLabel(device: DeviceInfo): string {
  const kind = device.vendor === 'ascend' ? 'NPU' : 'GPU';
  return device.chip === undefined
    ? `${kind} ${device.index}`
    : `${kind} ${device.index}·${device.chip}`;
}

/** Devices in the order their tools number them. */
export function sortDevices(devices: readonly DeviceInfo[]): DeviceInfo[] {
  return [...devices].sort((a, b) => a.index - b.index || (a.chip ?? 0) - (b.chip ?? 0));
}
