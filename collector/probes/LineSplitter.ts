/**
 * Splits a child's byte stream into lines with a ceiling on line length. Node's readline keeps
 * appending to one string until it sees a newline: a tool printing bytes without one grew it to
 * V8's string limit and killed `osprey serve` in ~8 s (`RangeError: Invalid string length`, RSS
 * 209 → 598 MB, issue 10). Here a line longer than `maxBytes` is dropped as it arrives: its bytes
 * are counted, not kept, `onTooLong` is told once per such line, and the lines after it flow on.
 * Works on bytes, so a UTF-8 character split across chunks decodes whole.
 */

/** An nvidia-smi --query-gpu row is ~1 KB with every field; 64 KiB is far past any real line. */
export const MAX_LINE_BYTES = 64 * 1024;

export interface LineSplitterHandlers {
  onLine(line: string): void;
  /** A line passed `maxBytes`; it is skipped. Called once per line, as soon as it is too long. */
  onTooLong(maxBytes: number): void;
}

const NEWLINE = 0x0a;
const CR = 0x0d;

export class LineSplitter {
  /** Bytes of the current line not yet ended (each ≤ maxBytes in total). */
  private parts: Buffer[] = [];
  private held = 0;
  /** The current line is too long: its remaining bytes are dropped up to the next newline. */
  private skipping = false;

  constructor(
    private readonly handlers: LineSplitterHandlers,
    private readonly maxBytes = MAX_LINE_BYTES,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(NEWLINE, start);
      const end = nl < 0 ? chunk.length : nl;
      this.take(chunk.subarray(start, end));
      if (nl < 0) return;
      this.endLine();
      start = nl + 1;
    }
  }

  /** The stream ended: a last line without a newline still counts. */
  end(): void {
    if (this.held > 0) this.endLine();
    this.skipping = false;
  }

  private take(piece: Buffer): void {
    if (this.skipping || piece.length === 0) return;
    if (this.held + piece.length > this.maxBytes) {
      this.parts = [];
      this.held = 0;
      this.skipping = true;
      this.handlers.onTooLong(this.maxBytes);
      return;
    }
    // A copy: the chunk's memory belongs to the stream, and a short slice would pin all of it.
    this.parts.push(Buffer.from(piece));
    this.held += piece.length;
  }

  private endLine(): void {
    if (this.skipping) {
      this.skipping = false;
      return;
    }
    let bytes = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.held);
    this.parts = [];
    this.held = 0;
    if (bytes.length > 0 && bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, -1);
    this.handlers.onLine(bytes.toString('utf8'));
  }
}
