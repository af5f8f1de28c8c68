/**
 * Concrete steps per action bucket, with the device's own numbers in them. Command forms:
 * `nvidia-smi -r -i N` (alias `--gpu-reset`; nvidia-smi(1): the GPU must not be in use, so the
 * step is only offered when the inventory says no process holds it), `nvidia-smi -q -d
 * ROW_REMAPPER|PAGE_RETIREMENT`, `nvidia-smi nvlink -s|-e`, `nvidia-smi -pm 1`,
 * `nvidia-bug-report.sh` (nvidia-smi(1) and the driver package); `npu-smi set -t reset -i N`
 * (Huawei npu-smi reference, "Reset NPU": `npu-smi set -t reset -i dev_id [-m 1]`, all work on the
 * NPU stopped first).
 */
import type { ActionBucket, Advice, DeviceContext } from './types.js';

export const BUCKET_SUMMARY: Readonly<Record<ActionBucket, string>> = {
  none: 'No action needed',
  watch: 'No action now; watch for repeats',
  'restart-app': 'Restart the application (the engine process) using the device',
  'reset-device': 'Reset the device',
  'reboot-node': 'Drain the node and reboot it',
  'isolate-device': 'Take the device out of service',
  'update-software': 'Update the driver or firmware',
  'check-hardware': 'Check the hardware (cooling, power, seating)',
  'contact-vendor': 'Collect logs and contact the vendor',
};

/** What each bucket means for serving when the rule has no better words. */
export const BUCKET_IMPACT: Readonly<Record<ActionBucket, string>> = {
  none: 'No effect on serving',
  watch: 'No effect on serving by itself',
  'restart-app': 'Requests on this device fail; the engine process must restart',
  'reset-device': 'Device unusable until it is reset; engines on it stop serving',
  'reboot-node': 'Device unusable until the node is rebooted; engines on it stop serving',
  'isolate-device': 'Device out of service until it is repaired or replaced',
  'update-software': 'Device unreliable until the software is updated',
  'check-hardware': 'Device slowed or unreliable until the hardware fault is fixed',
  'contact-vendor': 'Unexpected error: the device may be unreliable until it is checked',
};

function gpuRef(d: DeviceContext | undefined): string {
  return d?.index === undefined ? '<index>' : String(d.index);
}

/** Steps to reset a GPU: straight away only when nothing holds it. */
export function nvidiaResetSteps(d: DeviceContext | undefined): string[] {
  const i = gpuRef(d);
  const reset = `nvidia-smi -r -i ${i}`;
  const after = 'If the reset fails or the fault returns, drain and reboot the node';
  if (d?.processes === 0) return [`No process holds GPU ${i}: reset it with \`${reset}\``, after];
  const held =
    d?.processes === undefined
      ? `Check that no process holds GPU ${i} (\`nvidia-smi --query-compute-apps=pid,process_name,gpu_bus_id --format=csv\`); stop any that do (drain the engines on it)`
      : `Stop the ${d.processes} process${d.processes === 1 ? '' : 'es'} holding GPU ${i} first (drain the engines on it)`;
  return [held, `Then reset it: \`${reset}\``, after];
}

export function ascendResetSteps(d: DeviceContext | undefined): string[] {
  const i = d?.index === undefined ? '<NPU id>' : String(d.index);
  return [
    `Stop all work on NPU ${i} (npu-smi requires it before a reset)`,
    `Reset it: \`npu-smi set -t reset -i ${i}\``,
    'If the fault returns after the reset, take the chip out of service and contact the vendor',
  ];
}

function isAscend(d: DeviceContext | undefined): boolean {
  return d?.vendor === 'ascend';
}

export function bucketSteps(bucket: ActionBucket, d: DeviceContext | undefined): string[] {
  const name = isAscend(d) ? `NPU ${d?.index ?? '?'}` : `GPU ${gpuRef(d)}`;
  switch (bucket) {
    case 'none':
      return [];
    case 'watch':
      return ['Nothing to do now; Osprey counts repeats and raises it if they continue'];
    case 'restart-app':
      return [
        `Restart the engine process(es) using ${name}`,
        'If it recurs with the same workload, treat it as an application bug: check the engine log around this time',
      ];
    case 'reset-device':
      return isAscend(d) ? ascendResetSteps(d) : nvidiaResetSteps(d);
    case 'reboot-node':
      return [
        'Drain the node: stop scheduling onto it and move its engines elsewhere',
        'Reboot the node',
        // Node-wide faults (an NVSwitch SXid, an Xid on every GPU) name no one device.
        d === undefined
          ? 'If a device is still missing after the reboot (`nvidia-smi -L`, `npu-smi info`), reseat or replace it: contact the vendor'
          : isAscend(d)
            ? `If ${name} is still missing after the reboot (\`npu-smi info\`), contact the vendor`
            : `If ${name} is still missing after the reboot (\`nvidia-smi -L\`), reseat or replace it: contact the vendor`,
      ];
    case 'isolate-device':
      return [
        `Stop scheduling work onto ${name}${d?.chip === undefined ? '' : ` chip ${d.chip}`}`,
        'Move the engines on it elsewhere',
        'Contact the vendor to repair or replace it',
      ];
    case 'update-software':
      return [
        'Compare the driver and firmware versions with the vendor’s supported versions',
        'Update the driver or firmware, then reboot the node',
      ];
    case 'check-hardware':
      return [
        'Check cooling (fans, airflow, inlet temperature) and the power feeds of the node',
        `Check that ${name} is seated properly; contact the vendor if the fault stays`,
      ];
    case 'contact-vendor':
      return [
        isAscend(d)
          ? 'Collect the NPU logs of the node'
          : 'Collect `nvidia-bug-report.sh` output on the node',
        'Open a case with the vendor with the evidence lines below',
      ];
  }
}

export function advice(
  bucket: ActionBucket,
  d: DeviceContext | undefined,
  summary?: string,
  steps?: string[],
): Advice {
  return {
    bucket,
    summary: summary ?? BUCKET_SUMMARY[bucket],
    steps: steps ?? bucketSteps(bucket, d),
  };
}
