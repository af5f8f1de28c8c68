/** The host probe (Linux /proc) and the host description the collector announces. */
export { createHostProbe, HostProbe, PROC_FILES, type HostProbeOptions } from './HostProbe.js';
export {
  hostInfo,
  parseOsRelease,
  readHostInfo,
  type HostFacts,
  type ReadText,
} from './hostInfo.js';
export { parseCpuModel } from './cpuModel.js';
export {
  parseProcStat,
  busyPercent,
  cpuSamples,
  type ProcStat,
  type CpuTicks,
} from './procStat.js';
export { parseMeminfo, memorySamples, type Meminfo } from './meminfo.js';
export { parseLoadavg, loadSamples, type Loadavg } from './loadavg.js';
export { parseNetDev, NET_METRICS } from './netDev.js';
export { parseDiskstats, isWholeDisk, DISK_METRICS } from './diskstats.js';
export { rateSamples, type CounterReading, type CounterPair, type RateSpec } from './rates.js';
