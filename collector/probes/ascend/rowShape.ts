/**
 * The shape of one `|`-framed npu-smi row: its cells, and whether a data row looks like a chip's
 * first line (health word in the second cell) or its second line (a PCI bus id there). The reader
 * goes by position between borders; the shape only tells it when the position has gone wrong.
 */

const HEALTH_WORD = /^(ok|warning|alarm|critical|unknown)$/i;
/** npu-smi prints a 4-digit domain (`0000:C1:00.0`); nvidia-style 8 digits are accepted too. */
export const BUS_ID = /^[0-9a-f]{4,8}:[0-9a-f]{2}:[0-9a-f]{2}\.[0-9a-f]$/i;

export function splitRow(line: string): { cells: string[]; closed: boolean } {
  const s = line.trim();
  const closed = s.length > 1 && s.endsWith('|');
  const inner = s.slice(1, closed ? -1 : undefined);
  return { cells: inner.split('|').map((c) => c.trim()), closed };
}

export function dataRowKind(cells: readonly string[]): 'first' | 'second' | 'unclear' {
  const second = cells[1] ?? '';
  if (HEALTH_WORD.test(second)) return 'first';
  if (BUS_ID.test(second)) return 'second';
  return 'unclear';
}
