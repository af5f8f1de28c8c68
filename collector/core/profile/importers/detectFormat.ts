/**
 * Which importer reads a file, from its bytes alone (never its name: a `.txt` is folded, perf
 * script or austin; a `.json` is speedscope, Pyroscope or a Chrome trace). Only the first 64 KB
 * are looked at, so detecting a 1 GB file costs nothing.
 */
import type { ProfileFormat } from '../model.js';
import { looksLikeBpftrace } from './bpftrace.js';
import { looksLikeChromeTrace } from './chromeTrace.js';
import { looksLikeDtrace } from './dtrace.js';
import { parsePerfHeader } from './perfScript.js';
import { looksLikePprof } from './pprof.js';
import { looksLikePyroscope } from './pyroscope.js';
import { byteOrderMark, decodeText } from './text.js';

const HEAD_BYTES = 65_536;
/** A folded line: frames, a space, a count. */
const FOLDED_LINE = /\S \d+(?:\.\d+)?\s*$/;
const AUSTIN_SAMPLE = /^P\d+;T[^;\s]*(?:;|\s)/;

export function detectFormat(bytes: Uint8Array): ProfileFormat | undefined {
  if (bytes.length === 0) return undefined;
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return looksLikePprof(bytes) ? 'pprof' : undefined;
  const bom = byteOrderMark(bytes);
  if (bom.length === 0 && hasNul(bytes)) return looksLikePprof(bytes) ? 'pprof' : undefined;

  const head = decodeText(bytes, HEAD_BYTES);
  const trimmed = head.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    if (looksLikeSpeedscope(trimmed)) return 'speedscope';
    if (looksLikePyroscope(trimmed)) return 'pyroscope';
    if (looksLikeChromeTrace(trimmed)) return 'chrome-trace';
    return undefined;
  }
  // Before folded: DTrace's indented `module`function` frames and bpftrace's `@[` … `]: count`
  // entries are no folded lines.
  if (looksLikeDtrace(head)) return 'dtrace';
  if (looksLikeBpftrace(head)) return 'bpftrace';
  const text =
    bytes.length > HEAD_BYTES && !head.includes('\n')
      ? textFormat(...firstLongLine(bytes))
      : textFormat(head, bytes.length > HEAD_BYTES);
  if (text !== undefined) return text;
  return looksLikePprof(bytes) ? 'pprof' : undefined;
}

/** Longest first line read to detect a file whose first line outgrows the 64 KB head. */
const LONG_LINE_BYTES = 16 * 1024 * 1024;

/**
 * A folded stack 1,000 C++ frames deep is one line of 100–200 KB: the 64 KB head holds none of it
 * whole. Read on to the first line's end (at most 16 MB) and judge that line.
 */
function firstLongLine(bytes: Uint8Array): [string, boolean] {
  const newline = bytes.indexOf(0x0a, HEAD_BYTES);
  const end = Math.min(newline < 0 ? bytes.length : newline, LONG_LINE_BYTES);
  return [decodeText(bytes, end), newline < 0 && end < bytes.length];
}

/** speedscope's `$schema` (every exporter writes it), or its shape: shared frames and profiles. */
export function looksLikeSpeedscope(text: string): boolean {
  if (/"\$schema"\s*:\s*"https?:\/\/www\.speedscope\.app\/file-format-schema\.json"/.test(text)) {
    return true;
  }
  return /"shared"\s*:\s*\{\s*"frames"\s*:/.test(text) && /"profiles"\s*:\s*\[/.test(text);
}

function hasNul(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, 1024);
  for (let i = 0; i < end; i++) if (bytes[i] === 0) return true;
  return false;
}

/** folded, perf script or austin, from the first lines that are not comments. */
function textFormat(head: string, truncated: boolean): ProfileFormat | undefined {
  const lines = head.split('\n');
  // The last line of a 64 KB prefix may be cut short.
  if (truncated) lines.pop();
  let folded = 0;
  let other = 0;
  for (let i = 0; i < lines.length && folded + other < 20; i++) {
    const line = lines[i]!.replace(/\r$/, '');
    if (line.trim() === '') continue;
    if (line.startsWith('# austin:')) return 'austin';
    if (line.startsWith('#') || line.startsWith('//')) continue;
    if (folded + other === 0) {
      if (AUSTIN_SAMPLE.test(line)) return 'austin';
      if (!/^\s/.test(line) && parsePerfHeader(line) !== undefined) {
        const next = lines[i + 1];
        const rest = parsePerfHeader(line)!.rest;
        if ((next !== undefined && /^\s+\S/.test(next)) || /^[0-9a-f]+\s/i.test(rest)) {
          return 'perf-script';
        }
      }
    }
    if (FOLDED_LINE.test(line)) folded++;
    else other++;
  }
  // A damaged folded file is still folded: a quarter of its first lines reading as stacks will do.
  return folded > 0 && folded * 3 >= other ? 'folded' : undefined;
}
