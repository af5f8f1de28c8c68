/**
 * Ascend NPUs as the Ascend NPU exporter (Ascend/mind-cluster component/npu-exporter) exposes them:
 * `npu_chip_info_*` with its label set — container_name, id, model_name, namespace, pcie_bus_info,
 * pod_name, vdie_id (empty strings where no container holds the chip) — and HELP texts as in the
 * exporter's own test data (fixtures/npu-exporter_*.prom). model_name follows that data's
 * `<chip>-Ascend-V1` form. Health is 1 healthy / 0 unhealthy; error_code carries the fault code
 * as a number (0 when none).
 */
import type { DeviceState } from '../deviceSim.js';
import type { DeviceSpec } from '../fleet.js';
import { labelText, sample, type Families, type Labels } from './promText.js';

type Field = readonly [
  name: string,
  help: string,
  value: (s: DeviceState, d: DeviceSpec) => number,
];

export const NPU_FIELDS: readonly Field[] = [
  ['npu_chip_info_health_status', 'the npu health status', (s) => (s.health >= 2 ? 0 : 1)],
  [
    'npu_chip_info_error_code',
    'the npu error code',
    (s) => (s.faults.npuCode === undefined ? 0 : Number.parseInt(s.faults.npuCode, 16)),
  ],
  ['npu_chip_info_temperature', 'the npu temperature', (s) => Math.round(s.temp)],
  ['npu_chip_info_power', 'the npu power', (s) => Math.round(s.power * 10) / 10],
  [
    'npu_chip_info_aicore_current_freq',
    "the npu ai core current frequency, unit is 'MHz'",
    (s) => s.clock,
  ],
  ['npu_chip_info_utilization', 'the ai core utilization', (s) => s.util],
  ['npu_chip_info_vector_utilization', 'the vector core utilization', (s) => s.aivector],
  ['npu_chip_info_hbm_used_memory', 'the npu hbm used memory', (s) => s.memUsedMiB],
  ['npu_chip_info_hbm_total_memory', 'the npu hbm total memory', (_, d) => d.hw.memoryMiB],
  [
    'npu_chip_info_hbm_utilization',
    'the npu hbm memory utilization',
    (s, d) => Math.round((100 * s.memUsedMiB) / d.hw.memoryMiB),
  ],
];

function npuLabelSet(d: DeviceSpec, nameLabel: 'model_name' | 'name', target: Labels): Labels {
  return [
    ['container_name', ''],
    ['id', String(d.info.index)],
    [nameLabel, `${d.hw.name}-Ascend-V1`],
    ['namespace', ''],
    ['pcie_bus_info', d.info.pciBusId ?? ''],
    ['pod_name', ''],
    ['vdie_id', d.vdieId ?? ''],
    ...target,
  ];
}

const cache = new WeakMap<DeviceSpec, { name: string; model: string }>();

/** The chip's label texts: with `name` (npu_chip_info_name) and with `model_name` (the rest). */
export function npuLabels(d: DeviceSpec, target: Labels): { name: string; model: string } {
  let texts = cache.get(d);
  if (!texts) {
    texts = {
      name: labelText(npuLabelSet(d, 'name', target)),
      model: labelText(npuLabelSet(d, 'model_name', target)),
    };
    cache.set(d, texts);
  }
  return texts;
}

export function addNpuNode(f: Families, count: number, target: Labels): void {
  f.family('machine_npu_nums', 'Amount of npu installed on the machine.', 'gauge').push(
    sample('machine_npu_nums', labelText(target), count),
  );
}

export function addNpu(f: Families, d: DeviceSpec, s: DeviceState, target: Labels): void {
  const texts = npuLabels(d, target);
  f.family('npu_chip_info_name', "the Ascend npu name with value '1'", 'gauge').push(
    sample('npu_chip_info_name', texts.name, 1),
  );
  const labels = texts.model;
  for (const [name, help, value] of NPU_FIELDS) {
    f.family(name, help, 'gauge').push(sample(name, labels, value(s, d)));
  }
}
