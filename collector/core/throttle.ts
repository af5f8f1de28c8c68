/**
 * NVML clock event ("throttle") reasons, as printed by nvidia-smi `clocks_event_reasons.active`
 * (`clocks_throttle_reasons.active` on older drivers) in hex, e.g. `0x0000000000000004`.
 * Bits from nvml.h `nvmlClocksEventReason*`.
 */
export interface ThrottleReason {
  bit: number;
  id: string;
  label: string;
  /** True when the reason slows work the user asked for (idle and app clocks do not). */
  harmful: boolean;
}

export const THROTTLE_REASONS: readonly ThrottleReason[] = [
  { bit: 0x1, id: 'gpu_idle', label: 'GPU idle', harmful: false },
  {
    bit: 0x2,
    id: 'applications_clocks_setting',
    label: 'Application clocks setting',
    harmful: false,
  },
  { bit: 0x4, id: 'sw_power_cap', label: 'Software power cap', harmful: true },
  { bit: 0x8, id: 'hw_slowdown', label: 'Hardware slowdown', harmful: true },
  { bit: 0x10, id: 'sync_boost', label: 'Sync boost', harmful: false },
  { bit: 0x20, id: 'sw_thermal_slowdown', label: 'Software thermal slowdown', harmful: true },
  { bit: 0x40, id: 'hw_thermal_slowdown', label: 'Hardware thermal slowdown', harmful: true },
  { bit: 0x80, id: 'hw_power_brake_slowdown', label: 'Hardware power brake', harmful: true },
  { bit: 0x100, id: 'display_clock_setting', label: 'Display clock setting', harmful: false },
];

/** The reasons set in a bitmask, in bit order. Unknown bits are returned as `unknown_0x…`. */
export function decodeThrottleReasons(mask: number): ThrottleReason[] {
  const out: ThrottleReason[] = [];
  let known = 0;
  for (const reason of THROTTLE_REASONS) {
    known |= reason.bit;
    if ((mask & reason.bit) !== 0) out.push(reason);
  }
  const unknown = (mask & ~known) >>> 0;
  if (unknown !== 0) {
    const hex = `0x${unknown.toString(16)}`;
    out.push({
      bit: unknown,
      id: `unknown_${hex}`,
      label: `Unknown reason bits ${hex}`,
      harmful: true,
    });
  }
  return out;
}

/** Parse nvidia-smi's hex mask text. Returns undefined for anything that is not a hex number. */
export function parseThrottleMask(text: string): number | undefined {
  const match = /^0x([0-9a-fA-F]{1,16})$/.exec(text.trim());
  if (!match) return undefined;
  // The defined bits fit in 32; the 64-bit field's high half is reserved, so keep the low 32 bits
  // exactly instead of losing precision in a double.
  const hex = match[1]!;
  return Number.parseInt(hex.slice(-8), 16) >>> 0;
}
