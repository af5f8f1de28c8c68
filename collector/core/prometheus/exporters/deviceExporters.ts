/**
 * The device exporters a Prometheus-only cluster runs, as data: which series carry which canonical
 * metric (catalog.ts) at which scale, which series name the device's model and driver, and which
 * vendor the family is. Names and units: DCGM exporter contracts §2.1 (MiB, W, °C, MHz, %),
 * nvidia_gpu_exporter's own output (fixtures: bytes, hertz, ratios 0–1 as `_ratio`), the NPU
 * exporter §4.3 (MB, W, °C, MHz, %), and Osprey's own exposition (catalog `prom`, base units).
 * A new exporter is one entry here.
 */
import { metricDef, METRICS } from '../../catalog.js';
import type { Vendor } from '../../model.js';

export type DeviceExporterId = 'dcgm' | 'nvidia_gpu_exporter' | 'npu' | 'osprey';

export interface SeriesMapping {
  /** Canonical metric (catalog.ts). */
  m: string;
  /** Factor from the exporter's unit to the catalog's. */
  scale: number;
}

export interface DeviceExporter {
  id: DeviceExporterId;
  /** As the user knows it, for messages: "DCGM exporter". */
  title: string;
  vendor: Vendor | 'label';
  /** Series → canonical metric. */
  series: Readonly<Record<string, SeriesMapping>>;
  /**
   * Series read only for their labels (model, driver, bus id, index) and never shown as values.
   */
  info?: readonly string[];
  /** Series that together give the memory total where no total series exists (used + free…). */
  memoryTotalParts?: readonly string[];
}

const MIB = 1024 * 1024;
const MB = 1024 * 1024; // npu-smi and the NPU exporter count MB as MiB (HBM 65536 MB = 64 GiB)

const s = (m: string, scale = 1): SeriesMapping => ({ m, scale });

export const DEVICE_EXPORTERS: readonly DeviceExporter[] = [
  {
    id: 'dcgm',
    title: 'DCGM exporter',
    vendor: 'nvidia',
    series: {
      DCGM_FI_DEV_GPU_UTIL: s('device.utilization'),
      DCGM_FI_DEV_FB_USED: s('device.memory.used', MIB),
      DCGM_FI_DEV_FB_TOTAL: s('device.memory.total', MIB),
      DCGM_FI_DEV_MEM_COPY_UTIL: s('device.memory.bandwidth.utilization'),
      DCGM_FI_DEV_GPU_TEMP: s('device.temperature'),
      DCGM_FI_DEV_MEMORY_TEMP: s('device.memory.temperature'),
      DCGM_FI_DEV_POWER_USAGE: s('device.power'),
      DCGM_FI_DEV_POWER_MGMT_LIMIT: s('device.power.limit'),
      DCGM_FI_DEV_SM_CLOCK: s('device.clock.sm'),
      // Renamed in DCGM 3.3 (CLOCKS_EVENT); exporters of both ages are deployed.
      DCGM_FI_DEV_CLOCK_THROTTLE_REASONS: s('device.throttle.reasons'),
      DCGM_FI_DEV_CLOCKS_EVENT_REASONS: s('device.throttle.reasons'),
      DCGM_FI_DEV_ECC_DBE_VOL_TOTAL: s('device.ecc.uncorrected'),
      DCGM_FI_DEV_FAN_SPEED: s('device.fan'),
      DCGM_FI_DEV_PSTATE: s('device.pstate'),
    },
    memoryTotalParts: ['DCGM_FI_DEV_FB_USED', 'DCGM_FI_DEV_FB_FREE', 'DCGM_FI_DEV_FB_RESERVED'],
  },
  {
    id: 'nvidia_gpu_exporter',
    title: 'nvidia_gpu_exporter',
    vendor: 'nvidia',
    series: {
      nvidia_smi_utilization_gpu_ratio: s('device.utilization', 100),
      nvidia_smi_utilization_memory_ratio: s('device.memory.bandwidth.utilization', 100),
      nvidia_smi_memory_used_bytes: s('device.memory.used'),
      nvidia_smi_memory_total_bytes: s('device.memory.total'),
      nvidia_smi_temperature_gpu: s('device.temperature'),
      nvidia_smi_temperature_memory: s('device.memory.temperature'),
      nvidia_smi_power_draw_watts: s('device.power'),
      nvidia_smi_enforced_power_limit_watts: s('device.power.limit'),
      nvidia_smi_clocks_current_sm_clock_hz: s('device.clock.sm', 1e-6),
      nvidia_smi_clocks_event_reasons_active: s('device.throttle.reasons'),
      nvidia_smi_fan_speed_ratio: s('device.fan', 100),
      nvidia_smi_pstate: s('device.pstate'),
    },
    info: ['nvidia_smi_gpu_info'],
  },
  {
    id: 'npu',
    title: 'NPU exporter',
    vendor: 'ascend',
    series: {
      npu_chip_info_utilization: s('device.utilization'),
      npu_chip_info_hbm_used_memory: s('device.memory.used', MB),
      npu_chip_info_hbm_total_memory: s('device.memory.total', MB),
      npu_chip_info_hbm_bandwidth_utilization: s('device.memory.bandwidth.utilization'),
      npu_chip_info_temperature: s('device.temperature'),
      npu_chip_info_hbm_temperature: s('device.memory.temperature'),
      npu_chip_info_power: s('device.power'),
      npu_chip_info_aicore_current_freq: s('device.clock.sm'),
      npu_chip_info_vector_utilization: s('device.aivector.utilization'),
      // 1 healthy, 0 unhealthy, -1 unknown (§4.3); mapped in fleetMessages.ts.
      npu_chip_info_health_status: s('device.health'),
    },
    info: ['npu_chip_info_name'],
  },
  {
    id: 'osprey',
    title: 'Osprey collector',
    vendor: 'label',
    // The collector's own /metrics: every device metric of the catalog, in base units.
    series: Object.fromEntries(
      METRICS.filter((d) => d.scope === 'device' && d.prom).map((d) => [
        d.prom!.name,
        s(d.name, 1 / (d.prom!.scale ?? 1)),
      ]),
    ),
    info: ['osprey_device_info'],
  },
];

/** Every series name a family is read from (values, info and memory parts). */
export function exporterSeriesNames(e: DeviceExporter): string[] {
  return [...new Set([...Object.keys(e.series), ...(e.info ?? []), ...(e.memoryTotalParts ?? [])])];
}

/** The exporters whose series a server holds, from its metric names. */
export function presentExporters(names: ReadonlySet<string>): DeviceExporter[] {
  return DEVICE_EXPORTERS.filter((e) => exporterSeriesNames(e).some((n) => names.has(n)));
}

/** Checked once at load: a mapping to a name the catalog lacks is a programming error. */
for (const e of DEVICE_EXPORTERS) {
  for (const [name, map] of Object.entries(e.series)) {
    if (!metricDef(map.m)) throw new Error(`${e.id}: ${name} maps to unknown metric ${map.m}`);
  }
}
