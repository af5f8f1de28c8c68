/**
 * Ascend chip fault codes the simulator raises, a few from each handling level of the Ascend
 * device plugin's fault dictionary (Ascend/mind-cluster component/ascend-device-plugin/build/
 * faultCode.json @ 22bb3d98; levels explained in its docs, usage/resumable_training/
 * 03_configuring_fault_detection_levels.md). fixtures/faultCode.json holds the dictionary so a test
 * can check each code really is in the level it is listed under.
 */
export interface NpuFaultLevel {
  level: string;
  action: string;
  codes: readonly string[];
}

export const NPU_FAULT_LEVELS: readonly NpuFaultLevel[] = [
  {
    level: 'RestartNPUCodes',
    action: 'stop the job and reset the chip',
    codes: ['80E24E00', '80E21E01', '80E38008', '80E3A202'],
  },
  {
    level: 'RestartRequestCodes',
    action: 're-execute the request',
    codes: ['80C98008', '80C98002', '80CB8002'],
  },
  {
    level: 'FreeRestartNPUCodes',
    action: 'reset the chip once it is idle',
    codes: ['8C0E4E00', '8C104E00'],
  },
  {
    level: 'SeparateNPUCodes',
    action: 'unrecoverable: isolate the chip',
    codes: ['80E3A201', '80E18402', '80E0020B'],
  },
];

/** The codes a fault without `code=` picks from (the common "reset the chip" level). */
export const DEFAULT_NPU_FAULT_CODES = NPU_FAULT_LEVELS[0]!.codes;

/** `0x80E24E00` or `80e24e00` → `0x80E24E00`; undefined when it is not a hex code. */
export function normalizeNpuCode(text: string): string | undefined {
  const m = /^(?:0x)?([0-9a-f]{6,9})$/i.exec(text.trim());
  return m ? `0x${m[1]!.toUpperCase()}` : undefined;
}

export function npuFaultLevel(code: string): NpuFaultLevel | undefined {
  const bare = code.replace(/^0x/i, '').toUpperCase();
  return NPU_FAULT_LEVELS.find((l) => l.codes.includes(bare));
}
