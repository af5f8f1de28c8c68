/**
 * `nvidia-smi -q -x` → what the slow health checks read only there, pure: the PCIe replay
 * counters (link-level retransmissions; `--query-gpu` has no field for them up to 595.80), and the
 * retired-page and row-remapping blocks for drivers whose `--query-gpu` lacks their fields
 * (`remapped_rows.histogram.*` arrived after 535). Recorded outputs: telegraf's nvidia_smi test
 * data from real systems (fixtures/SOURCES.md), DTD v11–v13. Values are text with units
 * (`192 bank(s)`, `16x`) or `N/A`: `N/A` is "not present", never 0. A retired-page list with
 * entries is in no recorded output, so the addresses are not read; the counts are.
 *
 * Also the board's temperature limits (`<temperature>`: `<gpu_temp_slow_threshold>95 C</…>`,
 * `<gpu_temp_max_threshold>`), which `--query-gpu` has no field for: its `temperature.gpu.tlimit`
 * is a margin whose relation to slowdown differs by board, so it is not read as one.
 */
import { XMLParser } from 'fast-xml-parser';

import type { HealthRow, HealthValue } from './healthRow.js';

export interface XmlGpu {
  /** `<gpu id="00000000:01:00.0">` */
  busId: string;
  uuid?: string;
  name?: string;
  /** Counters as printed, keyed by the names below; absent when `N/A` or missing. */
  values: Map<string, { v: number; text: string; tag: string }>;
  /** The board's temperature limits (°C); each absent when `N/A` or missing. */
  temperature: TemperatureLimits;
}

/** Static per GPU: catalog `device.temperature.slowdown` and `.shutdown`. */
export interface TemperatureLimits {
  /** `<gpu_temp_slow_threshold>`: where thermal slowdown starts. */
  slowdown?: number;
  /** `<gpu_temp_max_threshold>`: where the GPU shuts down. */
  shutdown?: number;
}

/** Our key → the element path under `<gpu>`. */
const PATHS: readonly (readonly [string, readonly string[]])[] = [
  ['pcie.replay', ['pci', 'replay_counter']],
  ['pcie.replay_rollover', ['pci', 'replay_rollover_counter']],
  ['retired.sbe', ['retired_pages', 'multiple_single_bit_retirement', 'retired_count']],
  ['retired.dbe', ['retired_pages', 'double_bit_retirement', 'retired_count']],
  ['retired.pending', ['retired_pages', 'pending_retirement']],
  ['remap.correctable', ['remapped_rows', 'remapped_row_corr']],
  ['remap.uncorrectable', ['remapped_rows', 'remapped_row_unc']],
  ['remap.pending', ['remapped_rows', 'remapped_row_pending']],
  ['remap.failure', ['remapped_rows', 'remapped_row_failure']],
  [
    'remap.histogram.max',
    ['remapped_rows', 'row_remapper_histogram', 'row_remapper_histogram_max'],
  ],
  [
    'remap.histogram.low',
    ['remapped_rows', 'row_remapper_histogram', 'row_remapper_histogram_low'],
  ],
  [
    'remap.histogram.none',
    ['remapped_rows', 'row_remapper_histogram', 'row_remapper_histogram_none'],
  ],
];

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  // Every value stays the text printed: `0x…`, `16x`, `N/A` are not numbers to guess at.
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === 'gpu',
  processEntities: false,
});

type Node = Record<string, unknown>;

export interface XmlLog {
  driver?: string;
  gpus: XmlGpu[];
  /** Why the text is not a `-q -x` log, if it is not. */
  problem?: string;
}

export function parseXmlQuery(text: string): XmlLog {
  let doc: Node;
  try {
    doc = parser.parse(text) as Node;
  } catch (error) {
    return { gpus: [], problem: `not XML: ${(error as Error).message.split('\n')[0]}` };
  }
  const log = doc.nvidia_smi_log as Node | undefined;
  if (log === undefined || typeof log !== 'object') {
    return { gpus: [], problem: 'no <nvidia_smi_log> element' };
  }
  const out: XmlLog = { gpus: [] };
  const driver = text1(log.driver_version);
  if (driver !== undefined) out.driver = driver;
  for (const g of (log.gpu as Node[] | undefined) ?? []) {
    const gpu: XmlGpu = {
      busId: String(g['@id'] ?? ''),
      values: new Map(),
      temperature: temperatureLimits(g.temperature),
    };
    const uuid = text1(g.uuid);
    const name = text1(g.product_name);
    if (uuid !== undefined) gpu.uuid = uuid;
    if (name !== undefined) gpu.name = name;
    for (const [key, path] of PATHS) {
      const text = text1(path.reduce<unknown>((n, p) => (n as Node | undefined)?.[p], g));
      const v = text === undefined ? undefined : toNumber(text);
      if (text !== undefined && v !== undefined) {
        gpu.values.set(key, { v, text, tag: path.at(-1)! });
      }
    }
    out.gpus.push(gpu);
  }
  return out;
}

function temperatureLimits(node: unknown): TemperatureLimits {
  const out: TemperatureLimits = {};
  if (node === null || typeof node !== 'object') return out;
  const t = node as Node;
  const slowdown = celsius(text1(t.gpu_temp_slow_threshold));
  const shutdown = celsius(text1(t.gpu_temp_max_threshold));
  if (slowdown !== undefined) out.slowdown = slowdown;
  if (shutdown !== undefined) out.shutdown = shutdown;
  return out;
}

/** `95 C` → 95; `N/A` and anything else → undefined. */
function celsius(text: string | undefined): number | undefined {
  const m = text === undefined ? null : /^(\d+(?:\.\d+)?) C$/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** Element text, trimmed; undefined for a missing or non-text element. */
function text1(node: unknown): string | undefined {
  if (typeof node === 'string') return node.trim();
  if (typeof node === 'number') return String(node);
  return undefined;
}

/** `12`, `192 bank(s)` → numbers; `Yes`/`No` → 1/0; `N/A` and anything else → undefined. */
function toNumber(text: string): number | undefined {
  if (/^yes$/i.test(text)) return 1;
  if (/^no$/i.test(text)) return 0;
  const m = /^(\d+)(?:\s+bank\(s\))?$/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/**
 * The XML values a health row lacks, as a row healthSignals reads: the replay counters always
 * (no `--query-gpu` field has them), retired pages and row remapping only where the CSV row has
 * no value for them (older drivers), so nothing is told twice.
 */
export function xmlHealthRow(gpu: XmlGpu, csv: HealthRow): HealthRow {
  const values = new Map<string, HealthValue>();
  for (const [key, { v, text, tag }] of gpu.values) {
    const fromCsv = csv.values.get(key);
    if (!key.startsWith('pcie.') && fromCsv?.v !== undefined) continue;
    values.set(key, { name: tag, raw: text, v });
  }
  const pci = csv.values.get('pci');
  if (pci !== undefined) values.set('pci', pci);
  const row: HealthRow = { id: csv.id, index: csv.index, values };
  if (csv.pci !== undefined) row.pci = csv.pci;
  return row;
}
