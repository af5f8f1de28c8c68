/**
 * NVIDIA GPUs as NVIDIA dcgm-exporter exposes them: its default counters (etc/default-counters.csv)
 * plus the ECC and power-limit fields the console needs, with dcgm-exporter's labels — `gpu`,
 * `UUID`, `pci_bus_id`, `device` (nvidia<N>), `modelName`, `Hostname`, `DCGM_FI_DRIVER_VERSION` —
 * and HELP texts as a real exporter prints them (fixtures/dcgm-exporter_*.prom). A GPU that fell
 * off the bus keeps only DCGM_FI_DEV_XID_ERRORS (79): DCGM can read nothing else from it.
 */
import type { DeviceState } from '../deviceSim.js';
import type { DeviceSpec } from '../fleet.js';
import { labelText, sample, type Families, type Labels } from './promText.js';

/** Memory clock at full speed (MHz), as nvidia-smi clocks.max.memory reports it. */
const MEM_CLOCK: Readonly<Record<string, number>> = {
  'NVIDIA H100 80GB HBM3': 2619,
  'NVIDIA A100-SXM4-80GB': 1593,
  'NVIDIA L40S': 9001,
};

type Field = readonly [
  name: string,
  help: string,
  type: 'gauge' | 'counter',
  value: (s: DeviceState, d: DeviceSpec) => number,
];

export const DCGM_FIELDS: readonly Field[] = [
  ['DCGM_FI_DEV_SM_CLOCK', 'SM clock frequency (in MHz).', 'gauge', (s) => s.clock],
  [
    'DCGM_FI_DEV_MEM_CLOCK',
    'Memory clock frequency (in MHz).',
    'gauge',
    (s, d) => (s.util > 0 ? (MEM_CLOCK[d.hw.name] ?? 1593) : 405),
  ],
  ['DCGM_FI_DEV_GPU_TEMP', 'GPU temperature (in C).', 'gauge', (s) => Math.round(s.temp)],
  [
    'DCGM_FI_DEV_POWER_USAGE',
    'Power draw (in W).',
    'gauge',
    (s) => Math.round(s.power * 1000) / 1000,
  ],
  [
    'DCGM_FI_DEV_TOTAL_ENERGY_CONSUMPTION',
    'Total energy consumption since boot (in mJ).',
    'counter',
    (s) => Math.round(s.energyMj),
  ],
  ['DCGM_FI_DEV_PCIE_REPLAY_COUNTER', 'Total number of PCIe retries.', 'counter', () => 0],
  ['DCGM_FI_DEV_GPU_UTIL', 'GPU utilization (in %).', 'gauge', (s) => s.util],
  [
    'DCGM_FI_DEV_MEM_COPY_UTIL',
    'Memory utilization (in %).',
    'gauge',
    (s) => Math.round(s.util * 0.55),
  ],
  ['DCGM_FI_DEV_ENC_UTIL', 'Encoder utilization (in %).', 'gauge', () => 0],
  ['DCGM_FI_DEV_DEC_UTIL', 'Decoder utilization (in %).', 'gauge', () => 0],
  [
    'DCGM_FI_DEV_FB_FREE',
    'Framebuffer memory free (in MiB).',
    'gauge',
    (s, d) => d.hw.memoryMiB - s.memUsedMiB,
  ],
  ['DCGM_FI_DEV_FB_USED', 'Framebuffer memory used (in MiB).', 'gauge', (s) => s.memUsedMiB],
  [
    'DCGM_FI_DEV_POWER_MGMT_LIMIT',
    'Current power limit (in W).',
    'gauge',
    (_, d) => d.hw.powerLimitW,
  ],
  [
    'DCGM_FI_DEV_CLOCK_THROTTLE_REASONS',
    'Current clock throttle reasons (bitmask of DCGM_CLOCKS_THROTTLE_REASON_*).',
    'gauge',
    (s) => s.throttle,
  ],
  [
    'DCGM_FI_DEV_ECC_DBE_VOL_TOTAL',
    'Total number of double-bit volatile ECC errors.',
    'counter',
    (s) => s.ecc,
  ],
];

const XID = ['DCGM_FI_DEV_XID_ERRORS', 'Value of the last XID error encountered.'] as const;

const cache = new WeakMap<DeviceSpec, string>();

export function dcgmLabels(d: DeviceSpec, node: string, target: Labels): string {
  let text = cache.get(d);
  if (text === undefined) {
    text = labelText(dcgmLabelSet(d, node, target));
    cache.set(d, text);
  }
  return text;
}

function dcgmLabelSet(d: DeviceSpec, node: string, target: Labels): Labels {
  return [
    ['gpu', String(d.info.index)],
    ['UUID', d.info.uuid ?? d.info.id],
    ['pci_bus_id', d.info.pciBusId ?? ''],
    ['device', `nvidia${d.info.index}`],
    ['modelName', d.hw.name],
    ['Hostname', node],
    ['DCGM_FI_DRIVER_VERSION', d.hw.driver],
    ...target,
  ];
}

export function addDcgm(
  f: Families,
  d: DeviceSpec,
  s: DeviceState,
  node: string,
  target: Labels,
): void {
  const labels = dcgmLabels(d, node, target);
  for (const [name, help, type, value] of DCGM_FIELDS) {
    const lines = f.family(name, help, type);
    if (!s.faults.lost) lines.push(sample(name, labels, value(s, d)));
  }
  f.family(XID[0], XID[1], 'gauge').push(sample(XID[0], labels, s.lastXid));
}
