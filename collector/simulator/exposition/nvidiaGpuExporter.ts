/**
 * NVIDIA GPUs as utkuozdemir/nvidia_gpu_exporter exposes them (the exporter the Prometheus +
 * Grafana guides use): `nvidia_smi_<query field>` gauges labelled only by `uuid` — lowercase,
 * without the `GPU-` prefix (internal/exporter/exporter.go) — units turned into base units (`[MiB]`
 * → `_bytes` ×1048576, `[MHz]` → `_clock_hz` ×10⁶, `[%]` → `_ratio` ×0.01), HELP = the nvidia-smi
 * field with its unit, and one `nvidia_smi_gpu_info` per GPU carrying name, driver, index and bus
 * id; per node the exporter's own `nvidia_smi_command_exit_code`, `nvidia_smi_failed_scrapes_total`
 * and `nvidia_smi_last_collect_success`. Names, HELP texts and label set are the exporter's real
 * output (fixtures: linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__load.metrics).
 */
import type { DeviceState } from '../deviceSim.js';
import type { DeviceSpec } from '../fleet.js';
import { labelText, sample, type Families, type Labels } from './promText.js';

const MIB = 1048576;
/** memory.reserved on a real H100 80GB (the fixture): what the driver keeps for itself. */
const RESERVED_BYTES = 502267904;

type Field = readonly [
  name: string,
  help: string,
  value: (s: DeviceState, d: DeviceSpec) => number,
];

const totalBytes = (d: DeviceSpec): number => d.hw.memoryMiB * MIB;

export const NVIDIA_SMI_FIELDS: readonly Field[] = [
  ['nvidia_smi_utilization_gpu_ratio', 'utilization.gpu [%]', (s) => s.util / 100],
  [
    'nvidia_smi_utilization_memory_ratio',
    'utilization.memory [%]',
    (s) => Math.round(s.util * 0.55) / 100,
  ],
  ['nvidia_smi_memory_total_bytes', 'memory.total [MiB]', (_, d) => totalBytes(d)],
  ['nvidia_smi_memory_used_bytes', 'memory.used [MiB]', (s) => s.memUsedMiB * MIB],
  ['nvidia_smi_memory_reserved_bytes', 'memory.reserved [MiB]', () => RESERVED_BYTES],
  [
    'nvidia_smi_memory_free_bytes',
    'memory.free [MiB]',
    (s, d) => Math.max(0, totalBytes(d) - RESERVED_BYTES - s.memUsedMiB * MIB),
  ],
  ['nvidia_smi_power_draw_watts', 'power.draw [W]', (s) => Math.round(s.power * 100) / 100],
  ['nvidia_smi_power_limit_watts', 'power.limit [W]', (_, d) => d.hw.powerLimitW],
  ['nvidia_smi_temperature_gpu', 'temperature.gpu', (s) => Math.round(s.temp)],
  ['nvidia_smi_temperature_memory', 'temperature.memory', (s) => Math.round(s.temp) - 5],
  ['nvidia_smi_clocks_current_sm_clock_hz', 'clocks.current.sm [MHz]', (s) => s.clock * 1e6],
  ['nvidia_smi_clocks_max_sm_clock_hz', 'clocks.max.sm [MHz]', (_, d) => d.hw.maxClockMHz * 1e6],
  ['nvidia_smi_pstate', 'pstate', (s) => (s.util > 0 ? 0 : 8)],
  ['nvidia_smi_pcie_link_gen_current', 'pcie.link.gen.current', (_, d) => d.hw.pcieGen],
  [
    'nvidia_smi_ecc_errors_uncorrected_volatile_total',
    'ecc.errors.uncorrected.volatile.total',
    (s) => s.ecc,
  ],
];

const INFO_HELP =
  "A metric with a constant '1' value labeled by gpu uuid, name, driver_model_current, " +
  'driver_model_pending, vbios_version, driver_version, pci_bus_id, serial, compute_cap, ' +
  'pci_sub_device_id, index, cuda_version.';

/** nvidia-smi's compute_cap and the CUDA version its driver reports, by model. */
const COMPUTE_CAP: Readonly<Record<string, string>> = {
  'NVIDIA H100 80GB HBM3': '9.0',
  'NVIDIA A100-SXM4-80GB': '8.0',
  'NVIDIA L40S': '8.9',
};

/** `GPU-AbC…` → `abc…`, as the exporter writes it. */
export function exporterUuid(uuid: string): string {
  return uuid.toLowerCase().replace(/^gpu-/, '');
}

const cache = new WeakMap<DeviceSpec, { uuid: string; info: string }>();

function labelsOf(d: DeviceSpec, target: Labels): { uuid: string; info: string } {
  let t = cache.get(d);
  if (!t) {
    const uuid = exporterUuid(d.info.uuid ?? d.info.id);
    // client_golang writes const-metric labels sorted by name; the target labels come after.
    const info: Labels = [
      ['compute_cap', COMPUTE_CAP[d.hw.name] ?? '9.0'],
      ['cuda_version', '13.1'],
      ['driver_model_current', '[N/A]'],
      ['driver_model_pending', '[N/A]'],
      ['driver_version', d.hw.driver],
      ['index', String(d.info.index)],
      ['name', d.hw.name],
      ['pci_bus_id', d.info.pciBusId ?? ''],
      ['pci_sub_device_id', '0x16C110DE'],
      ['serial', `1650${String(d.info.index).padStart(9, '0')}`],
      ['uuid', uuid],
      ['vbios_version', d.hw.firmware],
      ...target,
    ];
    t = { uuid: labelText([['uuid', uuid], ...target]), info: labelText(info) };
    cache.set(d, t);
  }
  return t;
}

/** The exporter's own series, once per node. */
export function addNvidiaSmiNode(f: Families, target: Labels): void {
  const labels = labelText(target);
  f.family(
    'nvidia_smi_command_exit_code',
    'Exit code of the most recent nvidia-smi run',
    'gauge',
  ).push(sample('nvidia_smi_command_exit_code', labels, 0));
  f.family('nvidia_smi_failed_scrapes_total', 'Number of failed collections', 'counter').push(
    sample('nvidia_smi_failed_scrapes_total', labels, 0),
  );
  f.family(
    'nvidia_smi_last_collect_success',
    'Whether the most recent collection succeeded (1) or not (0)',
    'gauge',
  ).push(sample('nvidia_smi_last_collect_success', labels, 1));
}

/** A GPU that fell off the bus is missing from nvidia-smi's table, so from every series. */
export function addNvidiaSmi(f: Families, d: DeviceSpec, s: DeviceState, target: Labels): void {
  if (s.faults.lost) return;
  const t = labelsOf(d, target);
  f.family('nvidia_smi_gpu_info', INFO_HELP, 'gauge').push(
    sample('nvidia_smi_gpu_info', t.info, 1),
  );
  for (const [name, help, value] of NVIDIA_SMI_FIELDS) {
    f.family(name, help, 'gauge').push(sample(name, t.uuid, value(s, d)));
  }
}
