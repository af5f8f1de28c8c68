/**
 * The words the console uses for the diagnosis vocabulary (collector/core/diagnosis/types.ts):
 * action buckets as a short label beside the advice's own sentence (advice.ts BUCKET_SUMMARY is
 * the sentence), catalogs by their names, incident states.
 */
import type { ActionBucket } from '../../../../collector/core/diagnosis/types.js';
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
