/**
 * Opening the inputs of `osprey diagnose`: a file, a pipe (`<(journalctl -k)`), or standard input
 * (`-`), gzip-compressed or not (`kern.log.2.gz` as logrotate leaves it). Every failure is a
 * DiagnoseError whose message names the input and the reason; the command prints it and exits 1.
 */
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { StringDecoder } from 'node:string_decoder';
import { pipeline, Readable } from 'node:stream';

/** A failure the command reports on stderr (one line) and exits 1 for. */
export class DiagnoseError extends Error {
  override readonly name = 'DiagnoseError';
}

/** Longer lines are cut here: a kernel line is at most 1 KiB (LOG_LINE_MAX), a CSV row ~8 KiB. */
export const MAX_LINE_CHARS = 64 * 1024;

/** nvidia-smi and npu-smi outputs are read whole; a capture larger than this is not one. */
export const MAX_TOOL_OUTPUT_BYTES = 32 * 1024 * 1024;

/** How messages name an input: its path, or `standard input` for `-`. */
export function inputName(path: string): string {
  return path === '-' ? 'standard input' : path;
}

function reason(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a directory, not a file';
    case 'Z_DATA_ERROR':
    case 'Z_BUF_ERROR':
      return `not readable as gzip (${e.message})`;
    default:
      return e.message ?? String(error);
  }
}

/** The input as a byte stream: a file (or FIFO) opened by path, or `stdin` for `-`. */
async function openStream(path: string, stdin: Readable): Promise<Readable> {
  if (path === '-') return stdin;
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new DiagnoseError(`${path}: is a directory, not a file`);
    const handle = await open(path, 'r');
    return handle.createReadStream();
  } catch (error) {
    if (error instanceof DiagnoseError) throw error;
    throw new DiagnoseError(`${path}: ${reason(error)}`);
  }
}

/**
 * The input's lines, one at a time (a kernel log may be larger than memory should hold), without
 * their line ends. Gzip is recognised by its magic bytes. A NUL byte in the first 4 KiB means the
 * input is not text (a core file, an image), which is an error rather than "no faults found".
 */
export async function* readLines(path: string, stdin: Readable): AsyncGenerator<string> {
  const source = await openStream(path, stdin);
  try {
    yield* linesOf(path, await decompressed(source));
  } catch (error) {
    if (error instanceof DiagnoseError) throw error;
    throw new DiagnoseError(`${inputName(path)}: ${reason(error)}`);
  } finally {
    if (path !== '-') source.destroy();
  }
}

/** The stream's chunks, through gunzip when the first bytes are gzip's magic (1f 8b). */
async function decompressed(source: Readable): Promise<AsyncIterable<Buffer>> {
  const it = (source as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return Readable.from([]);
  const head = typeof first.value === 'string' ? Buffer.from(first.value) : first.value;
  async function* raw(): AsyncGenerator<Buffer> {
    yield head;
    for (let r = await it.next(); !r.done; r = await it.next()) {
      yield typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    }
  }
  if (head[0] !== 0x1f || head[1] !== 0x8b) return raw();
  const gunzip = createGunzip();
  // pipeline destroys gunzip with a read error, so iterating it throws that error.
  pipeline(Readable.from(raw()), gunzip, () => undefined);
  return gunzip;
}

async function* linesOf(path: string, chunks: AsyncIterable<Buffer>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let head = 0;
  let partial = '';
  let cut = false;
  for await (const bytes of chunks) {
    if (head < 4096) {
      const nul = bytes.subarray(0, 4096 - head).indexOf(0);
      if (nul >= 0) {
        throw new DiagnoseError(
          `${inputName(path)}: not text (a NUL byte at byte ${head + nul + 1})`,
        );
      }
      head += bytes.length;
    }
    const parts = (partial + decoder.write(bytes)).split('\n');
    partial = parts.pop()!;
    for (const p of parts) {
      if (cut) cut = false;
      else yield stripCr(p);
    }
    if (partial.length > MAX_LINE_CHARS) {
      // The rest of an overlong line is skipped up to its end; its start is kept.
      if (!cut) yield partial.slice(0, MAX_LINE_CHARS);
      cut = true;
      partial = '';
    }
  }
  const rest = partial + decoder.end();
  if (rest !== '' && !cut) yield stripCr(rest);
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** A tool's output whole, as lines; refused past MAX_TOOL_OUTPUT_BYTES. */
export async function readToolLines(path: string, stdin: Readable): Promise<string[]> {
  const lines: string[] = [];
  let bytes = 0;
  for await (const line of readLines(path, stdin)) {
    bytes += line.length + 1;
    if (bytes > MAX_TOOL_OUTPUT_BYTES) {
      throw new DiagnoseError(
        `${inputName(path)}: more than ${MAX_TOOL_OUTPUT_BYTES / 1024 / 1024} MiB; not a tool ` +
          'output (give one nvidia-smi or npu-smi capture)',
      );
    }
    lines.push(line);
  }
  return lines;
}
