/**
 * NVIDIA GPUs as NVIDIA dcgm-exporter exposes them: its default counters (etc/default-counters.csv)
 * plus the ECC and power-limit fields the console needs, with dcgm-exporter's labels — `gpu`,
 * `UUID`, `pci_bus_id`, `device` (nvidia<N>), `modelName`, `Hostname`, `DCGM_FI_DRIVER_VERSION` —
 * and HELP texts as a real exporter prints them (fixtures/dcgm-exporter_*.prom). A GPU that fell
 * off the bus keeps only DCGM_FI_DEV_XID_ERRORS (79): DCGM can read nothing else from it.
 *
 * Deployments differ (contracts §2.2): released versions write `Hostname`, dcgm-exporter main
 * `hostname` (d5e5f51, #655), and --use-old-namespace a lowercase `uuid`; DcgmLabelStyle picks
 * one. A MIG-partitioned GPU is one series per GPU instance, each with the parent's UUID, its
 * `GPU_I_PROFILE` and `GPU_I_ID` (after modelName, as the exporter's template orders them) and its
 * own framebuffer (FB_USED + FB_FREE = the instance's memory); device-wide fields repeat per
 * instance. A broken exposition carries the line DCGM writes for a field it cannot render
 * (NVIDIA/gpu-monitoring-tools#122, dcgm-exporter#394): `<name>{…} ERROR - FAILED TO CONVERT TO
 * STRING`, which no Prometheus parses, so the whole scrape fails.
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

/** The field DCGM cannot render as a number (a PID list), as a custom counters file enables it. */
const UNCONVERTIBLE = [
  'DCGM_FI_DEV_COMPUTE_PIDS',
  'Compute processes running on the GPU.',
] as const;
export const CONVERT_ERROR = 'ERROR - FAILED TO CONVERT TO STRING';

export interface DcgmLabelStyle {
  uuid: 'UUID' | 'uuid';
  host: 'Hostname' | 'hostname';
}

export const DCGM_LABEL_VARIANTS = ['released', 'main', 'old-namespace', 'mixed'] as const;
export type DcgmLabelVariant = (typeof DCGM_LABEL_VARIANTS)[number];

const STYLES: Readonly<Record<Exclude<DcgmLabelVariant, 'mixed'>, DcgmLabelStyle>> = {
  released: { uuid: 'UUID', host: 'Hostname' },
  main: { uuid: 'UUID', host: 'hostname' },
  'old-namespace': { uuid: 'uuid', host: 'Hostname' },
};

/** A node's label style; `mixed` cycles the three by node index, as a fleet mid-upgrade. */
export function dcgmStyle(variant: DcgmLabelVariant, nodeIndex: number): DcgmLabelStyle {
  if (variant !== 'mixed') return STYLES[variant];
  const order = ['released', 'main', 'old-namespace'] as const;
  return STYLES[order[nodeIndex % order.length]!];
}

/** One GPU instance of a MIG-partitioned GPU. */
export interface MigInstance {
  profile: string;
  id: number;
  memoryMiB: number;
}

/**
 * The layout a MIG node's GPUs get: two 3g.40gb instances (GPU instance ids 1 and 2, as
 * `nvidia-smi mig -lgi` numbers the first two 3-slice placements; ~39.25 GiB each).
 */
const MIG_LAYOUT: Readonly<Record<string, readonly MigInstance[]>> = {
  h100: [
    { profile: '3g.40gb', id: 1, memoryMiB: 40192 },
    { profile: '3g.40gb', id: 2, memoryMiB: 40192 },
  ],
  a100: [
    { profile: '3g.40gb', id: 1, memoryMiB: 40192 },
    { profile: '3g.40gb', id: 2, memoryMiB: 40192 },
  ],
};

/** Hardware the simulator can MIG-partition (H100 and A100). */
export function migLayout(hwKey: string): readonly MigInstance[] | undefined {
  return MIG_LAYOUT[hwKey];
}

const cache = new WeakMap<DeviceSpec, Map<string, string>>();

export function dcgmLabels(
  d: DeviceSpec,
  node: string,
  target: Labels,
  style: DcgmLabelStyle = STYLES.released,
  mig?: MigInstance,
): string {
  let texts = cache.get(d);
  if (!texts) cache.set(d, (texts = new Map()));
  const key = `${style.uuid}/${style.host}/${mig?.id ?? ''}`;
  let text = texts.get(key);
  if (text === undefined) {
    text = labelText(dcgmLabelSet(d, node, target, style, mig));
    texts.set(key, text);
  }
  return text;
}

function dcgmLabelSet(
  d: DeviceSpec,
  node: string,
  target: Labels,
  style: DcgmLabelStyle,
  mig: MigInstance | undefined,
): Labels {
  return [
    ['gpu', String(d.info.index)],
    [style.uuid, d.info.uuid ?? d.info.id],
    ['pci_bus_id', d.info.pciBusId ?? ''],
    ['device', `nvidia${d.info.index}`],
    ['modelName', d.hw.name],
    ...(mig
      ? ([
          ['GPU_I_PROFILE', mig.profile],
          ['GPU_I_ID', String(mig.id)],
        ] as const)
      : []),
    [style.host, node],
    ['DCGM_FI_DRIVER_VERSION', d.hw.driver],
    ...target,
  ];
}

export interface DcgmOptions {
  style?: DcgmLabelStyle;
  /** The GPU's MIG instances, when it is partitioned */
  mig?: readonly MigInstance[];
  /** Write DCGM's unconvertible-field line for this GPU (the scrape then fails to parse) */
  broken?: boolean;
}

/** The GPU's used memory split over its instances, the first ones taking the remainder. */
function migUsed(total: number, mig: readonly MigInstance[]): number[] {
  const share = Math.floor(total / mig.length);
  return mig.map((m, i) => Math.min(m.memoryMiB, share + (i < total - share * mig.length ? 1 : 0)));
}

export function addDcgm(
  f: Families,
  d: DeviceSpec,
  s: DeviceState,
  node: string,
  target: Labels,
  o: DcgmOptions = {},
): void {
  const style = o.style ?? STYLES.released;
  const entities = o.mig ?? [undefined];
  const used = o.mig ? migUsed(s.memUsedMiB, o.mig) : [s.memUsedMiB];
  entities.forEach((mig, i) => {
    const labels = dcgmLabels(d, node, target, style, mig);
    for (const [name, help, type, value] of DCGM_FIELDS) {
      const lines = f.family(name, help, type);
      if (s.faults.lost) continue;
      let v = value(s, d);
      if (mig && name === 'DCGM_FI_DEV_FB_USED') v = used[i]!;
      if (mig && name === 'DCGM_FI_DEV_FB_FREE') v = Math.max(0, mig.memoryMiB - used[i]!);
      lines.push(sample(name, labels, v));
    }
    f.family(XID[0], XID[1], 'gauge').push(sample(XID[0], labels, s.lastXid));
    if (o.broken && i === 0) {
      f.family(UNCONVERTIBLE[0], UNCONVERTIBLE[1], 'gauge').push(
        `${UNCONVERTIBLE[0]}{${labels}} ${CONVERT_ERROR}`,
      );
    }
  });
}
