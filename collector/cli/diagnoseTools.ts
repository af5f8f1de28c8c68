/**
 * The tool outputs `osprey diagnose` reads, through the probes' own parsers: which devices the
 * machine has (so a kernel line's PCI address names "GPU 3 (NVIDIA H100 80GB HBM3)" with its driver
 * and firmware, which the rules use), and what the outputs themselves report (the NVIDIA health
 * fields → Signals as the health poller makes them; npu-smi health words and fault codes).
 *
 * - nvidia-smi: a `--query-gpu=… --format=csv` capture with its header (the probe's replay format;
 *   several sample blocks, as `-lms` prints them, are read in order, each GPU's rows compared with
 *   its previous one as the poller does), or an `nvidia-smi -q -x` log (`-q` as text is refused
 *   with what to give instead: no parser reads it).
 * - npu-smi: one or more `npu-smi info` tables, and `npu-smi info -t health -i N` outputs, each
 *   after a `# npu-smi info -t health -i N` line (the probe's replay format), or one bare `-t`
 *   output.
 */
import { deviceKey, type DeviceInfo } from '../core/model.js';
import { normalizePci } from '../core/diagnosis/kernelLine.js';
import { thresholdSignals } from '../core/diagnosis/thresholds.js';
import type { DeviceContext, Signal } from '../core/diagnosis/types.js';
import { parseInfoT } from '../probes/ascend/infoT.js';
import {
  parseBoard,
  parseEcc,
  parseHealth,
  type Board,
  type ChipEcc,
  type ChipHealth,
} from '../probes/ascend/npuHealth.js';
import { npuHealthSignals, type NpuChipRead } from '../probes/ascend/npuHealthSignals.js';
import { parseInfoTable, type InfoTable, type TableChip } from '../probes/ascend/infoTable.js';
import { splitReplay } from '../probes/ascend/NpuReplayRunner.js';
import { parseCsv, preview, readCell } from '../probes/nvidia/csv.js';
import { canonicalFieldName, QUERY_FIELDS } from '../probes/nvidia/fields.js';
import { makeLayout, readGpuRow } from '../probes/nvidia/gpuRow.js';
import { HEALTH_FIELDS } from '../probes/nvidia/healthFields.js';
import {
  normalizeBusId,
  readHealthRow,
  type HealthRow,
  type HealthValue,
} from '../probes/nvidia/healthRow.js';
import { parseXmlQuery } from '../probes/nvidia/xmlQuery.js';
import { healthSignals, type HealthRead } from '../probes/nvidia/healthSignals.js';
import { DiagnoseError, inputName } from './diagnoseInput.js';

export interface ToolRead {
  devices: DeviceContext[];
  /** The same devices as the probes report them (for attachDevices). */
  inventory: DeviceInfo[];
  signals: Signal[];
  /** Things worth a line on stderr (rows skipped, no PCI column, …). */
  notes: string[];
}

/** The fields a DeviceContext takes from the inventory's DeviceInfo. */
export function deviceContext(d: DeviceInfo): DeviceContext {
  const c: DeviceContext = { id: d.id, vendor: d.vendor, model: d.name };
  if (d.index !== undefined) c.index = d.index;
  if (d.chip !== undefined) c.chip = d.chip;
  if (d.driver !== undefined) c.driver = d.driver;
  if (d.firmware !== undefined) c.firmware = d.firmware;
  if (d.pciBusId !== undefined) c.pciBusId = d.pciBusId;
  return c;
}

const NVSMI_Q = /^=+\s*NVSMI LOG\s*=+$/;
const CSV_HINT =
  'give `nvidia-smi -q -x`, or the CSV of `nvidia-smi --query-gpu=index,uuid,name,pci.bus_id,driver_version,' +
  'vbios_version --format=csv` (or the capture `osprey serve --replay nvidia-smi=FILE` reads)';

/**
 * `2026/07/14 08:12:53.353` (nvidia-smi's `timestamp`, the machine's local time) → ms epoch, or
 * undefined when the cell is not one.
 */
export function smiTimestamp(text: string): number | undefined {
  const m = /^(\d{4})\/(\d{2})\/(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, ms] = m.map(Number) as number[];
  const t = new Date(y!, mo! - 1, d!, h!, mi!, s!, Number.isNaN(ms) ? 0 : ms!).getTime();
  return Number.isNaN(t) ? undefined : t;
}

export function readNvidiaSmi(path: string, lines: readonly string[], now: number): ToolRead {
  const name = inputName(path);
  const first = lines.findIndex((l) => l.trim() !== '');
  const head = first < 0 ? '' : lines[first]!.trim();
  if (first < 0) throw new DiagnoseError(`${name}: empty; ${CSV_HINT}`);
  if (NVSMI_Q.test(head) || lines.some((l) => NVSMI_Q.test(l.trim()))) {
    throw new DiagnoseError(`${name}: this is \`nvidia-smi -q\` output; ${CSV_HINT}`);
  }
  if (head.startsWith('<?xml') || head.startsWith('<nvidia_smi_log')) {
    return readNvidiaXml(name, lines.join('\n'), now);
  }
  const table = parseCsv(lines.join('\n'), { what: name });
  const columns = table.columns.map((c) => canonicalFieldName(c.name, 'gpu'));
  if (!columns.includes('index')) {
    throw new DiagnoseError(
      `${name} line ${first + 1}: not an nvidia-smi CSV header with an \`index\` column ` +
        `(${preview(head)}); ${CSV_HINT}`,
    );
  }
  const notes = table.problems.map((p) => `${p}; line skipped`);
  const layout = makeLayout(chosenNames(QUERY_FIELDS, columns));
  const healthChosen = chosenNames(HEALTH_FIELDS, columns);
  const tsAt = columns.indexOf('timestamp');
  const devices = new Map<string, DeviceInfo>();
  const previous = new Map<string, HealthRead>();
  const signals: Signal[] = [];
  for (const row of table.rows) {
    const where = `${name} line ${row.line}`;
    const gpu = readGpuRow(projectRow(row.cells, columns, layout.columns), layout, where);
    if (!gpu.ok) {
      notes.push(gpu.problem);
      continue;
    }
    devices.set(gpu.row.device.id, gpu.row.device);
    const stamp = tsAt < 0 ? undefined : readCell(row.cells[tsAt] ?? '');
    const t = (stamp?.ok ? smiTimestamp(stamp.text) : undefined) ?? now;
    // The fast stream's values (temperature, power vs its cap, clock-event mask) judged as the
    // collector judges its samples.
    signals.push(...thresholdSignals(gpu.row.samples, [gpu.row.device], t));
    const health = readHealthRow(row.cells, columns, healthChosen, where);
    if (!health.ok) continue;
    const read: HealthRead = { row: health.row, t };
    signals.push(...healthSignals(read, previous.get(health.row.id)));
    previous.set(health.row.id, read);
  }
  if (devices.size === 0) {
    throw new DiagnoseError(`${name}: no GPU rows under the header; ${CSV_HINT}`);
  }
  if (!columns.includes('pci.bus_id')) {
    notes.push(
      `${name}: no pci.bus_id column, so kernel lines (which name GPUs by PCI address) cannot be ` +
        'matched to these GPUs; add pci.bus_id to --query-gpu',
    );
  }
  const inventory = [...devices.values()];
  return { devices: inventory.map(deviceContext), inventory, signals, notes };
}

/**
 * `nvidia-smi -q -x`: the GPUs (bus id, UUID, product name, the log's driver) and what the health
 * checks read from it (PCIe replay counters, retired pages, row remapping) through the same
 * healthSignals. The log lists GPUs in nvidia-smi's index order (PCI bus order), which gives each
 * its index. No time is recorded in a value, so the signals are at `now`.
 */
export function readNvidiaXml(name: string, text: string, now: number): ToolRead {
  const log = parseXmlQuery(text);
  if (log.problem !== undefined || log.gpus.length === 0) {
    throw new DiagnoseError(
      `${name}: not an \`nvidia-smi -q -x\` log (${log.problem ?? 'no <gpu> element'}); ${CSV_HINT}`,
    );
  }
  const inventory: DeviceInfo[] = [];
  const signals: Signal[] = [];
  log.gpus.forEach((gpu, index) => {
    const device: DeviceInfo = {
      id: '',
      vendor: 'nvidia',
      index,
      name: gpu.name ?? `GPU ${index}`,
      pciBusId: gpu.busId,
    };
    if (gpu.uuid !== undefined) device.uuid = gpu.uuid;
    if (log.driver !== undefined) device.driver = log.driver;
    device.id = deviceKey(device);
    inventory.push(device);
    const values = new Map<string, HealthValue>();
    for (const [key, { v, text: raw, tag }] of gpu.values) values.set(key, { name: tag, raw, v });
    values.set('pci', { name: 'gpu id', raw: gpu.busId });
    const row: HealthRow = { id: device.id, index, values };
    const pci = normalizeBusId(gpu.busId);
    if (pci !== undefined) row.pci = pci;
    signals.push(...healthSignals({ row, t: now }, undefined));
  });
  return { devices: inventory.map(deviceContext), inventory, signals, notes: [] };
}

/** Field key → the capture's column for it (the first of the field's names the header has). */
function chosenNames(
  fields: readonly { key: string; names: readonly string[] }[],
  columns: readonly string[],
): Map<string, string | undefined> {
  const chosen = new Map<string, string | undefined>();
  for (const f of fields) {
    chosen.set(
      f.key,
      f.names.map((n) => canonicalFieldName(n, 'gpu')).find((n) => columns.includes(n)),
    );
  }
  return chosen;
}

/** The row's cells in the layout's column order. */
function projectRow(
  cells: readonly string[],
  columns: readonly string[],
  wanted: readonly string[],
): string[] {
  return wanted.map((n) => cells[columns.indexOf(n)] ?? '');
}

const PROMPT_COMMAND = /(?:^|[\s$#>/])npu-smi\s+(info\b[^|]*)$/;

/**
 * A pasted command line (`$ npu-smi info -t health -i 0`, `/usr/local/bin/npu-smi info -i 0 -c 0
 * -t health`, as in mind-cluster's own examples) read as the replay format's `# npu-smi …` line,
 * so the output below it is known for what it is.
 */
export function commandLine(line: string): string {
  const t = line.trim();
  if (t.startsWith('|') || t.startsWith('+') || t.startsWith('#')) return line;
  const m = PROMPT_COMMAND.exec(t);
  return m ? `# npu-smi ${m[1]!.trim()}` : line;
}

/** The `-t health|ecc|board` answers of one NPU (`-i N`), and of one chip when `-c C` was given. */
interface NpuAnswers {
  npuId: number;
  health: ChipHealth[];
  ecc: ChipEcc[];
  board?: Board;
}

const SECTION_KEY = /^info -t (health|ecc|board) -i (\d{1,4})(?: -c (\d{1,3}))?$/;

function npuAnswers(sections: ReadonlyMap<string, string[]>): Map<number, NpuAnswers> {
  const out = new Map<number, NpuAnswers>();
  for (const [key, outputs] of sections) {
    const m = SECTION_KEY.exec(key);
    if (!m) continue;
    const npuId = Number(m[2]);
    const a = out.get(npuId) ?? { npuId, health: [], ecc: [] };
    out.set(npuId, a);
    // The last recording of a command is the latest state.
    const text = outputs.at(-1)!;
    const chip = m[3] === undefined ? undefined : Number(m[3]);
    const withChip = <T extends { chipId?: number }>(list: T[]): T[] =>
      list.map((b) => (chip !== undefined && b.chipId === undefined ? { ...b, chipId: chip } : b));
    if (m[1] === 'health') a.health.push(...withChip(parseHealth(text)));
    else if (m[1] === 'ecc') a.ecc.push(...withChip(parseEcc(text)));
    else a.board = parseBoard(text);
  }
  return out;
}

/** By Chip ID; else the only block for a one-chip card (as the health poller picks). */
function pickChip<T extends { chipId?: number }>(
  blocks: readonly T[],
  chip: number,
  chips: number,
): T | undefined {
  return (
    blocks.find((b) => b.chipId === chip) ??
    (blocks.length === 1 && chips === 1 && blocks[0]!.chipId === undefined ? blocks[0] : undefined)
  );
}

export function readNpuSmi(path: string, lines: readonly string[], now: number): ToolRead {
  const name = inputName(path);
  let text = lines.map(commandLine).join('\n');
  const notes: string[] = [];
  if (!lines.some((l) => commandLine(l).startsWith('# npu-smi')) && parseHealth(text).length > 0) {
    // One bare `npu-smi info -t health` answer: which NPU it is comes from its `NPU ID` line.
    const npu = parseInfoT(text).npuId;
    if (npu === undefined) {
      notes.push(
        `${name}: no NPU ID in the health output; called NPU 0 (paste its command line too: ` +
          '`npu-smi info -t health -i N`)',
      );
    }
    text = `# npu-smi info -t health -i ${npu ?? 0}\n${text}`;
  }
  const replay = splitReplay(text);
  const tables: InfoTable[] = replay.infos.map(parseInfoTable).filter((t) => t.chips.length > 0);
  const table = tables.at(-1);
  const answers = npuAnswers(replay.sections);
  if (!table && answers.size === 0) {
    const problem = replay.infos.map(parseInfoTable).flatMap((t) => t.problems)[0];
    const where = problem ? ` (line ${problem.line}: ${problem.message})` : '';
    throw new DiagnoseError(
      `${name}: neither an \`npu-smi info\` table nor \`npu-smi info -t health -i N\` output${where}`,
    );
  }
  for (const p of table?.problems.slice(0, 5) ?? []) {
    notes.push(`${name} line ${p.line}: ${p.message}`);
  }

  const inventory: DeviceInfo[] = [...(table?.devices ?? [])];
  const chips: TableChip[] = [...(table?.chips ?? [])];
  // `-t` answers of NPUs the table does not list (or no table): their chips by the answers.
  for (const a of answers.values()) {
    if (chips.some((c) => c.npuId === a.npuId)) continue;
    const ids = [...new Set([...a.health, ...a.ecc].map((b) => b.chipId ?? 0))].sort();
    for (const chip of ids) {
      const base = {
        vendor: 'ascend' as const,
        index: a.npuId,
        ...(ids.length > 1 ? { chip } : {}),
      };
      const device: DeviceInfo = { id: deviceKey(base), ...base, name: `NPU ${a.npuId}` };
      inventory.push(device);
      chips.push({ id: device.id, npuId: a.npuId, chip, name: device.name, health: '', line: 0 });
    }
  }

  const signals: Signal[] = [];
  const answered = new Set<string>();
  for (const chip of chips) {
    const a = answers.get(chip.npuId);
    if (a === undefined) continue;
    const ofNpu = chips.filter((c) => c.npuId === chip.npuId).length;
    const read: NpuChipRead = { device: chip.id, npuId: chip.npuId, chip: chip.chip, t: now };
    const bus = inventory.find((d) => d.id === chip.id)?.pciBusId;
    const pci = bus === undefined ? undefined : normalizePci(bus);
    if (pci !== undefined) read.pci = pci;
    const h = pickChip(a.health, chip.chip, ofNpu);
    const e = pickChip(a.ecc, chip.chip, ofNpu);
    if (h) read.health = h;
    if (e) read.ecc = e;
    if (a.board) read.board = a.board;
    if (h) answered.add(chip.id);
    signals.push(...npuHealthSignals(read, undefined));
  }
  if (table) {
    // The table's Health column, judged as the collector judges its samples, for the chips no
    // `-t health` answer speaks for (that answer says the same with its error codes).
    const unanswered = table.devices.filter((d) => !answered.has(d.id));
    signals.push(...thresholdSignals(table.samples, unanswered, now));
  }
  // A chip known only from a `-t` answer has no model name to show.
  const devices = inventory.map((d) => {
    const c = deviceContext(d);
    if (!table?.devices.includes(d)) delete c.model;
    return c;
  });
  return { devices, inventory, signals, notes };
}
