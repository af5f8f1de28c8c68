/**
 * Bytes → text for the text formats. Profiles come as UTF-8, and as UTF-16 with a byte-order mark
 * when written by Windows tools (speedscope keeps such samples: stackcollapse/simple-utf16-le.txt).
 */

/** Which encoding the byte-order mark names, and how many bytes it takes. */
export function byteOrderMark(bytes: Uint8Array): { encoding: string; length: number } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { encoding: 'utf-8', length: 3 };
  }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: 'utf-16le', length: 2 };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: 'utf-16be', length: 2 };
  return { encoding: 'utf-8', length: 0 };
}

/** The whole file as text (invalid sequences become U+FFFD rather than failing the import). */
export function decodeText(bytes: Uint8Array, limit = bytes.length): string {
  const bom = byteOrderMark(bytes);
  const end = Math.min(bytes.length, limit);
  return new TextDecoder(bom.encoding).decode(bytes.subarray(bom.length, end));
}

/** A line quoted for a message: at most 80 characters, as text (never markup). */
export function quoteLine(line: string): string {
  const short = line.length > 80 ? `${line.slice(0, 77)}…` : line;
  return JSON.stringify(short);
}

/** Collects skipped-line warnings, keeping the first `cap` and counting the rest. */
export class Warnings {
  private readonly list: string[] = [];
  private dropped = 0;

  constructor(private readonly cap = 20) {}

  add(message: string): void {
    if (this.list.length < this.cap) this.list.push(message);
    else this.dropped++;
  }

  get count(): number {
    return this.list.length + this.dropped;
  }

  toArray(): string[] {
    return this.dropped === 0
      ? this.list.slice()
      : [
          ...this.list,
          `… and ${this.dropped} more skipped (only the first ${this.cap} are listed)`,
        ];
  }
}
