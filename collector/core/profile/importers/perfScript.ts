/**
 * `perf script` text (Linux perf, Debian's linux-perf): per sample a header line, then the call
 * chain leaf first, one frame a line, indented, then a blank line.
 *
 *   python3 10742/10798 [001] 74800.41: 5025125 cpu-clock:ppp:
 *   	    7f2ce4005c1b _PyEval_EvalFrameDefault+0x9b (/usr/lib/libpython3.11.so.1.0)
 *   	ffffffff8161bb73 folio_remove_rmap_ptes+0x43 ([kernel.kallsyms])
 *
 * The header's fields depend on `-F`: `comm tid`, `comm pid/tid`, an optional `[cpu]`, the
 * timestamp, an optional period, the event. One profile per process (comm + pid), split per
 * thread where a process's samples carry different tids. Every sample weighs one (unit
 * samples), as stackcollapse-perf counts them. `[unknown]` symbols are kept, named by their DSO,
 * so their time is not lost or merged across libraries.
 */
import type { Frame, Profile, ProfileSet } from '../model.js';
import { makeFrame } from './classifyFrame.js';
import { FrameTable, StackTable } from './StackTable.js';
import { decodeText, quoteLine, Warnings } from './text.js';
import { type ImportInput, ProfileImportError } from './types.js';

/**
 * `comm pid[/tid] [cpu] time: [period] event:` — comm may hold spaces ("Web Content"), so the
 * numbers are matched from the timestamp back.
 */
const HEADER =
  /^(.*?)\s+(\d+)(?:\/(\d+))?\s+(?:\[(\d+)\]\s+)?(\d+\.\d+):\s+(?:(\d+)\s+)?([^\s:][^\s]*?):?(?:\s+(.*))?$/;

const MAX_HEADER = 1024;

/** A sample header, for detection too. */
export function parsePerfHeader(
  line: string,
): { comm: string; pid: string; tid: string | undefined; event: string; rest: string } | undefined {
  // perf's headers are short (comm ≤ 16 bytes, numbers, the event); a long line is not one, and
  // the lazy comm group would make a hostile line of many spaces quadratic.
  if (line.length > MAX_HEADER) return undefined;
  const m = HEADER.exec(line);
  if (m === null) return undefined;
  return { comm: m[1]!, pid: m[2]!, tid: m[3], event: m[7]!, rest: m[8] ?? '' };
}

/** `addr sym+0xoff (dso)` → symbol without offset and the DSO. */
export function parsePerfFrame(text: string): { symbol: string; dso: string } {
  let body = text.trim();
  const sp = body.indexOf(' ');
  // The address is hex; perf omits it with -F -ip, so only strip a hex word.
  if (sp > 0 && /^[0-9a-f]+$/i.test(body.slice(0, sp))) body = body.slice(sp + 1).trimStart();
  let dso = '';
  if (body.endsWith(')')) {
    // The DSO is the last balanced parenthesis group: "(/usr/lib/libfoo.so (deleted))".
    let depth = 0;
    for (let i = body.length - 1; i >= 0; i--) {
      const c = body.charCodeAt(i);
      if (c === 41) depth++;
      else if (c === 40 && --depth === 0) {
        if (i === 0 || body.charCodeAt(i - 1) === 32) {
          dso = body.slice(i + 1, -1);
          body = body.slice(0, i).trimEnd();
        }
        break;
      }
    }
  }
  let symbol = body;
  const plus = symbol.lastIndexOf('+0x');
  if (plus > 0 && /^[0-9a-f]+$/i.test(symbol.slice(plus + 3))) symbol = symbol.slice(0, plus);
  if (symbol === '') symbol = '[unknown]';
  return { symbol, dso };
}

function perfFrame(symbol: string, dso: string): Frame {
  const name = symbol === '[unknown]' && dso !== '' ? `[unknown] (${dso})` : symbol;
  return makeFrame(name, dso === '' ? undefined : dso);
}

interface Group {
  readonly comm: string;
  readonly pid: string;
  readonly tid: string | undefined;
  readonly event: string;
  readonly stacks: StackTable;
}

export function importPerfScript(input: ImportInput): ProfileSet {
  const text = decodeText(input.bytes);
  const frames = new FrameTable();
  const byRawFrame = new Map<string, number>();
  const groups = new Map<string, Group>();
  const warnings = new Warnings();
  const events = new Set<string>();
  let samples = 0;
  let group: Group | undefined;
  let chain: number[] = [];
  let firstBad: { line: number; text: string } | undefined;

  const flush = (): void => {
    if (group === undefined) return;
    chain.reverse();
    group.stacks.addSample(group.stacks.intern(chain), 1, 1);
    chain = [];
    group = undefined;
  };

  const internFrame = (raw: string): number => {
    let f = byRawFrame.get(raw);
    if (f === undefined) {
      const { symbol, dso } = parsePerfFrame(raw);
      const key = `${symbol}\u0000${dso}`;
      f = frames.find(key);
      if (f === undefined) f = frames.add(key, perfFrame(symbol, dso));
      byRawFrame.set(raw, f);
    }
    return f;
  };

  const len = text.length;
  let pos = 0;
  let lineNo = 0;
  while (pos < len) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = len;
    lineNo++;
    let line = text.slice(pos, nl);
    pos = nl + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    const first = line.charCodeAt(0);
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (first === 9 || first === 32) {
      if (group === undefined) {
        warnings.add(`line ${lineNo}: a frame outside any sample: ${quoteLine(line.trim())}`);
        continue;
      }
      chain.push(internFrame(line.trim()));
      continue;
    }
    if (first === 35) continue; // '#' header block: `perf script --header`
    flush();
    const h = parsePerfHeader(line);
    if (h === undefined) {
      firstBad ??= { line: lineNo, text: line };
      warnings.add(
        `line ${lineNo}: not a sample header ("comm pid time: event:"): ${quoteLine(line)}`,
      );
      continue;
    }
    samples++;
    events.add(h.event);
    const key = `${h.event}\u0000${h.comm}\u0000${h.pid}\u0000${h.tid ?? ''}`;
    let g = groups.get(key);
    if (g === undefined) {
      g = { comm: h.comm, pid: h.pid, tid: h.tid, event: h.event, stacks: new StackTable() };
      groups.set(key, g);
    }
    group = g;
    // Without -g the one frame is on the header line: "… cpu-clock:  4005c1 main (/bin/x)".
    if (h.rest !== '' && /^[0-9a-f]+\s/i.test(h.rest)) chain.push(internFrame(h.rest));
  }
  flush();

  if (samples === 0) {
    if (firstBad !== undefined) {
      throw new ProfileImportError(
        input.name,
        'perf-script',
        { line: firstBad.line },
        `expected a sample header "comm pid [cpu] time: period event:", got ${quoteLine(firstBad.text)}`,
      );
    }
    throw new ProfileImportError(
      input.name,
      'perf-script',
      { line: 1 },
      'the file holds no samples',
    );
  }

  // Processes whose samples carry several tids are split per thread.
  const tidsOf = new Map<string, Set<string>>();
  for (const g of groups.values()) {
    const k = `${g.event}\u0000${g.comm}\u0000${g.pid}`;
    let s = tidsOf.get(k);
    if (s === undefined) tidsOf.set(k, (s = new Set()));
    s.add(g.tid ?? g.pid);
  }
  const profiles: Profile[] = [];
  for (const g of groups.values()) {
    const perThread = tidsOf.get(`${g.event}\u0000${g.comm}\u0000${g.pid}`)!.size > 1;
    const labels: Record<string, string> = { comm: g.comm };
    let name: string;
    if (g.tid === undefined) {
      // `perf script`'s default fields print the tid alone.
      labels.tid = g.pid;
      name = `${g.comm} (tid ${g.pid})`;
    } else {
      labels.pid = g.pid;
      if (perThread) labels.tid = g.tid;
      name = perThread ? `${g.comm} (pid ${g.pid}, tid ${g.tid})` : `${g.comm} (pid ${g.pid})`;
    }
    if (events.size > 1) {
      labels.event = g.event;
      name = `${name} · ${g.event}`;
    }
    profiles.push(g.stacks.toProfile(name, 'samples', 'cpu', frames.frames, labels));
  }
  profiles.sort((a, b) => total(b) - total(a));
  return {
    format: 'perf-script',
    name: input.name,
    profiles,
    meta: { source: 'perf' },
    warnings: warnings.toArray(),
  };
}

function total(p: Profile): number {
  let s = 0;
  for (const w of p.weights) s += w;
  return s;
}
