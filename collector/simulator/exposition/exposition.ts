/**
 * The simulator's /metrics: every node's exporters in one text, as if one Prometheus target stood
 * for the whole fleet — the DCGM exporter and/or nvidia_gpu_exporter for NVIDIA nodes, the Ascend
 * NPU exporter for Ascend nodes, the engines in their flavours — or one node's alone
 * (`/metrics/node/<name>`), so a Prometheus can scrape one target per node as in a real cluster.
 * Each series also carries `cluster` and `node`, the labels a real scrape configuration would
 * attach per target (relabelling or static target labels), since here one endpoint may stand in
 * for thousands.
 */
import type { NodeSim } from '../NodeSim.js';
import type { Simulator } from '../Simulator.js';
import { addDcgm, dcgmStyle, migLayout, type DcgmLabelVariant, type MigInstance } from './dcgm.js';
import { addEngine, type VllmNames } from './engines.js';
import { addNpu, addNpuNode } from './npuExporter.js';
import { addNvidiaSmi, addNvidiaSmiNode } from './nvidiaGpuExporter.js';
import { Families, type Labels } from './promText.js';

export const GPU_EXPORTERS = ['dcgm', 'nvidia_gpu_exporter', 'both'] as const;
export type GpuExporterChoice = (typeof GPU_EXPORTERS)[number];

export interface ExpositionOptions {
  /** vLLM naming generation of engines without a flavour (--vllm-names) */
  names: VllmNames;
  /** Which exporter NVIDIA nodes run; default the DCGM exporter */
  gpuExporter?: GpuExporterChoice;
  /** DCGM label casing; default as released versions write it (`UUID`, `Hostname`) */
  dcgmLabels?: DcgmLabelVariant;
  /** How many H100/A100 nodes have MIG-partitioned GPUs (migNodes() picks them) */
  mig?: number;
  /** Nodes whose DCGM exposition fails to parse */
  broken?: ReadonlySet<string>;
}

/** The first `count` H100/A100 nodes in fleet order: the ones `--mig <count>` partitions. */
export function migNodes(sim: Simulator, count: number): Set<string> {
  const out = new Set<string>();
  for (const n of sim.fleet.nodes) {
    if (out.size >= count) break;
    if (migLayout(n.hwKey)) out.add(n.name);
  }
  return out;
}

const migCache = new WeakMap<Simulator, { count: number; nodes: ReadonlySet<string> }>();

function migSet(sim: Simulator, count: number | undefined): ReadonlySet<string> | undefined {
  if (!count) return undefined;
  let c = migCache.get(sim);
  if (!c || c.count !== count) migCache.set(sim, (c = { count, nodes: migNodes(sim, count) }));
  return c.nodes;
}

function addNode(
  f: Families,
  node: NodeSim,
  o: ExpositionOptions,
  mig: ReadonlySet<string> | undefined,
): void {
  const spec = node.spec;
  const target: Labels = [
    ['cluster', spec.cluster],
    ['node', spec.name],
  ];
  const gpu = o.gpuExporter ?? 'dcgm';
  const dcgm = gpu !== 'nvidia_gpu_exporter';
  const smi = gpu !== 'dcgm';
  const nvidia = spec.devices.filter((d) => d.info.vendor === 'nvidia').length;
  const ascend = spec.devices.length - nvidia;
  if (ascend > 0) addNpuNode(f, ascend, target);
  if (nvidia > 0 && smi) addNvidiaSmiNode(f, target);
  const style = dcgmStyle(o.dcgmLabels ?? 'released', spec.index);
  const layout: readonly MigInstance[] | undefined = mig?.has(spec.name)
    ? migLayout(spec.hwKey)
    : undefined;
  const broken = o.broken?.has(spec.name) ?? false;
  let first = true;
  spec.devices.forEach((d, i) => {
    const s = node.devices[i]!;
    if (d.info.vendor !== 'nvidia') return addNpu(f, d, s, target);
    if (dcgm) {
      addDcgm(f, d, s, spec.name, target, {
        style,
        ...(layout ? { mig: layout } : {}),
        broken: broken && first,
      });
    }
    if (smi) addNvidiaSmi(f, d, s, target);
    first = false;
  });
  spec.engines.forEach((e, i) => addEngine(f, e, node.engines[i]!, o.names, target));
}

const options = (opts: VllmNames | ExpositionOptions): ExpositionOptions =>
  typeof opts === 'string' ? { names: opts } : opts;

/** The whole fleet's exposition; `opts` may be just the vLLM naming generation, as before. */
export function simulatorExposition(sim: Simulator, opts: VllmNames | ExpositionOptions): string {
  const o = options(opts);
  const f = new Families();
  const mig = migSet(sim, o.mig);
  for (const n of sim.nodes) addNode(f, n, o, mig);
  return f.text();
}

/** One node's exporters (`/metrics/node/<name>`), or undefined when no node has that name. */
export function nodeExposition(
  sim: Simulator,
  opts: VllmNames | ExpositionOptions,
  node: string,
): string | undefined {
  const one = sim.nodes.find((n) => n.spec.name === node);
  if (!one) return undefined;
  const f = new Families();
  const o = options(opts);
  addNode(f, one, o, migSet(sim, o.mig));
  return f.text();
}
