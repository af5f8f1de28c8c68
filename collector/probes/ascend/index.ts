/** The Huawei Ascend probe (npu-smi) and its replay runner. */
export { AscendProbe, createAscendProbe, type AscendProbeOptions } from './AscendProbe.js';
export { createNpuReplayRunner, splitReplay, canonicalArgs } from './NpuReplayRunner.js';
export { parseInfoTable, type InfoTable, type TableChip } from './infoTable.js';
export { parseInfoT, type InfoTChip, type InfoTResult } from './infoT.js';
export { METRIC_ALIASES, keyMeaning } from './aliases.js';
