/**
 * The words the console uses for the diagnosis vocabulary (collector/core/diagnosis/types.ts):
 * action buckets as a short label beside the advice's own sentence (advice.ts BUCKET_SUMMARY is
 * the sentence), catalogs by their names, incident states.
 */
import type { ActionBucket, SignalKind } from '../../../../collector/core/diagnosis/types.js';
import type { IncidentState } from './incidents.js';

export const BUCKET_WORDS: Record<ActionBucket, string> = {
  none: 'No action',
  watch: 'Watch',
  'restart-app': 'Restart the app',
  'reset-device': 'Reset the device',
  'reboot-node': 'Reboot the node',
  'isolate-device': 'Isolate the device',
  'update-software': 'Update software',
  'check-hardware': 'Check hardware',
  'contact-vendor': 'Contact the vendor',
};

/** An unknown bucket (a newer agent's) is shown as it came, with its invisible characters escaped. */
export function bucketWords(bucket: string): string | undefined {
  return Object.hasOwn(BUCKET_WORDS, bucket) ? BUCKET_WORDS[bucket as ActionBucket] : undefined;
}

/** What kind of fact a diagnosis rests on, in words (beside its code: "temperature: slowdown"). */
export const KIND_WORDS: Record<SignalKind, string> = {
  xid: 'Xid',
  sxid: 'NVSwitch SXid',
  'fallen-off-bus': 'fallen off the bus',
  'gsp-timeout': 'GSP timeout',
  'pcie-aer': 'PCIe AER',
  'ascend-driver': 'Ascend driver',
  'npu-fault': 'fault code',
  'npu-health': 'NPU health',
  ecc: 'ECC',
  remap: 'row remapping',
  'retired-pages': 'retired pages',
  'pcie-link': 'PCIe link',
  nvlink: 'NVLink',
  throttle: 'throttle',
  temperature: 'temperature',
  power: 'power',
  persistence: 'persistence mode',
};

const CATALOG_NAMES: Readonly<Record<string, string>> = {
  'nvsentinel-xid': 'NVSentinel Xid catalog',
  'ascend-fault-code': 'Ascend fault codes (MindCluster)',
  'osprey-threshold': 'Osprey thresholds',
  'osprey-known-issue': 'Osprey known issues',
};

export function catalogName(catalog: string): string | undefined {
  return Object.hasOwn(CATALOG_NAMES, catalog) ? CATALOG_NAMES[catalog] : undefined;
}

export const STATE_WORDS: Record<IncidentState, string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
};
