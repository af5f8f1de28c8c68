/**
 * The diagnoses of the nodes a collector (or a console, or `osprey diagnose`) has seen, fed with
 * signals as they come: add() returns the diagnoses that are new or changed. It is where signals
 * meet each other:
 *
 * - Storms are counted, not repeated: a signal of the same device + kind + code as an open
 *   diagnosis updates its count, lastTs and evidence (the first few lines and the latest), and
 *   an update is returned at most every `updateEveryMs`, so 10,000 Xid lines are one diagnosis
 *   with count 10,000.
 * - Incidents: an Xid that is the aftermath of another (43, 45, 154) joins the incident of the
 *   latest fault on the same GPU within `incidentWindowMs`, and after a GPU is lost (Xid 79,
 *   fallen off the bus) everything on it joins that incident: a 79 then a 45 then a 43 is one
 *   incident, not three.
 * - Node-wide faults: an application Xid (13, 31) on one GPU is that application's problem; on all
 *   GPUs of the node but at most one within `nodeWideWindowMs` it is the node's (driver, CUDA,
 *   an update), with its own diagnosis, cause and action, and the per-GPU ones join its incident.
 * - Durations: throttle reasons open a diagnosis only once held for their minimum (thresholds.ts).
 * - Value rules resolve: a signal with `ok` (the value is back) resolves the open diagnosis and
 *   returns it with `resolved`; continuous ones (throttle, temperature, power at its limit) also
 *   resolve when no signal has come for `quietResolveMs`.
 * - Memory is bounded: at most `maxPerNode` diagnoses per node (resolved and oldest dropped
 *   first), and nothing older than `retainMs` is kept.
 */
import { diagnose, diagnosisKey, findDevice, signalCount } from './diagnose.js';
import { KNOWN_ISSUES, type KnownIssue } from './knownIssues.js';
import { SEVERITY_RANK } from './severity.js';
import { throttleMinSeconds } from './thresholds.js';
import type { Diagnosis, Evidence, NodeContext, Signal, SignalKind } from './types.js';

export interface DiagnosisLogOptions {
  incidentWindowMs?: number;
  nodeWideWindowMs?: number;
  /** An event-like diagnosis quiet this long is over: the next signal opens a new one. */
  reopenAfterMs?: number;
  updateEveryMs?: number;
  quietResolveMs?: number;
  maxPerNode?: number;
  retainMs?: number;
  /** Evidence kept: this many first entries, then the latest. */
  evidenceFirst?: number;
  knownIssues?: readonly KnownIssue[];
}

const DEFAULTS: Required<Omit<DiagnosisLogOptions, 'knownIssues'>> = {
  incidentWindowMs: 120_000,
  nodeWideWindowMs: 300_000,
  reopenAfterMs: 600_000,
  updateEveryMs: 10_000,
  quietResolveMs: 120_000,
  maxPerNode: 256,
  retainMs: 3_600_000,
  evidenceFirst: 4,
};

/** Xids that report the aftermath of an earlier error on the same GPU (catalog: 43, 45, 154). */
export const FOLLOWER_XIDS: readonly string[] = ['43', '45', '154'];
/** Application Xids that, on every GPU of a node at once, point at the node instead. */
export const NODE_WIDE_XIDS: readonly string[] = ['13', '31'];

/** Kinds whose diagnoses stand for a value that can come back within its limit. */
const VALUE_KINDS: ReadonlySet<SignalKind> = new Set([
  'throttle',
  'temperature',
  'power',
  'pcie-link',
  'npu-health',
  'remap',
  'retired-pages',
  'persistence',
  'nvlink',
]);
/** Value kinds that arrive on every read while they last; silence means they are over. */
const CONTINUOUS_KINDS: ReadonlySet<SignalKind> = new Set(['throttle', 'temperature']);
const HEAT_FAMILY: ReadonlySet<SignalKind> = new Set(['temperature', 'throttle', 'power']);

interface Entry {
  d: Diagnosis;
  key: string;
  emittedAt: number;
  dirty: boolean;
  follower: boolean;
  lost: boolean;
}

interface Pending {
  since: number;
  last: number;
  held: number;
}

interface NodeState {
  entries: Map<string, Entry>;
  /** Throttle reasons seen but not yet held long enough. */
  pending: Map<string, Pending>;
  /** Per node-wide code: device → latest time seen. */
  spread: Map<string, Map<string, number>>;
  /** Per device: driver version and when it was first seen different. */
  drivers: Map<string, { driver: string; changedFrom?: string; changedAt?: number }>;
}

function isLost(s: Signal): boolean {
  return s.kind === 'fallen-off-bus' || (s.kind === 'xid' && s.code === '79');
}

function isFollower(s: Signal): boolean {
  return s.kind === 'xid' && FOLLOWER_XIDS.includes(s.code ?? '');
}

export class DiagnosisLog {
  private readonly o: Required<Omit<DiagnosisLogOptions, 'knownIssues'>>;
  private readonly knownIssues: readonly KnownIssue[];
  private readonly nodes = new Map<string, NodeState>();

  constructor(options: DiagnosisLogOptions = {}) {
    this.o = { ...DEFAULTS, ...options };
    this.knownIssues = options.knownIssues ?? KNOWN_ISSUES;
  }

  /** Feed signals of one node; returns the diagnoses that are new or changed (newest state). */
  add(signals: readonly Signal[], ctx: NodeContext, now: number): Diagnosis[] {
    const st = this.state(ctx.node);
    this.noteDrivers(st, ctx, now);
    const touched = new Set<Entry>();
    for (const s of signals) {
      for (const e of this.one(st, s, ctx)) touched.add(e);
    }
    this.quietResolve(st, now, touched);
    this.prune(st, now);
    const out: Diagnosis[] = [];
    for (const e of st.entries.values()) {
      if (!e.dirty) continue;
      const fresh = touched.has(e) && e.emittedAt < 0;
      if (fresh || e.d.resolved !== undefined || now - e.emittedAt >= this.o.updateEveryMs) {
        e.dirty = false;
        e.emittedAt = now;
        out.push(copy(e.d));
      }
    }
    return out.sort((a, b) => a.ts - b.ts);
  }

  /** The diagnoses of a node (every node when left out), open ones first, newest first. */
  list(node?: string): Diagnosis[] {
    const states = node === undefined ? [...this.nodes.values()] : [this.nodes.get(node)];
    return states
      .flatMap((st) => (st ? [...st.entries.values()].map((e) => copy(e.d)) : []))
      .sort(
        (a, b) =>
          Number(a.resolved !== undefined) - Number(b.resolved !== undefined) ||
          b.lastTs - a.lastTs,
      );
  }

  /** Whether a value diagnosis of the node is open (its all-clear is still to come). */
  watching(node: string): boolean {
    const st = this.nodes.get(node);
    if (!st) return false;
    for (const e of st.entries.values()) {
      if (e.d.resolved === undefined && VALUE_KINDS.has(e.d.kind)) return true;
    }
    return st.pending.size > 0;
  }

  private state(node: string): NodeState {
    let st = this.nodes.get(node);
    if (!st) {
      st = { entries: new Map(), pending: new Map(), spread: new Map(), drivers: new Map() };
      this.nodes.set(node, st);
    }
    return st;
  }

  private noteDrivers(st: NodeState, ctx: NodeContext, now: number): void {
    for (const d of ctx.devices) {
      if (d.driver === undefined) continue;
      const seen = st.drivers.get(d.id);
      if (seen === undefined) st.drivers.set(d.id, { driver: d.driver });
      else if (seen.driver !== d.driver) {
        st.drivers.set(d.id, { driver: d.driver, changedFrom: seen.driver, changedAt: now });
      }
    }
  }

  /** One signal; returns the entries it changed. */
  private one(st: NodeState, s: Signal, ctx: NodeContext): Entry[] {
    const device = findDevice(s, ctx);
    const key = diagnosisKey(s, ctx, device);
    const current = st.entries.get(key);

    if (s.ok === true) {
      st.pending.delete(key);
      if (current && current.d.resolved === undefined && VALUE_KINDS.has(s.kind)) {
        current.d.resolved = s.ts;
        current.d.lastTs = Math.max(current.d.lastTs, s.ts);
        current.d.evidence = this.keep(current.d.evidence, s.evidence);
        current.dirty = true;
        return [current];
      }
      return [];
    }

    // A repeat of an open diagnosis: count it (an event) or refresh its value (a value rule).
    if (
      current &&
      current.d.resolved === undefined &&
      s.ts - current.d.lastTs <= this.o.reopenAfterMs
    ) {
      const d = current.d;
      if (s.ts > d.lastTs) d.lastTs = s.ts;
      if (!VALUE_KINDS.has(s.kind)) {
        d.count += signalCount(s);
        d.evidence = this.keep(d.evidence, s.evidence);
        current.dirty = true;
        // A repeat that says it is worse (an NVSwitch SXid line marked Fatal after a non-fatal
        // one of the same code) raises the diagnosis to its judgement.
        if (s.detail?.severity !== undefined) this.escalate(current, s, ctx);
        return [current];
      }
      const sig = s.kind === 'throttle' ? this.heldLongEnough(st, key, s) : s;
      if (sig === undefined) return [];
      const again = diagnose(sig, ctx, this.knownIssues);
      if (again.title !== d.title || again.severity !== d.severity) {
        d.title = again.title;
        d.severity = again.severity;
        d.cause = again.cause;
        d.evidence = this.keep(d.evidence, s.evidence);
        current.dirty = true;
        return [current];
      }
      return [];
    }

    const sig = this.heldLongEnough(st, key, s);
    if (sig === undefined) return [];

    const d = diagnose(sig, ctx, this.knownIssues);
    const entry: Entry = {
      d,
      key,
      emittedAt: -1,
      dirty: true,
      follower: isFollower(s),
      lost: isLost(s),
    };
    st.entries.set(key, entry);
    const changed: Entry[] = [entry];
    this.joinIncident(st, entry);
    if (s.kind === 'xid' && NODE_WIDE_XIDS.includes(s.code ?? '') && d.device !== undefined) {
      changed.push(...this.nodeWide(st, entry, ctx));
    }
    this.cap(st);
    return changed;
  }

  private escalate(entry: Entry, s: Signal, ctx: NodeContext): void {
    const again = diagnose(s, ctx, this.knownIssues);
    if (SEVERITY_RANK[again.severity] <= SEVERITY_RANK[entry.d.severity]) return;
    const d = entry.d;
    d.severity = again.severity;
    d.title = again.title;
    d.cause = again.cause;
    d.impact = again.impact;
    if (d.incident === d.id) d.action = again.action;
  }

  /** Throttle reasons wait for their minimum duration; everything else passes at once. */
  private heldLongEnough(st: NodeState, key: string, s: Signal): Signal | undefined {
    if (s.kind !== 'throttle') return s;
    const min = throttleMinSeconds(s.code ?? '');
    let p = st.pending.get(key);
    // A gap longer than the quiet period starts the count again.
    if (p && s.ts - p.last > this.o.quietResolveMs) p = undefined;
    if (!p) p = { since: s.ts, last: s.ts, held: 0 };
    if (s.value !== undefined) p.held += s.value;
    else p.held = (s.ts - p.since) / 1000;
    p.last = s.ts;
    if (p.held < min) {
      st.pending.set(key, p);
      return undefined;
    }
    st.pending.set(key, p);
    const out: Signal = { ...s, value: Math.round(p.held) };
    delete out.limit;
    return out;
  }

  private joinIncident(st: NodeState, entry: Entry): void {
    const d = entry.d;
    if (d.device === undefined) return;
    let root: Entry | undefined;
    let consequence = false;
    for (const e of st.entries.values()) {
      if (e === entry || e.d.device !== d.device || e.d.resolved !== undefined) continue;
      if (d.ts - e.d.lastTs > this.o.incidentWindowMs || e.d.ts > d.ts) continue;
      const follows = e.lost || (entry.follower && !e.follower);
      // Symptoms of one cause share its incident but keep their own advice: the health word
      // after an Ascend fault code, and heat, throttling and power capping of one device.
      const related =
        (d.kind === 'npu-health' && e.d.kind === 'npu-fault') ||
        (HEAT_FAMILY.has(d.kind) && HEAT_FAMILY.has(e.d.kind));
      if (!follows && !related) continue;
      if (!root || (follows && !consequence) || (follows === consequence && e.d.ts > root.d.ts)) {
        root = e;
        consequence = follows;
      }
    }
    if (!root) return;
    d.incident = root.d.incident;
    if (!consequence) return;
    const seconds = Math.round((d.ts - root.d.ts) / 1000);
    const what = rootName(root.d);
    d.cause = `Follows ${what} on this ${d.deviceLabel.startsWith('NPU') ? 'NPU' : 'GPU'} ${seconds} s earlier. ${d.cause}`;
    d.action = {
      bucket: 'none',
      summary: `Part of the ${what} incident: follow its advice`,
      steps: [`See ${root.d.title}: ${root.d.action.summary}`],
    };
  }

  private nodeWide(st: NodeState, entry: Entry, ctx: NodeContext): Entry[] {
    const code = entry.d.code!;
    const seen = st.spread.get(code) ?? new Map<string, number>();
    st.spread.set(code, seen);
    seen.set(entry.d.device!, entry.d.ts);
    const since = entry.d.ts - this.o.nodeWideWindowMs;
    for (const [dev, t] of seen) if (t < since) seen.delete(dev);
    const gpus = ctx.devices.filter((d) => d.vendor === 'nvidia').length;
    const needed = Math.max(2, gpus - 1);
    if (gpus < 2 || seen.size < needed) return [];

    const key = `${ctx.node}/-/xid/${code}/node-wide`;
    let wide = st.entries.get(key);
    const changed: Entry[] = [];
    if (!wide || entry.d.ts - wide.d.lastTs > this.o.reopenAfterMs) {
      const change = [...st.drivers.values()].find((x) => x.changedAt !== undefined);
      const driver =
        change !== undefined
          ? ` The driver changed from ${change.changedFrom} to ${change.driver} before these errors: that change is the first suspect.`
          : '';
      const first = Math.min(...seen.values());
      const d: Diagnosis = {
        id: `${key}@${first}`,
        incident: `${key}@${first}`,
        ts: first,
        lastTs: entry.d.ts,
        count: seen.size,
        node: ctx.node,
        deviceLabel: ctx.node,
        kind: 'xid',
        code,
        severity: 'critical',
        title: `Xid ${code} on ${seen.size} of ${gpus} GPUs of ${ctx.node}: a node problem, not one application`,
        cause: `The same application-class Xid on (nearly) every GPU of the node within ${Math.round(this.o.nodeWideWindowMs / 1000)} s points at the node: the driver, the CUDA runtime against the driver, or a recent update, rather than one program.${driver}`,
        impact: 'Every engine on the node is failing requests',
        action: {
          bucket: 'update-software',
          summary: 'Find what changed on the node (driver, CUDA, container image) and roll it back',
          steps: [
            'Drain the node: stop scheduling onto it and move its engines elsewhere',
            'Compare the driver and CUDA versions with the last known good ones (`nvidia-smi` header) and recent package or image updates',
            'Roll back or reinstall the driver, reboot, then run one engine before returning the node to service',
          ],
        },
        ref: { catalog: 'osprey-correlation', id: `xid-${code}-node-wide` },
        evidence: [],
      };
      wide = { d, key, emittedAt: -1, dirty: true, follower: false, lost: false };
      st.entries.set(key, wide);
    } else {
      wide.d.count = seen.size;
      wide.d.lastTs = Math.max(wide.d.lastTs, entry.d.ts);
      wide.d.title = `Xid ${code} on ${seen.size} of ${gpus} GPUs of ${ctx.node}: a node problem, not one application`;
      wide.dirty = true;
    }
    changed.push(wide);
    for (const e of st.entries.values()) {
      if (e === wide || e.d.kind !== 'xid' || e.d.code !== code || e.d.device === undefined)
        continue;
      if (!seen.has(e.d.device) || e.d.incident === wide.d.incident) continue;
      e.d.incident = wide.d.incident;
      if (e.d.evidence.length > 0 && wide.d.evidence.length <= this.o.evidenceFirst) {
        wide.d.evidence.push(e.d.evidence[0]!);
      }
      e.d.action = {
        bucket: 'none',
        summary: 'Part of a node-wide incident: follow the node’s advice',
        steps: [`See ${wide.d.title}`],
      };
      e.dirty = true;
      changed.push(e);
    }
    return changed;
  }

  private keep(have: readonly Evidence[], more: readonly Evidence[]): Evidence[] {
    const first = this.o.evidenceFirst;
    const all = [...have, ...more];
    if (all.length <= first + 1) return all;
    return [...have.slice(0, first), ...all.slice(Math.max(first, all.length - 1))];
  }

  private quietResolve(st: NodeState, now: number, touched: Set<Entry>): void {
    for (const e of st.entries.values()) {
      if (e.d.resolved !== undefined || touched.has(e) || !CONTINUOUS_KINDS.has(e.d.kind)) continue;
      if (now - e.d.lastTs >= this.o.quietResolveMs) {
        e.d.resolved = now;
        e.dirty = true;
      }
    }
  }

  private prune(st: NodeState, now: number): void {
    for (const [k, e] of st.entries) {
      if (e.dirty) continue;
      const over = e.d.resolved ?? (VALUE_KINDS.has(e.d.kind) ? undefined : e.d.lastTs);
      if (over !== undefined && now - over > this.o.retainMs) st.entries.delete(k);
    }
    for (const [k, p] of st.pending) if (now - p.last > this.o.quietResolveMs) st.pending.delete(k);
    for (const [code, seen] of st.spread) {
      for (const [dev, t] of seen) if (now - t > this.o.nodeWideWindowMs) seen.delete(dev);
      if (seen.size === 0) st.spread.delete(code);
    }
  }

  /** Over the cap: drop resolved ones first, then the least recently seen. */
  private cap(st: NodeState): void {
    const over = st.entries.size - this.o.maxPerNode;
    if (over <= 0) return;
    const order = [...st.entries.entries()].sort(
      ([, a], [, b]) =>
        Number(b.d.resolved !== undefined) - Number(a.d.resolved !== undefined) ||
        a.d.lastTs - b.d.lastTs,
    );
    for (const [k] of order.slice(0, over)) st.entries.delete(k);
  }
}

function rootName(d: Diagnosis): string {
  if (d.kind === 'xid') return `Xid ${d.code}`;
  if (d.kind === 'npu-fault') return `fault ${d.code}`;
  return d.title;
}

function copy(d: Diagnosis): Diagnosis {
  return {
    ...d,
    action: { ...d.action, steps: [...d.action.steps] },
    ref: { ...d.ref },
    evidence: d.evidence.map((e) => ({ ...e })),
  };
}
