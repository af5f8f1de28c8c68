/** The NVIDIA probe (nvidia-smi) and its replay runner. */
export { createNvidiaProbe, NvidiaProbe, type NvidiaProbeOptions } from './NvidiaProbe.js';
export {
  createNvidiaReplayRunner,
  NvidiaReplayRunner,
  type NvidiaReplayOptions,
} from './NvidiaReplayRunner.js';
export { QUERY_FIELDS, type QueryField } from './fields.js';
export { parseCsv, readCell, type Cell, type CsvTable } from './csv.js';
export { parseComputeApps } from './computeApps.js';
