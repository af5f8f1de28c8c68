/**
 * Prometheus answers → the inventory and metrics messages a NATS agent would send, so the fleet
 * heatmap, summary, drawer and engines table read a Prometheus-only cluster unchanged. Devices are
 * keyed by UUID (else `vendor:index`), nodes by the label table (labelRoles.ts); a sample keeps its
 * own Prometheus timestamp, so its age is the age of the scrape that wrote it; a sample already
 * sent is not sent again (refreshes faster than the scrape would repeat it as new). A target that
 * is down (`up == 0`) turns the values of its node's devices into "no reading" with the scrape's
 * own error, instead of leaving their last values to look current.
 *
 * MIG: dcgm-exporter writes one series per GPU instance, with the parent GPU's UUID and
 * `GPU_I_ID`/`GPU_I_PROFILE` (contracts §2.2). The GPU's memory is the sum over its instances,
 * utilization their mean, the rest (temperature, power, clocks: GPU-wide) their maximum; each
 * instance's own values stay as samples labelled `mig` and `profile`.
 */
import type {
  DeviceInfo,
  EventRecord,
  HostInfo,
  InventoryMessage,
  MetricsMessage,
  ProbeStatus,
  Sample,
  WireMessage,
} from '../../protocol/spec.js';
import { PROTOCOL_VERSION } from '../../protocol/spec.js';
import type { EngineQuantity } from '../families.js';
import type { InstantSample, Labels, MatrixSeries } from '../response.js';
import { isBlankValue } from '../blank.js';
import { canonicalUuid, engineLabels } from './identity.js';
import { counterRate, convert, last, rollUp, sample, withTotal, type Reading } from './readings.js';
import type { DeviceExporter } from './deviceExporters.js';
import { HOST_GAUGES, HOST_RATES, type HostPart } from './hostQueries.js';
import { roleValue } from './labelRoles.js';

export interface TargetHealth {
  /** `up{…}` labels: instance, job and the target labels relabelling added. */
  labels: Labels;
  up: boolean;
  /** Prometheus's own scrape error (`/api/v1/targets` lastError), when known. */
  lastError?: string;
}

export interface FleetAnswers {
  /** Prometheus's evaluation time of this refresh (ms, its clock). */
  evalTime: number;
  devices: ReadonlyArray<{ exporter: DeviceExporter; series: readonly MatrixSeries[] }>;
  engines: ReadonlyArray<{
    family: string;
    title: string;
    series: readonly MatrixSeries[];
    quantities: ReadonlyMap<string, EngineQuantity>;
    ttftP99?: readonly InstantSample[];
    /** The family's model and engine labels (families.ts); absent: the usual ones, else the target. */
    modelLabel?: string;
    engineLabel?: string;
  }>;
  targets: readonly TargetHealth[];
  /** node_exporter (hostQueries.ts): what each machine is, its gauges, its rates. */
  host?: {
    info: readonly InstantSample[];
    cores: readonly InstantSample[];
    gauges: readonly MatrixSeries[];
    rates: ReadonlyArray<{ part: HostPart; samples: readonly InstantSample[] }>;
  };
}

export interface AssemblerOptions {
  /** Cluster name for series without a `cluster` label. */
  cluster: string;
  /** A label to read node names from before the table's (LABEL_ROLES.node). */
  nodeLabel?: string;
  /** The scrape interval (ms): the messages' interval, what staleness is measured against. */
  intervalMs: number;
  /** Series read per refresh at most; beyond it a family is cut short with a problem. */
  seriesLimit?: number;
}

export const DEFAULT_SERIES_LIMIT = 200_000;

interface DeviceAcc {
  info: DeviceInfo;
  /** The scrape job its series came from: a down target of that job takes its values. */
  job: string;
  values: Map<string, Reading>;
  /** GPU instance id → profile and values. */
  mig: Map<string, { profile?: string; values: Map<string, Reading> }>;
  /** Memory total parts (MiB series) when the exporter has no total series. */
  parts: Map<string, Reading>;
}

interface NodeAcc {
  name: string;
  cluster: string;
  /** From node_exporter: what the machine is. */
  host?: Partial<HostInfo>;
  devices: Map<string, DeviceAcc>;
  samples: Sample[];
  probes: Map<string, ProbeStatus>;
  events: EventRecord[];
}

export class FleetAssembler {
  /** Newest sample time sent per series, so a refresh never repeats one. */
  private readonly sent = new Map<string, number>();
  private readonly seq = new Map<string, number>();
  private readonly inventorySig = new Map<string, string>();
  /** Every device seen per node: a node whose target is down still lists them. */
  private readonly known = new Map<string, Map<string, DeviceAcc>>();
  private readonly probeSince = new Map<string, { state: string; since: number }>();
  private readonly hosts = new Map<string, HostInfo>();
  /** job + instance → the node its series named (Hostname, node…), for `up` and its errors. */
  private readonly targetNodes = new Map<string, string>();

  constructor(private readonly opts: AssemblerOptions) {}

  assemble(a: FleetAnswers): { messages: WireMessage[]; problems: string[] } {
    const nodes = new Map<string, NodeAcc>();
    const problems: string[] = [];
    const limit = this.opts.seriesLimit ?? DEFAULT_SERIES_LIMIT;
    let budget = limit;
    const node = (labels: Labels): NodeAcc => {
      const name = roleValue(labels, 'node', this.opts.nodeLabel) ?? 'unknown-node';
      if (labels.instance !== undefined) {
        this.targetNodes.set(`${labels.job ?? ''}\u0000${labels.instance}`, name);
      }
      return nodeNamed(name, labels);
    };
    const nodeNamed = (name: string, labels: Labels): NodeAcc => {
      let acc = nodes.get(name);
      if (!acc) {
        acc = {
          name,
          cluster: labels.cluster || this.opts.cluster,
          devices: new Map(),
          samples: [],
          probes: new Map(),
          events: [],
        };
        nodes.set(name, acc);
      }
      return acc;
    };

    for (const { exporter, series } of a.devices) {
      let list = series;
      if (list.length > budget) {
        problems.push(
          `${exporter.title}: ${list.length.toLocaleString('en')} series, more than the ` +
            `${limit.toLocaleString('en')} Osprey reads per refresh; only the first ` +
            `${budget.toLocaleString('en')} are shown (narrow the connection to one cluster)`,
        );
        list = list.slice(0, budget);
      }
      budget -= list.length;
      for (const s of list) this.deviceSeries(exporter, s, node);
    }

    for (const e of a.engines) {
      for (const s of e.series) this.engineSeries(e, s, node);
      for (const q of e.ttftP99 ?? []) {
        if (isBlankValue(q.value)) continue;
        const labels = engineLabels(q.metric, e);
        node(q.metric).samples.push({
          m: 'engine.latency.ttft',
          v: q.value,
          l: { ...labels, q: 'p99' },
          t: q.time,
        });
      }
    }

    if (a.host) this.hostSeries(a.host, node, nodeNamed);

    for (const t of a.targets) {
      // `up` carries only the target's labels: its node is the one its series named.
      const known = this.targetNodes.get(`${t.labels.job ?? ''}\u0000${t.labels.instance ?? ''}`);
      const acc = known === undefined ? node(t.labels) : nodeNamed(known, t.labels);
      const job = t.labels.job || 'scrape';
      const state = t.up ? 'ok' : 'error';
      const message = t.up
        ? undefined
        : `${t.labels.instance ?? 'target'} is down` + (t.lastError ? `: ${t.lastError}` : '');
      const key = `${acc.name}\u0000${job}`;
      const prev = this.probeSince.get(key);
      const since = prev && prev.state === state ? prev.since : a.evalTime;
      this.probeSince.set(key, { state, since });
      const probe: ProbeStatus = { probe: job, state, since };
      if (message) probe.message = message;
      acc.probes.set(job, probe);
    }

    const messages: WireMessage[] = [];
    for (const [name, acc] of nodes) {
      const down = [...acc.probes.values()].filter((p) => p.state === 'error');
      const known = this.known.get(name) ?? new Map<string, DeviceAcc>();
      for (const [id, d] of acc.devices) known.set(id, d);
      this.known.set(name, known);
      const samples: Sample[] = [];
      for (const d of acc.devices.values()) samples.push(...this.deviceSamples(name, d));
      samples.push(...this.fresh(name, acc.samples));
      for (const p of down) {
        // The job's series are gone or going stale: say why instead of showing the last values.
        const why = (p.message ?? 'target down').slice(0, 256);
        for (const d of known.values()) {
          if (d.job !== p.probe) continue;
          for (const m of d.values.keys()) {
            samples.push({ m, v: null, d: d.info.id, s: 'error', raw: why, t: a.evalTime });
          }
        }
      }
      const devices = [...known.values()].map((d) => d.info);
      const inventory = this.inventory(name, acc, devices, a.evalTime);
      if (inventory) messages.push(inventory);
      if (samples.length > 0) {
        const m: MetricsMessage = {
          v: PROTOCOL_VERSION,
          type: 'metrics',
          cluster: acc.cluster,
          node: name,
          ts: a.evalTime,
          seq: this.nextSeq(name),
          interval: this.opts.intervalMs,
          samples,
        };
        messages.push(m);
      }
    }
    return { messages, problems };
  }

  /**
   * node_exporter's series on their machines: `node_uname_info` names the machine (its
   * `nodename`, unless the target carries a node label) and the target's other series follow it.
   */
  private hostSeries(
    h: NonNullable<FleetAnswers['host']>,
    node: (l: Labels) => NodeAcc,
    nodeNamed: (name: string, l: Labels) => NodeAcc,
  ): void {
    const of = (labels: Labels): NodeAcc => {
      const known = this.targetNodes.get(`${labels.job ?? ''}\u0000${labels.instance ?? ''}`);
      return known === undefined ? node(labels) : nodeNamed(known, labels);
    };
    for (const s of h.info) {
      const acc = node(s.metric);
      const l = s.metric;
      acc.host = {
        ...acc.host,
        hostname: l.nodename || acc.name,
        os: l.sysname || 'unknown',
        arch: l.machine || 'unknown',
        ...(l.release ? { kernel: l.release } : {}),
      };
    }
    for (const s of h.cores) {
      if (isBlankValue(s.value)) continue;
      const acc = of(s.metric);
      acc.host = { ...acc.host, cpuCores: s.value };
    }
    const memory = new Map<NodeAcc, { total?: Reading; available?: Reading }>();
    for (const s of h.gauges) {
      const m = HOST_GAUGES[s.metric.__name__ ?? ''];
      const r = last(s);
      if (!m || !r) continue;
      const acc = of(s.metric);
      if (m === 'part:available' || m === 'host.memory.total') {
        const mem = memory.get(acc) ?? {};
        if (m === 'part:available') mem.available = r;
        else mem.total = r;
        memory.set(acc, mem);
        if (m === 'part:available') continue;
        if (r.v !== null) acc.host = { ...acc.host, memoryTotalBytes: r.v };
      }
      acc.samples.push(sample(m, r));
    }
    for (const [acc, { total, available }] of memory) {
      if (total?.v == null || available?.v == null) continue;
      const used = total.v - available.v;
      const t = Math.max(total.t, available.t);
      acc.samples.push({ m: 'host.memory.used', v: used, t });
      if (total.v > 0) acc.samples.push({ m: 'host.memory.usage', v: (100 * used) / total.v, t });
    }
    for (const { part, samples } of h.rates) {
      const m = HOST_RATES[part];
      if (!m) continue;
      for (const s of samples) {
        of(s.metric).samples.push({ m, v: isBlankValue(s.value) ? null : s.value, t: s.time });
      }
    }
  }

  private deviceSeries(
    exporter: DeviceExporter,
    s: MatrixSeries,
    node: (l: Labels) => NodeAcc,
  ): void {
    const labels = s.metric;
    const name = labels.__name__ ?? '';
    const acc = node(labels);
    const vendor = exporter.vendor === 'label' ? labels.vendor : exporter.vendor;
    if (vendor !== 'nvidia' && vendor !== 'ascend') return;
    const uuid = canonicalUuid(vendor, roleValue(labels, 'uuid'));
    const indexText = roleValue(labels, 'index');
    // Exporter-wide series (counts, versions) name no device.
    if (uuid === undefined && indexText === undefined) return;
    const index = indexText !== undefined && /^\d+$/.test(indexText) ? Number(indexText) : 0;
    const id = uuid ?? `${vendor}:${index}`;
    let d = acc.devices.get(id);
    if (!d) {
      d = {
        info: { id, vendor, index, name: 'unknown model' },
        job: labels.job || 'scrape',
        values: new Map(),
        mig: new Map(),
        parts: new Map(),
      };
      if (uuid) d.info.uuid = uuid;
      acc.devices.set(id, d);
    }
    const model = roleValue(labels, 'model');
    if (model && d.info.name === 'unknown model') d.info.name = model;
    const driver = roleValue(labels, 'driver');
    if (driver) d.info.driver = driver;
    const bus = roleValue(labels, 'pciBusId');
    if (bus) d.info.pciBusId = bus;
    if (exporter.info?.includes(name)) return;
    const reading = last(s);
    if (!reading) return;
    const gi = roleValue(labels, 'migInstance');
    if (exporter.memoryTotalParts?.includes(name)) {
      const target = gi === undefined ? d.parts : migOf(d, gi, labels).values;
      target.set(`part:${name}`, reading);
    }
    const map = exporter.series[name];
    if (!map) return;
    const scaled: Reading =
      reading.v === null ? reading : { ...reading, v: convert(name, map.m, reading.v * map.scale) };
    if (gi === undefined) d.values.set(map.m, scaled);
    else migOf(d, gi, labels).values.set(map.m, scaled);
  }

  private engineSeries(
    e: FleetAnswers['engines'][number],
    s: MatrixSeries,
    node: (l: Labels) => NodeAcc,
  ): void {
    const q = e.quantities.get(s.metric.__name__ ?? '');
    if (!q) return;
    const n = s.times.length;
    if (n === 0) return;
    const l = engineLabels(s.metric, e);
    const acc = node(s.metric);
    const t = s.times[n - 1]!;
    const v = s.values[n - 1]!;
    const push = (m: string, value: number | null): void => {
      acc.samples.push({ m, v: value, l, t });
    };
    switch (q) {
      case 'running':
        return push('engine.requests.running', !isBlankValue(v) ? v : null);
      case 'waiting':
        return push('engine.requests.waiting', !isBlankValue(v) ? v : null);
      // vLLM's and SGLang's usage gauges are fractions 0–1 (contracts §1.3, §1.7).
      case 'kvUsage':
        return push('engine.kv_cache.usage', !isBlankValue(v) ? v * 100 : null);
      case 'cacheHitRate':
        return push('engine.prefix_cache.hit_rate', !isBlankValue(v) ? v * 100 : null);
      case 'preemptions':
        return push('engine.preemptions', !isBlankValue(v) ? v : null);
      case 'promptTokens':
        return push('engine.tokens.prompt', counterRate(s));
      case 'generationTokens':
        return push('engine.tokens.generation', counterRate(s));
      // The counter as it stands, by reason: the console takes increases over its own windows.
      // vLLM and NIM split it by `finished_reason` (families.ts); a total without reasons
      // (SGLang, TGI) cannot tell failures apart, so it is not sent.
      case 'finished': {
        const reason = s.metric.finished_reason;
        if (reason === undefined || isBlankValue(v)) return;
        acc.samples.push({ m: 'engine.requests.finished', v, l: { ...l, reason }, t });
        return;
      }
      case 'prefixQueries':
      case 'prefixHits':
        // Paired below, once both rates of an engine are known.
        acc.samples.push({ m: `prefix:${q}`, v: counterRate(s), l, t });
        return;
      default:
        return;
    }
  }

  /** A device's values, its MIG instances' and their roll-up, each sent once per sample time. */
  private deviceSamples(node: string, d: DeviceAcc): Sample[] {
    const id = d.info.id;
    const rolled = new Map<string, Reading>(d.values);
    if (d.mig.size > 0) {
      const per = new Map<string, Reading[]>();
      const migSamples: Sample[] = [];
      let total = 0;
      for (const [gi, inst] of d.mig) {
        for (const [m, r] of withTotal(inst.values)) {
          if (m.startsWith('part:')) continue;
          (per.get(m) ?? per.set(m, []).get(m)!).push(r);
          const l: Record<string, string> = { mig: gi };
          if (inst.profile) l.profile = inst.profile;
          migSamples.push(sample(m, r, id, l));
        }
        const mt = withTotal(inst.values).get('device.memory.total');
        if (mt?.v != null) total += mt.v;
      }
      for (const [m, list] of per) {
        if (d.values.has(m)) continue;
        rolled.set(m, rollUp(m, list));
      }
      if (total > 0) d.info.memoryTotalBytes = total;
      const out = [...rolled].map(([m, r]) => sample(m, r, id));
      return this.fresh(node, [...out, ...migSamples]);
    }
    if (d.parts.size > 0 && !d.values.has('device.memory.total')) {
      const total = withTotal(new Map(d.parts)).get('device.memory.total');
      if (total) d.values.set('device.memory.total', total);
    }
    const mt = d.values.get('device.memory.total');
    if (mt?.v != null) d.info.memoryTotalBytes = mt.v;
    return this.fresh(
      node,
      [...d.values].map(([m, r]) => sample(m, r, id)),
    );
  }

  /** Samples newer than the last sent of their series; prefix-cache pairs become a hit rate. */
  private fresh(node: string, samples: readonly Sample[]): Sample[] {
    const out: Sample[] = [];
    const prefix = new Map<string, { q?: Sample; h?: Sample }>();
    for (const s of samples) {
      if (s.m.startsWith('prefix:')) {
        const key = JSON.stringify(s.l);
        const p = prefix.get(key) ?? {};
        if (s.m === 'prefix:prefixQueries') p.q = s;
        else p.h = s;
        prefix.set(key, p);
        continue;
      }
      out.push(s);
    }
    for (const { q, h } of prefix.values()) {
      if (!q || !h || q.v === null || h.v === null || q.v === undefined) continue;
      const v = q.v > 0 ? (100 * (h.v ?? 0)) / q.v : null;
      const s: Sample = { m: 'engine.prefix_cache.hit_rate', v, t: Math.max(q.t ?? 0, h.t ?? 0) };
      if (q.l) s.l = q.l;
      out.push(s);
    }
    return out.filter((s) => {
      // 43k samples a refresh at 4,096 devices: no JSON for the unlabelled (bench:prom-fleet).
      const key =
        s.l === undefined
          ? `${node}\u0000${s.m}\u0000${s.d ?? ''}`
          : `${node}\u0000${s.m}\u0000${s.d ?? ''}\u0000${JSON.stringify(s.l)}`;
      const t = s.t ?? 0;
      const prev = this.sent.get(key);
      if (prev !== undefined && t <= prev) return false;
      this.sent.set(key, t);
      return true;
    });
  }

  private inventory(
    name: string,
    acc: NodeAcc,
    devices: DeviceInfo[],
    ts: number,
  ): InventoryMessage | undefined {
    const probes = [...acc.probes.values()];
    // What node_exporter said last stays: a refresh without it (names re-read, a slow target)
    // must not turn a known machine back into "unknown".
    const host: HostInfo = {
      hostname: name,
      os: 'unknown',
      arch: 'unknown',
      cpuCores: 0,
      memoryTotalBytes: 0,
      ...this.hosts.get(name),
      ...acc.host,
    };
    if (acc.host) this.hosts.set(name, host);
    const sig = JSON.stringify([devices, host, probes.map((p) => [p.probe, p.state, p.message])]);
    if (this.inventorySig.get(name) === sig) return undefined;
    this.inventorySig.set(name, sig);
    return {
      v: PROTOCOL_VERSION,
      type: 'inventory',
      cluster: acc.cluster,
      node: name,
      ts,
      seq: this.nextSeq(name),
      host,
      devices,
      probes,
    };
  }

  private nextSeq(node: string): number {
    const n = (this.seq.get(node) ?? 0) + 1;
    this.seq.set(node, n);
    return n;
  }
}

function migOf(
  d: DeviceAcc,
  gi: string,
  labels: Labels,
): DeviceAcc['mig'] extends Map<string, infer V> ? V : never {
  let inst = d.mig.get(gi);
  if (!inst) {
    inst = { values: new Map() };
    d.mig.set(gi, inst);
  }
  const profile = roleValue(labels, 'migProfile');
  if (profile) inst.profile = profile;
  return inst;
}
