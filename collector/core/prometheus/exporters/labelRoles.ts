/**
 * One table for the label names real exporters use for the same thing, in the order they are
 * tried. DCGM exporter writes `UUID`, `Hostname`, `modelName` (contracts §2.2); with
 * `--use-old-namespace` `uuid`; its main branch renamed `Hostname` to `hostname` in 2026-05
 * (d5e5f51); its NVLink template and the NPU exporter write `model_name`; nvidia_gpu_exporter
 * writes `uuid`, `name`, `index` on `nvidia_smi_gpu_info`; the NPU exporter `vdie_id` (chip UUID,
 * often empty), `id` (NPU id) and `pcie_bus_info`; Kubernetes service discovery adds
 * `kubernetes_node`, and node_exporter's `node_uname_info` carries `nodename`.
 */
import type { Labels } from '../response.js';

export const LABEL_ROLES = {
  uuid: ['UUID', 'uuid', 'gpu_uuid', 'vdie_id'],
  /** Where a series says which machine it is from; `instance` (host:port) is the last resort. */
  node: ['node', 'kubernetes_node', 'Hostname', 'hostname', 'nodename', 'instance'],
  model: ['modelName', 'model_name', 'model', 'name', 'DCGM_FI_DEV_NAME'],
  index: ['gpu', 'index', 'id', 'minor_number'],
  pciBusId: ['pci_bus_id', 'pcie_bus_info'],
  driver: ['DCGM_FI_DRIVER_VERSION', 'driver_version'],
  migProfile: ['GPU_I_PROFILE'],
  migInstance: ['GPU_I_ID'],
  cluster: ['cluster'],
} as const;

export type LabelRole = keyof typeof LABEL_ROLES;

/**
 * The value of the first of a role's labels that is set and not empty (the NPU exporter writes
 * `vdie_id=""` where it does not know the chip), or undefined. `preferred` goes first: the label a
 * user configured for the node.
 */
export function roleValue(labels: Labels, role: LabelRole, preferred?: string): string | undefined {
  if (preferred !== undefined) {
    const v = labels[preferred];
    if (v !== undefined && v !== '') return v;
  }
  for (const name of LABEL_ROLES[role]) {
    const v = labels[name];
    if (v !== undefined && v !== '') return name === 'instance' ? instanceHost(v) : v;
  }
  return undefined;
}

/** `10.0.0.5:9400` → `10.0.0.5`, `[::1]:9400` → `::1`: one machine runs several exporters. */
export function instanceHost(instance: string): string {
  const v6 = /^\[([^\]]+)\](?::\d+)?$/.exec(instance);
  if (v6) return v6[1]!;
  const m = /^([^:]+):\d+$/.exec(instance);
  return m ? m[1]! : instance;
}
