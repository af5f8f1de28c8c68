/**
 * One entry point for every profile file: refuse what is too big before reading it, detect the
 * format from the content, run its importer. The console, the command line and the capture path
 * all come through here.
 */
import { gunzipSync } from 'fflate';

import { MAX_PROFILE_BYTES, type ProfileFormat, type ProfileSet } from '../model.js';
import { importAustin } from './austin.js';
import { importBpftrace } from './bpftrace.js';
import { importChromeTrace } from './chromeTrace.js';
import { detectFormat } from './detectFormat.js';
import { importDtrace } from './dtrace.js';
import { importFolded } from './folded.js';
import { importPerfScript } from './perfScript.js';
import { importPprof } from './pprof.js';
import { importPyroscope } from './pyroscope.js';
import { importSpeedscope } from './speedscope.js';
import {
  type ImportInput,
  type ImportOptions,
  type Importer,
  ProfileImportError,
} from './types.js';

export const IMPORTERS: Readonly<Record<ProfileFormat, Importer>> = {
  folded: importFolded,
  'perf-script': importPerfScript,
  speedscope: importSpeedscope,
  pprof: importPprof,
  pyroscope: importPyroscope,
  austin: importAustin,
  'chrome-trace': importChromeTrace,
  dtrace: importDtrace,
  bpftrace: importBpftrace,
};

/** What the error for an unknown file lists. */
const FORMAT_NAMES =
  'folded stacks, perf script, speedscope, pprof, Pyroscope flamebearer, austin, Chrome trace, DTrace stacks, bpftrace stacks';

export interface ImportProfileOptions extends ImportOptions {
  /** Skip detection (the command line's --format); the importer still checks the content. */
  readonly format?: ProfileFormat | undefined;
}

/** "1.5 GB (1610612736 bytes)". */
export function describeSize(bytes: number): string {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${bytes} bytes` : `${v.toFixed(1)} ${units[u]} (${bytes} bytes)`;
}

/**
 * Throws when a file of `size` bytes is above MAX_PROFILE_BYTES. The Platform calls it with the
 * file's size before reading a byte (a 2 GB file would not fit in a JS string anyway).
 */
export function checkProfileSize(name: string, size: number): void {
  if (size > MAX_PROFILE_BYTES) {
    throw new ProfileImportError(
      name,
      undefined,
      {},
      `the file is ${describeSize(size)}, above the ${describeSize(MAX_PROFILE_BYTES)} limit for profiles; ` +
        'cut it down (a shorter capture, or `osprey profile convert` on a machine with the tool) and open that',
    );
  }
}

export function importProfile(input: ImportInput, options?: ImportProfileOptions): ProfileSet {
  checkProfileSize(input.name, input.bytes.length);
  if (input.bytes.length === 0) {
    throw new ProfileImportError(input.name, undefined, { offset: 0 }, 'the file is empty');
  }
  const format = options?.format ?? detectFormat(input.bytes);
  if (format === undefined && isGzip(input.bytes)) return importProfile(gunzipped(input), options);
  if (format === undefined) {
    throw new ProfileImportError(
      input.name,
      undefined,
      { offset: 0 },
      `not a profile format Osprey reads (${FORMAT_NAMES}); it starts with ${startOf(input.bytes)}`,
    );
  }
  return IMPORTERS[format](input, options);
}

function isGzip(bytes: Uint8Array): boolean {
  return bytes.length > 18 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * A gzipped profile that is not pprof — PyTorch's `*.pt.trace.json.gz`, a gzipped folded file —
 * read as what it holds. gzip's trailer gives the inflated size (mod 4 GiB), so a file that
 * would inflate past the limit is refused before it is inflated.
 */
function gunzipped(input: ImportInput): ImportInput {
  const b = input.bytes;
  const n = b.length;
  const size = (b[n - 4]! | (b[n - 3]! << 8) | (b[n - 2]! << 16) | (b[n - 1]! << 24)) >>> 0;
  checkProfileSize(`${input.name} (inflated)`, size);
  try {
    return { name: input.name, bytes: gunzipSync(b, { out: new Uint8Array(size) }) };
  } catch (e) {
    throw new ProfileImportError(
      input.name,
      undefined,
      {},
      `gzip data that does not inflate (${e instanceof Error ? e.message : String(e)})`,
    );
  }
}

/** The first bytes, as text when they are text and as hex otherwise (shown as text, never HTML). */
function startOf(bytes: Uint8Array): string {
  const head = bytes.subarray(0, 24);
  const printable = head.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127));
  if (printable) return JSON.stringify(new TextDecoder('utf-8').decode(head));
  return Array.from(head, (b) => b.toString(16).padStart(2, '0')).join(' ');
}
