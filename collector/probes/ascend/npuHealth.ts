/**
 * The slow per-NPU checks' outputs, pure: `npu-smi info -t health -i N` (health word, error
 * codes, error information), `-t ecc -i N` (DDR/HBM single- and double-bit counts, aggregate
 * totals, isolated pages) and `-t board -i N` (software and firmware versions, compatibility).
 * Each is `Key : value` lines, tab- or space-indented, keys padded to 30 or 40 columns; on a
 * multi-chip card each chip's block is closed by its `Chip ID : C` line (as infoT.ts reads it).
 *
 * Recorded outputs (fixtures/SOURCES.md): 23.0.5 on a 910 8-card box (mind-cluster docs: health
 * with `Error Code : NA`, ecc, board) and 910A (mind-cluster env-check: health, board). None of
 * them shows a chip with an error code: how several codes are printed on one line is not
 * recorded, so the value is split on spaces, commas and semicolons, each code read as 8 hex
 * digits with or without `0x` (the form of mind-cluster's faultCode.json, `80E21007`) and given as
 * `0x80E21007`; anything else is kept as printed.
 */

export interface KeyLine {
  key: string;
  value: string;
  /** The line as printed, trimmed: evidence. */
  raw: string;
  line: number;
}

export interface KeyBlock {
  npuId?: number;
  chipId?: number;
  lines: KeyLine[];
}

const KEY_VALUE = /^\s*([^:]*[A-Za-z][^:]*?)\s*:\s*(.*?)\s*$/;
const ABSENT = /^(na|n\/a|-|)$/i;

/** `Health Status` and `health status` and `HealthStatus` are one key. */
export function normKey(key: string): string {
  return key.replace(/\s+/g, '').toLowerCase();
}

/** Key/value blocks per chip: split at blank lines and after each `Chip ID` line. */
export function readKeyBlocks(text: string): KeyBlock[] {
  const blocks: KeyBlock[] = [];
  let current: KeyBlock = { lines: [] };
  let npuId: number | undefined;
  const close = (): void => {
    if (current.lines.some((l) => !isId(l.key))) blocks.push(current);
    current = { lines: [] };
  };
  text.split(/\r?\n/).forEach((rawLine, i) => {
    const m = KEY_VALUE.exec(rawLine);
    if (!m) {
      if (rawLine.trim() === '' && current.lines.length > 0 && !onlyHeader(current)) close();
      return;
    }
    const entry: KeyLine = { key: m[1]!, value: m[2]!, raw: rawLine.trim(), line: i + 1 };
    const k = normKey(entry.key);
    const n = /^\d+$/.test(entry.value) ? Number(entry.value) : undefined;
    if (k === 'npuid' && n !== undefined) npuId = n;
    if (npuId !== undefined) current.npuId = npuId;
    current.lines.push(entry);
    if (k === 'chipid' && n !== undefined) {
      current.chipId = n;
      close();
    }
  });
  close();
  return blocks;
}

/** `NPU ID` and `Chip Count` open an ecc/usages answer; the chip's values follow a blank line. */
function onlyHeader(block: KeyBlock): boolean {
  return block.lines.every((l) => ['npuid', 'chipcount'].includes(normKey(l.key)));
}

function isId(key: string): boolean {
  return ['npuid', 'chipid', 'chipcount'].includes(normKey(key));
}

export function find(block: KeyBlock, ...keys: string[]): KeyLine | undefined {
  const wanted = keys.map(normKey);
  return block.lines.find((l) => wanted.includes(normKey(l.key)));
}

export interface ChipHealth {
  chipId?: number;
  /** The health word (`OK`, `Warning`, `Alarm`, `Critical`, `UNKNOWN`) and its line. */
  health?: KeyLine;
  /** Codes as `0x80E21007` (or as printed when not 8 hex digits); empty for `NA`. */
  codes: string[];
  codeLine?: KeyLine;
  infoLine?: KeyLine;
}

export function parseHealth(text: string): ChipHealth[] {
  return readKeyBlocks(text)
    .map((b) => {
      const chip: ChipHealth = { codes: [] };
      if (b.chipId !== undefined) chip.chipId = b.chipId;
      const health = find(b, 'Health Status', 'Health');
      const code = find(b, 'Error Code', 'Error Codes');
      const info = find(b, 'Error Information');
      if (health) chip.health = health;
      if (code) {
        chip.codeLine = code;
        chip.codes = errorCodes(code.value);
      }
      if (info && !ABSENT.test(info.value)) chip.infoLine = info;
      return chip;
    })
    .filter((c) => c.health !== undefined || c.codeLine !== undefined);
}

export function errorCodes(value: string): string[] {
  return value
    .split(/[\s,;]+/)
    .filter((c) => !ABSENT.test(c))
    .map((c) => {
      const m = /^(?:0x)?([0-9a-f]{8})$/i.exec(c);
      return m ? `0x${m[1]!.toUpperCase()}` : c.slice(0, 64);
    });
}

/** One ECC counter: `hbm.double-bit`, `ddr.single-bit.aggregate`, `hbm.double-bit.isolated-pages`. */
export interface EccCount {
  code: string;
  line: KeyLine;
  /** Undefined when printed as `NA`. */
  v?: number;
}

export interface ChipEcc {
  chipId?: number;
  counts: EccCount[];
}

const ECC_KEY =
  /^(DDR|HBM)\s+(Single|Double)\s+Bit\s+(Error Count|Aggregate Total Err Cnt|Isolated Pages Count)$/i;
const ECC_SUFFIX: Readonly<Record<string, string>> = {
  'error count': '',
  'aggregate total err cnt': '.aggregate',
  'isolated pages count': '.isolated-pages',
};

export function parseEcc(text: string): ChipEcc[] {
  const out: ChipEcc[] = [];
  for (const block of readKeyBlocks(text)) {
    const counts: EccCount[] = [];
    for (const line of block.lines) {
      const m = ECC_KEY.exec(line.key.trim().replace(/\s+/g, ' '));
      if (!m) continue;
      const code = `${m[1]!.toLowerCase()}.${m[2]!.toLowerCase()}-bit${ECC_SUFFIX[m[3]!.toLowerCase()]}`;
      const count: EccCount = { code, line };
      if (/^\d+$/.test(line.value)) count.v = Number(line.value);
      counts.push(count);
    }
    if (counts.length === 0) continue;
    const chip: ChipEcc = { counts };
    if (block.chipId !== undefined) chip.chipId = block.chipId;
    out.push(chip);
  }
  return out;
}

export interface Board {
  software?: string;
  firmware?: string;
  /** `Compatibility : OK` as printed. */
  compatibility?: KeyLine;
}

/** The card's `-t board` answer (its first block: without `-c` there is one). */
export function parseBoard(text: string): Board {
  const block = readKeyBlocks(text)[0];
  if (block === undefined) return {};
  const board: Board = {};
  const software = find(block, 'Software Version');
  const firmware = find(block, 'Firmware Version');
  const compatibility = find(block, 'Compatibility');
  if (software && !ABSENT.test(software.value)) board.software = software.value;
  if (firmware && !ABSENT.test(firmware.value)) board.firmware = firmware.value;
  if (compatibility) board.compatibility = compatibility;
  return board;
}
