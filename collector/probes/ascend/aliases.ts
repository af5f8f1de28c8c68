/**
 * The key names of `npu-smi info -t usages|common|power|temp|health|ecc` across driver versions and
 * products, mapped onto canonical metrics. Keys match without regard to case or spaces, so
 * `Aicore Usage Rate(%)`, `AI Core Usage Rate(%)`, `AICore Usage Rate(%)` and `HBM Usage Rate (%)`
 * all find their entry. Within one metric the keys are in order of preference: the first one that
 * carries a number wins (a chip with HBM reports both HBM and DDR rates; HBM is its device memory).
 *
 * Where each name was seen: 23.0.5 `-t usages`/`-t health`/`-t ecc` (fixtures here);
 * `NPU Utilization(%)`, `Aivector Usage Rate(%)`, `Memory Usage Rate(%)`, `NPU Real-time Power(W)`,
 * `Power Dissipation(W)`, `Temperature(C)`, `Aicore curFreq(MHZ)` in the npu-smi notes of
 * reference/contracts.md §4.2; `Vector Core Usage Rate(%)` was asked for by the probe's brief and has
 * not been seen in a capture.
 */
import { MIB } from './cells.js';

export interface MetricAlias {
  metric: string;
  keys: readonly string[];
  /** Factor from the key's unit to the metric's (MB → bytes). */
  scale?: number;
}

export const METRIC_ALIASES: readonly MetricAlias[] = [
  {
    metric: 'device.utilization',
    // The catalog's device.utilization is AICore usage, or NPU Utilization where the chip gives it.
    keys: [
      'NPU Utilization(%)',
      'Aicore Usage Rate(%)',
      'AI Core Usage Rate(%)',
      'AICore Usage Rate(%)',
    ],
  },
  { metric: 'device.aicpu.utilization', keys: ['Aicpu Usage Rate(%)', 'AI CPU Usage Rate(%)'] },
  {
    metric: 'device.aivector.utilization',
    keys: ['Aivector Usage Rate(%)', 'AI Vector Usage Rate(%)', 'Vector Core Usage Rate(%)'],
  },
  {
    metric: 'device.memory.usage',
    keys: ['HBM Usage Rate(%)', 'Memory Usage Rate(%)', 'DDR Usage Rate(%)'],
  },
  {
    metric: 'device.memory.total',
    keys: ['HBM Capacity(MB)', 'Memory Capacity(MB)', 'DDR Capacity(MB)'],
    scale: MIB,
  },
  {
    metric: 'device.memory.bandwidth.utilization',
    keys: ['HBM Bandwidth Usage Rate(%)', 'DDR Bandwidth Usage Rate(%)'],
  },
  { metric: 'device.power', keys: ['NPU Real-time Power(W)', 'Power Dissipation(W)'] },
  { metric: 'device.temperature', keys: ['Temperature(C)'] },
  { metric: 'device.clock.sm', keys: ['Aicore curFreq(MHZ)'] },
  {
    metric: 'device.ecc.uncorrected',
    keys: ['HBM Double Bit Error Count', 'DDR Double Bit Error Count'],
  },
];

/** Keys with a meaning of their own rather than a metric. */
export const SPECIAL_KEYS = {
  npuId: ['NPU ID'],
  chipId: ['Chip ID'],
  health: ['Health Status', 'Health'],
  errorCode: ['Error Code', 'Error Codes'],
  errorInfo: ['Error Information'],
} as const;

/**
 * Keys npu-smi prints that have no canonical metric (yet). They are known, so they are not counted
 * as unknown: the unknown count is meant to reveal keys renamed by a new driver.
 */
export const IGNORED_KEYS: readonly string[] = [
  'Chip Count',
  'DDR Hugepages Total(page)',
  'DDR Hugepages Usage Rate(%)',
  'Ctrlcpu Usage Rate(%)',
  'Aicube Usage Rate(%)',
  'Aicore Freq(MHZ)',
  'Aicore Count',
  'Rated Power Dissipation(W)',
  'DDR Single Bit Error Count',
  'DDR Single Bit Aggregate Total Err Cnt',
  'DDR Double Bit Aggregate Total Err Cnt',
  'DDR Single Bit Isolated Pages Count',
  'DDR Double Bit Isolated Pages Count',
  'HBM Single Bit Error Count',
  'HBM Single Bit Aggregate Total Err Cnt',
  'HBM Double Bit Aggregate Total Err Cnt',
  'HBM Single Bit Isolated Pages Count',
  'HBM Double Bit Isolated Pages Count',
];

export type KeyMeaning =
  | { kind: 'metric'; metric: string; rank: number; scale: number }
  | { [K in keyof typeof SPECIAL_KEYS]: { kind: K } }[keyof typeof SPECIAL_KEYS]
  | { kind: 'ignored' };

/** Case and spaces do not tell versions apart: `AI Core` = `Aicore`, `Rate (%)` = `Rate(%)`. */
export function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/\s+/g, '');
}

const MEANINGS: ReadonlyMap<string, KeyMeaning> = buildMeanings();

function buildMeanings(): Map<string, KeyMeaning> {
  const map = new Map<string, KeyMeaning>();
  for (const a of METRIC_ALIASES) {
    a.keys.forEach((key, rank) => {
      const k = normalizeKey(key);
      if (!map.has(k)) map.set(k, { kind: 'metric', metric: a.metric, rank, scale: a.scale ?? 1 });
    });
  }
  for (const [kind, keys] of Object.entries(SPECIAL_KEYS)) {
    for (const key of keys) map.set(normalizeKey(key), { kind } as KeyMeaning);
  }
  for (const key of IGNORED_KEYS) map.set(normalizeKey(key), { kind: 'ignored' });
  return map;
}

/** What a key means, or undefined for a key this table does not know. */
export function keyMeaning(key: string): KeyMeaning | undefined {
  return MEANINGS.get(normalizeKey(key));
}
