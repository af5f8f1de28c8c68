/**
 * Chrome trace-event JSON (the Trace Event Format: `{"traceEvents": […]}` or a bare array, which
 * may lack its closing `]`), as PyTorch's profiler (Kineto) writes it — vLLM writes these with
 * VLLM_TORCH_PROFILER_DIR — and as Chrome and other tools do.
 *
 * - CPU: complete (`X`, `dur` in µs) and `B`/`E` events nest by time on each pid/tid; each
 *   thread is one wall-time profile whose samples are the spans' self times (duration minus
 *   children), so a thread's total is the time covered by its top-level spans.
 * - GPU: Kineto's `kernel`, `gpu_memcpy` and `gpu_memset` events (pid = device, tid = stream;
 *   args.device, args.stream) become one GPU-time profile per device. Each is placed under the CPU
 *   ops that were open when it was launched: its `args.correlation` is the correlation of the
 *   `cuda_runtime` launch (cudaLaunchKernel) on a CPU thread; failing that its `args["External
 *   id"]` is the launching op's (pytorch/kineto libkineto/src/output_json.cpp).
 * - Ignored: instant, flow, counter, async and sample events; `M` only names processes/threads.
 */
import { gunzipSync } from 'fflate';
import type { Frame, FrameKind, ProfileMeta, ProfileSet } from '../model.js';
import { classifyFrame, looksLikeCudaKernel } from './classifyFrame.js';
import { FrameTable, StackTable } from './StackTable.js';
import { jsonErrorLine, jsonText, WarningList } from './jsonText.js';
import { type ImportInput, ProfileImportError } from './types.js';

/** Kineto categories of device activity (Kineto ≥ 1.9 lower-case; PyTorch 1.8 capitalised). */
const GPU_CATEGORIES = new Set(['kernel', 'gpu_memcpy', 'gpu_memset', 'memcpy', 'memset']);
/** Host calls that launch device work; their correlation id is the device event's. */
const LAUNCH_CATEGORIES = new Set(['cuda_runtime', 'cuda_driver', 'runtime', 'driver']);
/** Kineto's own spans and GPU-side copies of CPU annotations: not time of any thread. */
const SKIPPED_CATEGORIES = new Set(['gpu_user_annotation', 'trace']);

interface Span {
  readonly index: number;
  readonly name: string;
  readonly cat: string;
  readonly start: number;
  end: number;
  readonly args: Record<string, unknown> | undefined;
  /** Calls it stands for: 0 for the part of a split span after its parent's end. */
  readonly count?: number;
}

interface ThreadEvents {
  readonly pid: unknown;
  readonly tid: unknown;
  readonly spans: Span[];
  /** B/E events in file order, resolved into spans once all are read. */
  readonly marks: {
    index: number;
    ph: 'B' | 'E';
    name: string;
    cat: string;
    ts: number;
    args: Record<string, unknown> | undefined;
  }[];
}

interface DeviceEvent {
  readonly index: number;
  readonly name: string;
  readonly dur: number;
  readonly device: string;
  readonly correlation: number | undefined;
  readonly externalId: number | undefined;
}

/** Whether the text is trace-event JSON: an object with a `traceEvents` array, or an array of events. */
export function looksLikeChromeTrace(text: string): boolean {
  const head = text.slice(0, 4096).trimStart();
  if (head.startsWith('[')) {
    return /^\[\s*\{/.test(head) && /"ph"\s*:\s*"/.test(head);
  }
  if (!head.startsWith('{')) return false;
  // Kineto writes schemaVersion, deviceProperties and distributedInfo before traceEvents.
  const at = text.indexOf('"traceEvents"');
  return at >= 0 && /^"traceEvents"\s*:\s*\[/.test(text.slice(at, at + 64));
}

/** µs (the format's unit, fractional for ns) → integer ns, so sums are exact. */
function ns(us: number): number {
  return Math.round(us * 1000);
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  return undefined;
}

function parseTrace(input: ImportInput): unknown[] {
  // torch.profiler writes `trace.json.gz` when asked for a .gz name (and vLLM traces are often
  // shared that way): gzip is unwrapped here; detecting it is the dispatcher's business.
  let bytes = input.bytes;
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new ProfileImportError(
        input.name,
        'chrome-trace',
        { offset: input.bytes.length },
        `gzip: ${why}`,
      );
    }
  }
  const text = jsonText(bytes);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    // The format allows an array without its closing bracket (a trace cut when Chrome stopped).
    const trimmed = text.trimEnd();
    if (trimmed.trimStart().startsWith('[') && !trimmed.endsWith(']')) {
      try {
        doc = JSON.parse(`${trimmed.replace(/,\s*$/, '')}]`);
      } catch {
        doc = undefined;
      }
    }
    if (doc === undefined) throw jsonError(input, text, e);
  }
  if (Array.isArray(doc)) return doc;
  if (doc !== null && typeof doc === 'object') {
    const events = (doc as { traceEvents?: unknown }).traceEvents;
    if (Array.isArray(events)) return events;
  }
  throw new ProfileImportError(
    input.name,
    'chrome-trace',
    {},
    'expected a JSON array of trace events or an object with a "traceEvents" array',
  );
}

function jsonError(input: ImportInput, text: string, e: unknown): ProfileImportError {
  const why = e instanceof Error ? e.message : String(e);
  return new ProfileImportError(
    input.name,
    'chrome-trace',
    { line: jsonErrorLine(text, e) },
    `invalid JSON: ${why}`,
  );
}

/** Kineto's Python frames: "path/to/file.py(123): name"; "nn.Module: Linear_0" is a module. */
const PY_FRAME = /^(.*\.py)\((\d+)\): (.*)$/;

function frameOf(name: string, cat: string): Frame {
  switch (cat) {
    case 'python_function': {
      const m = PY_FRAME.exec(name);
      if (m) {
        const cls = classifyFrame(m[3]!, m[1]!);
        return { name: m[3]!, file: m[1]!, line: Number(m[2]), module: cls.module, kind: 'python' };
      }
      return { name, kind: 'python', module: name.startsWith('nn.Module:') ? 'torch' : undefined };
    }
    case 'cpu_op':
    case 'operator': {
      const sep = name.indexOf('::');
      return { name, kind: 'gpu-op', module: sep > 0 ? name.slice(0, sep) : undefined };
    }
    case 'user_annotation':
      return { name, kind: 'other', module: 'annotation' };
    case 'cuda_runtime':
    case 'cuda_driver':
    case 'runtime':
    case 'driver':
      return { name, kind: 'native', module: 'CUDA runtime' };
    default: {
      const cls = classifyFrame(name);
      return { name, kind: cls.kind, module: cls.module };
    }
  }
}

function deviceFrame(name: string): Frame {
  const cuda = looksLikeCudaKernel(name);
  const kind: FrameKind = 'cuda-kernel';
  return { name, kind, module: cuda?.module ?? 'CUDA' };
}

export function importChromeTrace(input: ImportInput): ProfileSet {
  const events = parseTrace(input);
  const warnings = new WarningList(30);
  const processNames = new Map<string, string>();
  const threadNames = new Map<string, string>();
  const threads = new Map<string, ThreadEvents>();
  const device: DeviceEvent[] = [];
  let kineto = false;
  let minStart = Infinity;
  let maxEnd = -Infinity;

  const threadOf = (pid: unknown, tid: unknown): ThreadEvents => {
    const key = `${str(pid)}\u0000${str(tid)}`;
    let t = threads.get(key);
    if (t === undefined) {
      t = { pid, tid, spans: [], marks: [] };
      threads.set(key, t);
    }
    return t;
  };

  for (let i = 0; i < events.length; i++) {
    const e = events[i] as Record<string, unknown> | null;
    if (e === null || typeof e !== 'object') {
      warnings.add(`event ${i}: not an object; skipped`);
      continue;
    }
    const ph = e.ph;
    const name = str(e.name);
    if (ph === 'M') {
      const args = e.args as Record<string, unknown> | undefined;
      if (name === 'process_name') processNames.set(str(e.pid), str(args?.name));
      else if (name === 'thread_name')
        threadNames.set(`${str(e.pid)}\u0000${str(e.tid)}`, str(args?.name));
      continue;
    }
    if (ph !== 'X' && ph !== 'B' && ph !== 'E') continue;
    const cat = str(e.cat).toLowerCase();
    if (cat === 'cpu_op' || cat === 'python_function' || cat === 'kernel') kineto = true;
    if (SKIPPED_CATEGORIES.has(cat)) continue;
    const ts = num(e.ts);
    if (ts === undefined) {
      warnings.add(`event ${i} (${ph} ${JSON.stringify(name)}): no "ts"; skipped`);
      continue;
    }
    const args =
      e.args !== null && typeof e.args === 'object'
        ? (e.args as Record<string, unknown>)
        : undefined;
    if (ph !== 'X') {
      threadOf(e.pid, e.tid).marks.push({ index: i, ph, name, cat, ts: ns(ts), args });
      continue;
    }
    const durUs = num(e.dur);
    if (durUs === undefined || durUs < 0) {
      warnings.add(`event ${i} (X ${JSON.stringify(name)}): no valid "dur"; skipped`);
      continue;
    }
    const start = ns(ts);
    const dur = ns(durUs);
    minStart = Math.min(minStart, start);
    maxEnd = Math.max(maxEnd, start + dur);
    if (GPU_CATEGORIES.has(cat)) {
      device.push({
        index: i,
        name,
        dur,
        device: str(args?.device ?? e.pid),
        correlation: num(args?.correlation),
        externalId: num(args?.['External id'] ?? args?.['external id']),
      });
      continue;
    }
    threadOf(e.pid, e.tid).spans.push({ index: i, name, cat, start, end: start + dur, args });
  }

  const frames = new FrameTable();
  const frameCache = new Map<string, number>();
  const frameIndex = (name: string, cat: string): number => {
    const key = `${cat}\u0000${name}`;
    let f = frameCache.get(key);
    if (f === undefined) {
      f = frames.intern(frameOf(name, cat));
      frameCache.set(key, f);
    }
    return f;
  };

  // Launch stacks: correlation id → CPU frames open at the launch; External id → op's stack.
  const launchStack = new Map<number, number[]>();
  const opStack = new Map<number, number[]>();
  const profiles = [];
  const overlaps: Overlaps = { count: 0, first: undefined };

  for (const t of threads.values()) {
    resolveMarks(t, warnings);
    if (t.spans.length === 0) continue;
    for (const s of t.spans) {
      minStart = Math.min(minStart, s.start);
      maxEnd = Math.max(maxEnd, s.end);
    }
    const table = nestSpans(t.spans, frameIndex, overlaps, (span, path) => {
      if (span.args === undefined) return;
      if (LAUNCH_CATEGORIES.has(span.cat)) {
        const c = num(span.args.correlation);
        if (c !== undefined) launchStack.set(c, path.slice(0, -1));
      } else {
        const x = num(span.args['External id']);
        if (x !== undefined && !opStack.has(x)) opStack.set(x, path.slice());
      }
    });
    const key = `${str(t.pid)}\u0000${str(t.tid)}`;
    profiles.push(
      table.toProfile(
        threadTitle(t, threadNames.get(key), processNames.get(str(t.pid))),
        'nanoseconds',
        'wall',
        frames.frames,
        {
          pid: str(t.pid),
          tid: str(t.tid),
        },
      ),
    );
  }

  if (overlaps.first !== undefined) {
    warnings.add(
      `${overlaps.count} events overlap an enclosing event without nesting in it (first: ${overlaps.first}); each is cut at that event's end and the rest placed after it`,
    );
  }

  // Device work: one profile per device, each kernel under the CPU ops that launched it.
  const byDevice = new Map<string, StackTable>();
  let unlinked = 0;
  for (const d of device) {
    let base = d.correlation === undefined ? undefined : launchStack.get(d.correlation);
    if (base === undefined && d.externalId !== undefined) base = opStack.get(d.externalId);
    if (base === undefined) {
      unlinked++;
      base = [];
    }
    let table = byDevice.get(d.device);
    if (table === undefined) {
      table = new StackTable();
      byDevice.set(d.device, table);
    }
    const path = base.concat(frames.intern(deviceFrame(d.name)));
    table.addSample(table.intern(path), d.dur);
  }
  if (unlinked > 0) {
    warnings.add(
      `${unlinked} of ${device.length} GPU events have no launching CPU op in the trace (launched before it started?); shown at the root`,
    );
  }
  const devices = [...byDevice.keys()].sort(
    (a, b) => (Number(a) || 0) - (Number(b) || 0) || a.localeCompare(b),
  );
  for (const dev of devices) {
    const named = processNames.get(dev);
    const title = named !== undefined && /gpu|cuda|device/i.test(named) ? named : `GPU ${dev}`;
    profiles.push(
      byDevice.get(dev)!.toProfile(title, 'nanoseconds', 'gpu', frames.frames, { device: dev }),
    );
  }

  if (profiles.length === 0) {
    throw new ProfileImportError(
      input.name,
      'chrome-trace',
      {},
      `no duration events: none of the ${events.length} events is a complete ("X") event or a "B"/"E" pair with a timestamp`,
    );
  }
  const meta: ProfileMeta = {
    source: kineto ? 'pytorch profiler' : 'chrome trace',
    durationNs: maxEnd > minStart ? maxEnd - minStart : undefined,
  };
  return { format: 'chrome-trace', name: input.name, profiles, meta, warnings: warnings.toArray() };
}

function threadTitle(
  t: ThreadEvents,
  thread: string | undefined,
  process: string | undefined,
): string {
  const pname = process !== undefined && process !== '' ? process : `pid ${str(t.pid)}`;
  if (thread !== undefined && thread !== '') {
    // Kineto names threads "thread 4121 (python3)" already.
    return thread.endsWith(`(${pname})`) ? thread : `${thread} · ${pname}`;
  }
  return `thread ${str(t.tid)} · ${pname}`;
}

/**
 * B/E pairs → spans. Marks are taken in timestamp order (file order for ties); an E closes the
 * innermost open B of its name (an E without a name, the innermost); B's still open at the end
 * close at the thread's last timestamp.
 */
function resolveMarks(t: ThreadEvents, warnings: WarningList): void {
  if (t.marks.length === 0) return;
  const marks = t.marks.slice().sort((a, b) => a.ts - b.ts || a.index - b.index);
  const open: (typeof marks)[number][] = [];
  let last = -Infinity;
  for (const s of t.spans) last = Math.max(last, s.end);
  for (const m of marks) {
    last = Math.max(last, m.ts);
    if (m.ph === 'B') {
      open.push(m);
      continue;
    }
    let k = open.length - 1;
    if (m.name !== '') while (k >= 0 && open[k]!.name !== m.name) k--;
    if (k < 0) {
      warnings.add(`event ${m.index} (E ${JSON.stringify(m.name)}): no open "B" to end; skipped`);
      continue;
    }
    if (k < open.length - 1) {
      const inner = open.slice(k + 1).map((b) => JSON.stringify(b.name));
      warnings.add(
        `event ${m.index} (E ${JSON.stringify(m.name)}) ends ${inner.join(', ')} still open inside it; they end with it`,
      );
    }
    for (let j = open.length - 1; j >= k; j--) {
      const b = open[j]!;
      t.spans.push({
        index: b.index,
        name: b.name,
        cat: b.cat,
        start: b.ts,
        end: m.ts,
        args: b.args,
      });
    }
    open.length = k;
  }
  for (const b of open) {
    warnings.add(
      `event ${b.index} (B ${JSON.stringify(b.name)}): never ended; closed at the thread's last timestamp`,
    );
    t.spans.push({
      index: b.index,
      name: b.name,
      cat: b.cat,
      start: b.ts,
      end: last,
      args: b.args,
    });
  }
}

/** Spans that overlapped an enclosing span without nesting in it: counted, the first named. */
interface Overlaps {
  count: number;
  first: string | undefined;
}

/**
 * Spans → samples of self time. Sorted by start (longer first on ties, then file order), each span
 * is a child of the innermost open span that contains its start. A span that runs past its
 * parent's end overlaps rather than nests — Kineto opens a record_function annotation inside the
 * Python call that starts it and closes it inside the one that ends it — and is cut at the
 * parent's end: mostly inside, it stays the child and its rest goes on after the parent (as 0
 * calls); mostly after, it starts at the parent's end (its head is the parent's time). No time
 * counts twice and none is lost: a thread's total is the time its spans cover.
 * `visit` sees each span with the frame path down to it (for launch stacks).
 */
function nestSpans(
  spans: Span[],
  frameIndex: (name: string, cat: string) => number,
  overlaps: Overlaps,
  visit: (span: Span, path: readonly number[]) => void,
): StackTable {
  const order = (a: Span, b: Span): number =>
    a.start - b.start || b.end - a.end || a.index - b.index;
  spans.sort(order);
  // Split-off remainders, kept sorted; rare, so a sorted insert is enough.
  const later: Span[] = [];
  const table = new StackTable();
  const open: { span: Span; children: number }[] = [];
  const path: number[] = [];
  const close = (): void => {
    const top = open.pop()!;
    const self = top.span.end - top.span.start - top.children;
    table.addSample(table.intern(path), self, top.span.count ?? 1);
    path.pop();
    const parent = open[open.length - 1];
    if (parent !== undefined) parent.children += top.span.end - top.span.start;
  };
  let next = 0;
  while (next < spans.length || later.length > 0) {
    const span =
      later.length > 0 && (next >= spans.length || order(later[0]!, spans[next]!) < 0)
        ? later.shift()!
        : spans[next++]!;
    while (open.length > 0 && open[open.length - 1]!.span.end <= span.start) close();
    const parent = open[open.length - 1];
    if (parent !== undefined && span.end > parent.span.end) {
      overlaps.count++;
      overlaps.first ??= `event ${span.index} (${JSON.stringify(span.name)}) in event ${
        parent.span.index
      } (${JSON.stringify(parent.span.name)})`;
      const inside = parent.span.end - span.start;
      const rest: Span =
        inside >= span.end - parent.span.end
          ? { ...span, start: parent.span.end, count: 0 }
          : { ...span, start: parent.span.end };
      let at = later.length;
      while (at > 0 && order(later[at - 1]!, rest) > 0) at--;
      later.splice(at, 0, rest);
      if (rest.count !== 0) continue;
      span.end = parent.span.end;
    }
    path.push(frameIndex(span.name, span.cat));
    open.push({ span, children: 0 });
    if (span.count !== 0) visit(span, path);
  }
  while (open.length > 0) close();
  return table;
}
