/**
 * Text and warnings for the JSON importers (Chrome trace, Pyroscope). JSON files come as UTF-8;
 * Windows tools write UTF-16 with a byte-order mark, which JSON.parse cannot take as bytes.
 */

/** The file as text, by its byte-order mark (UTF-8 without one); bad sequences become U+FFFD. */
export function jsonText(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return new TextDecoder('utf-8').decode(bytes.subarray(3));
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe)
    return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff)
    return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8').decode(bytes);
}

/** JSON.parse's "at position N" (V8) as a 1-based line, when the message has one. */
export function jsonErrorLine(text: string, error: unknown): number | undefined {
  const m = /position (\d+)/.exec(error instanceof Error ? error.message : String(error));
  if (!m) return undefined;
  const pos = Number(m[1]);
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < pos; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** The first `cap` warnings, then a count of the rest: a broken 1 GB trace must not make 1M. */
export class WarningList {
  private readonly list: string[] = [];
  private dropped = 0;

  constructor(private readonly cap = 30) {}

  add(message: string): void {
    if (this.list.length < this.cap) this.list.push(message);
    else this.dropped++;
  }

  toArray(): string[] {
    return this.dropped === 0
      ? this.list.slice()
      : [...this.list, `… and ${this.dropped} more (only the first ${this.cap} are listed)`];
  }
}
