/**
 * The simulator's /metrics: every node's exporters in one text, as if one Prometheus target stood
 * for the whole fleet — DCGM exporter for NVIDIA nodes, the Ascend NPU exporter for Ascend nodes,
 * vLLM/SGLang for the engines. Each series also carries `cluster` and `node`, the labels a real
 * scrape configuration would attach per target (relabelling or static target labels), since here
 * one endpoint stands in for thousands.
 */
import type { Simulator } from '../Simulator.js';
import { addDcgm } from './dcgm.js';
import { addEngine, type VllmNames } from './engines.js';
import { addNpu, addNpuNode } from './npuExporter.js';
import { Families, type Labels } from './promText.js';

export function simulatorExposition(sim: Simulator, names: VllmNames): string {
  const f = new Families();
  for (const node of sim.nodes) {
    const spec = node.spec;
    const target: Labels = [
      ['cluster', spec.cluster],
      ['node', spec.name],
    ];
    const ascend = spec.devices.filter((d) => d.info.vendor === 'ascend').length;
    if (ascend > 0) addNpuNode(f, ascend, target);
    spec.devices.forEach((d, i) => {
      const s = node.devices[i]!;
      if (d.info.vendor === 'nvidia') addDcgm(f, d, s, spec.name, target);
      else addNpu(f, d, s, target);
    });
    spec.engines.forEach((e, i) => addEngine(f, e, node.engines[i]!, names, target));
  }
  return f.text();
}
