/**
 * What the slow health query asks nvidia-smi for (`--query-gpu`, once every 30 s by default), and
 * under which key the probe reads each answer. Every name is a column, with a real value or
 * absence token, of the nvidia_gpu_exporter `--query-gpu` captures of 590.48.01, 595.71.05 and
 * 595.80 (fixtures/*query-gpu.csv), except the legacy `clocks_throttle_reasons.active` (accepted
 * by 535…610, reference contracts §3.1). H100 590.48.01 lacks
 * `remapped_rows.correctable_inactive`, so that one is not asked. Names are listed newest first: a
 * driver that rejects one ("Field … is not a valid field to query") falls back to the next, and a
 * field whose names are all rejected reads as "not present here".
 */

export interface HealthField {
  key: string;
  /** nvidia-smi names, preferred first. */
  names: readonly string[];
  /** Words for the probe status when the field is not present on any GPU. */
  label: string;
}

const f = (key: string, label: string, ...names: string[]): HealthField => ({ key, label, names });

export const HEALTH_FIELDS: readonly HealthField[] = [
  f('index', 'index', 'index'),
  f('uuid', 'uuid', 'uuid'),
  f('pci', 'PCI bus id', 'pci.bus_id'),
  f('util', 'utilization', 'utilization.gpu'),
  f('pstate', 'performance state', 'pstate'),
  // Retired pages exist up to Volta/Turing; Ampere and newer remap rows instead and print [N/A].
  f('retired.sbe', 'retired pages', 'retired_pages.single_bit_ecc.count'),
  f('retired.dbe', 'retired pages', 'retired_pages.double_bit.count'),
  f('retired.pending', 'retired pages', 'retired_pages.pending'),
  f('remap.correctable', 'row remapping', 'remapped_rows.correctable'),
  f('remap.uncorrectable', 'row remapping', 'remapped_rows.uncorrectable'),
  f('remap.pending', 'row remapping', 'remapped_rows.pending'),
  f('remap.failure', 'row remapping', 'remapped_rows.failure'),
  // Banks by spare rows left (H100: max 2560 … none 0); `none` counts banks that cannot remap again.
  f('remap.histogram.none', 'row remapping histogram', 'remapped_rows.histogram.none'),
  f('remap.histogram.low', 'row remapping histogram', 'remapped_rows.histogram.low'),
  f('ecc.mode', 'ECC', 'ecc.mode.current'),
  f('ecc.corrected.volatile', 'ECC', 'ecc.errors.corrected.volatile.total'),
  f('ecc.uncorrected.volatile', 'ECC', 'ecc.errors.uncorrected.volatile.total'),
  f('ecc.corrected.aggregate', 'ECC', 'ecc.errors.corrected.aggregate.total'),
  f('ecc.uncorrected.aggregate', 'ECC', 'ecc.errors.uncorrected.aggregate.total'),
  // "pcie.link.gen.current: Deprecated, use pcie.link.gen.gpucurrent instead" (535+ help).
  // `.max` is the most this GPU reaches in this system (2080 SUPER: gpumax 3, hostmax 4, max 3).
  f('pcie.gen', 'PCIe link', 'pcie.link.gen.gpucurrent', 'pcie.link.gen.current'),
  f('pcie.gen.max', 'PCIe link', 'pcie.link.gen.max'),
  f('pcie.width', 'PCIe link', 'pcie.link.width.current'),
  f('pcie.width.max', 'PCIe link', 'pcie.link.width.max'),
  f('power.limit', 'power limit', 'enforced.power.limit', 'power.limit'),
  f('power.default', 'power limit', 'power.default_limit'),
  f('persistence', 'persistence mode', 'persistence_mode'),
  f(
    'throttle',
    'clock event reasons',
    'clocks_event_reasons.active',
    'clocks_throttle_reasons.active',
  ),
  // Microseconds spent in each reason since the driver loaded (newer drivers only): the change
  // between two reads is how long the GPU was held back, which a 1 s bitmask sample cannot tell.
  f(
    'throttle.us.sw_power_cap',
    'clock event counters',
    'clocks_event_reasons_counters.sw_power_cap',
  ),
  f(
    'throttle.us.sw_thermal_slowdown',
    'clock event counters',
    'clocks_event_reasons_counters.sw_thermal_slowdown',
  ),
  f(
    'throttle.us.hw_thermal_slowdown',
    'clock event counters',
    'clocks_event_reasons_counters.hw_thermal_slowdown',
  ),
  f(
    'throttle.us.hw_power_brake_slowdown',
    'clock event counters',
    'clocks_event_reasons_counters.hw_power_brake_slowdown',
  ),
];

/** The throttle counters' reason ids (core/throttle.ts ids), in field order. */
export const THROTTLE_COUNTERS = HEALTH_FIELDS.filter((h) => h.key.startsWith('throttle.us.')).map(
  (h) => h.key.slice('throttle.us.'.length),
);

/** Every name the health query might request, deduplicated, in field order. */
export function allHealthNames(): string[] {
  return [...new Set(HEALTH_FIELDS.flatMap((h) => h.names))];
}
