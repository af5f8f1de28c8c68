/**
 * Follows /dev/kmsg (Documentation/ABI/testing/dev-kmsg): each read(2) returns one record
 * `prio,seq,usec,flags;message\n` followed by ` KEY=value` dictionary lines. Opened non-blocking
 * and drained on a timer, so no thread of libuv's pool sits in a blocking read. A read that fails
 * with EPIPE means records were overwritten in the ring buffer before we read them: the next read
 * continues with the oldest record still there, and the gap is counted. Records at or before the
 * sequence number read before a restart (same boot) are skipped, so nothing is read twice.
 */
import { closeSync, constants, openSync, readSync } from 'node:fs';

import { parseKmsgRecord, type KmsgRecord } from '../../core/diagnosis/kernelLinePrefix.js';

/** The file operations used, replaceable in tests (a real /dev/kmsg needs CAP_SYSLOG). */
export interface KmsgFs {
  open(path: string): number;
  /** One record per call; throws EAGAIN when none is waiting, EPIPE after overwritten ones. */
  read(fd: number, buffer: Buffer): number;
  close(fd: number): void;
}

export const nodeKmsgFs: KmsgFs = {
  open: (path) => openSync(path, constants.O_RDONLY | constants.O_NONBLOCK),
  read: (fd, buffer) => readSync(fd, buffer, 0, buffer.length, null),
  close: (fd) => closeSync(fd),
};

/** The kernel's records are at most 1 KiB of text (LOG_LINE_MAX) plus the dictionary. */
const RECORD_BYTES = 8 * 1024;
/** Records read in one drain at most, so a flood does not hold the event loop. */
const MAX_PER_DRAIN = 20_000;

export interface DrainResult {
  records: number;
  /** Reads that returned EPIPE: records overwritten before they were read. */
  overwritten: number;
}

export class KmsgFollower {
  private fd: number | undefined;
  private readonly buffer = Buffer.alloc(RECORD_BYTES);
  private lastSeq: number | undefined;

  constructor(
    private readonly fs: KmsgFs,
    private readonly path: string,
    private readonly onRecord: (line: string, record: KmsgRecord) => void,
    /** The last sequence number already read (same boot), from a previous run. */
    afterSeq?: number,
  ) {
    this.lastSeq = afterSeq;
  }

  /** Opens the device; throws the open's error (ENOENT, EACCES, EPERM). */
  open(): void {
    this.fd = this.fs.open(this.path);
  }

  /** The newest sequence number read (or skipped as already read). */
  get seq(): number | undefined {
    return this.lastSeq;
  }

  /** Reads every record waiting. Throws an unexpected read error (the device went away). */
  drain(): DrainResult {
    const result: DrainResult = { records: 0, overwritten: 0 };
    if (this.fd === undefined) return result;
    for (let i = 0; i < MAX_PER_DRAIN; i++) {
      let n: number;
      try {
        n = this.fs.read(this.fd, this.buffer);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (code === 'EAGAIN' || code === 'EWOULDBLOCK') break;
        if (code === 'EPIPE') {
          result.overwritten++;
          continue;
        }
        // EINVAL: a record longer than the buffer; it cannot be read, the next one can.
        if (code === 'EINVAL') continue;
        throw error;
      }
      if (n <= 0) break;
      const text = this.buffer.toString('utf8', 0, n);
      const end = text.indexOf('\n');
      const line = end < 0 ? text : text.slice(0, end);
      const record = parseKmsgRecord(line);
      if (!record) continue;
      if (this.lastSeq !== undefined && record.seq <= this.lastSeq) continue;
      this.lastSeq = record.seq;
      result.records++;
      this.onRecord(line, record);
    }
    return result;
  }

  close(): void {
    if (this.fd === undefined) return;
    try {
      this.fs.close(this.fd);
    } catch {
      // Closing a device that went away has nothing left to release.
    }
    this.fd = undefined;
  }
}
