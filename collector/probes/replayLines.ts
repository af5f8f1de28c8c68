/**
 * Lines of a replay capture (`--replay TOOL=FILE`), read again from the start each time they are
 * asked for. A file is read in 64 KiB chunks as it is walked, never held whole: a 300 MB capture
 * took the collector to 1.46 GB when it was read into one string and split (issue 10). Lines
 * longer than MAX_LINE_BYTES come out as OVERLONG_LINE, as the system runner would skip them.
 */
import { closeSync, openSync, readSync } from 'node:fs';

import { LineSplitter, MAX_LINE_BYTES } from './LineSplitter.js';

/** Starts a new walk over the lines from the first. */
export type LineSource = () => Iterable<string>;

/** Stands for a line longer than MAX_LINE_BYTES (its text is not kept). */
export const OVERLONG_LINE = '\u0000[a line longer than 64 KiB]\u0000';

export { MAX_LINE_BYTES };

const CHUNK_BYTES = 64 * 1024;

export function textLines(text: string): LineSource {
  return () => text.split(/\r?\n/);
}

/** The lines of a file, read as they are walked; a walk stopped early closes the file. */
export function fileLines(path: string): LineSource {
  return function* walk(): Generator<string> {
    const fd = openSync(path, 'r');
    try {
      const queue: string[] = [];
      const lines = new LineSplitter({
        onLine: (line) => queue.push(line),
        onTooLong: () => queue.push(OVERLONG_LINE),
      });
      const buffer = Buffer.alloc(CHUNK_BYTES);
      for (;;) {
        const n = readSync(fd, buffer, 0, CHUNK_BYTES, null);
        if (n === 0) break;
        lines.push(buffer.subarray(0, n));
        yield* queue.splice(0);
      }
      lines.end();
      yield* queue.splice(0);
    } finally {
      closeSync(fd);
    }
  };
}
