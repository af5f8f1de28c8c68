/**
 * Who a series is about: a GPU by the UUID nvidia-smi and DCGM write, an engine by its family's
 * labels. Shared by the fleet's assembly (FleetAssembler.ts).
 */
import type { Labels } from '../response.js';

/**
 * NVIDIA's UUID as nvidia-smi and DCGM write it (`GPU-…`): nvidia_gpu_exporter drops the prefix,
 * and a GPU both exporters watch must be one device.
 */
export function canonicalUuid(vendor: string, uuid: string | undefined): string | undefined {
  if (uuid === undefined || vendor !== 'nvidia') return uuid;
  return /^[0-9a-f]{8}-[0-9a-f]{4}-/i.test(uuid) ? `GPU-${uuid}` : uuid;
}

/**
 * An engine's identity as the engines table shows it: its engine label (vLLM's DP rank, Ray's
 * replica), else the scrape target (one TGI or NIM server per target); its model label, else none.
 */
export function engineLabels(
  labels: Labels,
  e: { title: string; modelLabel?: string; engineLabel?: string },
): Record<string, string> {
  const engine =
    (e.engineLabel ? labels[e.engineLabel] : undefined) ??
    labels.engine ??
    labels.ReplicaId ??
    labels.instance ??
    '0';
  const model =
    (e.modelLabel ? labels[e.modelLabel] : undefined) ?? labels.model_name ?? labels.model ?? '';
  return { engine, model, framework: e.title };
}
