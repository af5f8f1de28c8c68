/**
 * The diagnosis vocabulary in words, one table for the console (Health view, drawer, toasts) and
 * the command line (`osprey diagnose`): action buckets as a short label beside the advice's own
 * sentence (advice.ts BUCKET_SUMMARY is the sentence), signal kinds, catalogs by their names.
 */
import type { ActionBucket, SignalKind } from './types.js';

export const BUCKET_WORDS: Readonly<Record<ActionBucket, string>> = {
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

/** An unknown bucket (a newer agent's) has no words: the caller shows it as it came. */
export function bucketWords(bucket: string): string | undefined {
  return Object.hasOwn(BUCKET_WORDS, bucket) ? BUCKET_WORDS[bucket as ActionBucket] : undefined;
}

/** What kind of fact a diagnosis rests on, in words (beside its code: "temperature: slowdown"). */
export const KIND_WORDS: Readonly<Record<SignalKind, string>> = {
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

export function kindWords(kind: string): string | undefined {
  return Object.hasOwn(KIND_WORDS, kind) ? KIND_WORDS[kind as SignalKind] : undefined;
}

const CATALOG_NAMES: Readonly<Record<string, string>> = {
  'nvsentinel-xid': 'NVSentinel Xid catalog',
  'ascend-fault-code': 'Ascend fault codes (MindCluster)',
  'osprey-threshold': 'Osprey thresholds',
  'osprey-known-issue': 'Osprey known issues',
};

export function catalogName(catalog: string): string | undefined {
  return Object.hasOwn(CATALOG_NAMES, catalog) ? CATALOG_NAMES[catalog] : undefined;
}

/**
 * A diagnosis's kind and code as one label: "Xid 79", "NVSwitch SXid 20034", "fault code
 * 0x80E24E00", "temperature: slowdown", "NPU health" (its one code, `health`, says nothing more).
 * `show` writes the code (the console escapes invisible characters in what came off the wire).
 */
export function codeWords(
  kind: string,
  code: string | undefined,
  show: (text: string) => string = (t) => t,
): string {
  const words = kindWords(kind);
  if (code === undefined || (kind === 'npu-health' && code === 'health'))
    return words ?? show(kind);
  if (kind === 'xid' || kind === 'sxid' || kind === 'npu-fault') return `${words} ${show(code)}`;
  return words === undefined ? show(code) : `${words}: ${show(code)}`;
}
