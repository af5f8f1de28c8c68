/**
 * The shape of a simulated fleet, built once from the seed: clusters `sim-0…`, nodes `node-000…`
 * (numbered across the whole fleet, so a node name alone says which node a fault is for), each
 * node homogeneous as real servers are (eight H100s in one HGX board, eight 910B3s in one Atlas
 * 800T A2), the fleet a mix of NVIDIA and Ascend by HARDWARE_MIX. Engines split a node's devices
 * into tensor-parallel groups; devices left over stay idle.
 */
import { deviceKey, type DeviceInfo, type HostInfo } from '../core/model.js';
import { FLAVOURS, type EngineFlavour } from './exposition/flavours.js';
import { HARDWARE, HARDWARE_MIX, type HardwareModel } from './hardware.js';
import { latencyModel } from './latency.js';
import { mean } from './lognormal.js';
import { deriveSeed, Rng } from './prng.js';
import { HARDWARE_SPEED, SERVED_MODELS, type ServedModel } from './servedModels.js';

export interface FleetOptions {
  clusters: number;
  /** Nodes per cluster. */
  nodes: number;
  devicesPerNode: number;
  seed: number;
  /**
   * Engine flavours on /metrics, spread over the fleet's engines in order (engine k gets flavour
   * k mod n, exposition/flavours.ts); unset: vLLM or SGLang by chance, as before.
   */
  engineFlavours?: readonly EngineFlavour[];
}

export interface DeviceSpec {
  info: DeviceInfo;
  hw: HardwareModel;
  /** Ascend: the chip's die id (npu-exporter `vdie_id`). */
  vdieId?: string;
  /** Static per-device spread: power efficiency and thermal contact differ board to board. */
  powerFactor: number;
  thermalOffsetC: number;
}

export type Framework = 'vllm' | 'sglang';

export interface EngineSpec {
  /** Unique within the node: `vllm-0`, `sglang-1`. */
  id: string;
  framework: Framework;
  model: ServedModel;
  /** Indices into NodeSpec.devices. */
  devices: readonly number[];
  /** Requests/s this replica sustains at load 1 (see capacity()). */
  capacityRps: number;
  speed: number;
  /** Share of the node's traffic the router sends here, relative (0.8–1.15). */
  weight: number;
  /** vLLM --gpu-memory-utilization: the share of device memory the engine takes at start. */
  memoryFraction: number;
  /** The flavour /metrics shows it as, when --engine-flavours chose one. */
  flavour?: EngineFlavour;
}

export interface NodeSpec {
  cluster: string;
  clusterIndex: number;
  name: string;
  /** Position across the fleet (0-based). */
  index: number;
  hwKey: string;
  host: HostInfo;
  devices: readonly DeviceSpec[];
  engines: readonly EngineSpec[];
  /** Static mean load of the node (0.25–0.75) before drift, waves and spikes. */
  baseLoad: number;
}

export interface FleetSpec {
  options: FleetOptions;
  clusters: readonly string[];
  nodes: readonly NodeSpec[];
}

const NVIDIA_BUSES = ['18', '2A', '3A', '5D', '9A', 'AB', 'BA', 'DB'];
const ASCEND_BUSES = ['C1', 'C2', '81', '82', '01', '02', '41', '42'];
const GIB = 1024 ** 3;

export function buildFleet(options: FleetOptions): FleetSpec {
  const clusters = Array.from({ length: options.clusters }, (_, c) => `sim-${c}`);
  const total = options.clusters * options.nodes;
  const width = Math.max(3, String(total - 1).length);
  const nodes: NodeSpec[] = [];
  const engines = { count: 0 };
  for (let c = 0; c < options.clusters; c++) {
    for (let i = 0; i < options.nodes; i++) {
      const index = c * options.nodes + i;
      const name = `node-${String(index).padStart(width, '0')}`;
      nodes.push(buildNode(options, clusters[c]!, c, name, index, engines));
    }
  }
  return { options, clusters, nodes };
}

function pickHardware(rng: Rng): string {
  const total = HARDWARE_MIX.reduce((a, [, w]) => a + w, 0);
  let r = rng.next() * total;
  for (const [key, w] of HARDWARE_MIX) {
    if ((r -= w) < 0) return key;
  }
  return HARDWARE_MIX[0]![0];
}

function buildNode(
  o: FleetOptions,
  cluster: string,
  clusterIndex: number,
  name: string,
  index: number,
  engines: { count: number },
): NodeSpec {
  const rng = new Rng(deriveSeed(o.seed, 'node', name));
  const hwKey = pickHardware(rng);
  const hw = HARDWARE[hwKey]!;
  const devices = Array.from({ length: o.devicesPerNode }, (_, i) => buildDevice(rng, hw, i));
  return {
    cluster,
    clusterIndex,
    name,
    index,
    hwKey,
    host: hostFor(name, hw),
    devices,
    engines: buildEngines(rng, hwKey, o.devicesPerNode, o.engineFlavours, engines),
    baseLoad: rng.range(0.25, 0.75),
  };
}

function buildDevice(rng: Rng, hw: HardwareModel, index: number): DeviceSpec {
  const memoryTotalBytes = hw.memoryMiB * 1024 * 1024;
  const powerFactor = rng.range(0.9, 1.0);
  const thermalOffsetC = rng.range(-2.5, 3.5);
  if (hw.vendor === 'nvidia') {
    const uuid = `GPU-${rng.hex(8)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(4)}-${rng.hex(12)}`;
    const bus = NVIDIA_BUSES[index] ?? (0x10 + index).toString(16).toUpperCase().padStart(2, '0');
    const info: DeviceInfo = {
      id: uuid,
      vendor: 'nvidia',
      index,
      uuid,
      name: hw.name,
      driver: hw.driver,
      firmware: hw.firmware,
      pciBusId: `00000000:${bus}:00.0`,
      memoryTotalBytes,
    };
    return { info, hw, powerFactor, thermalOffsetC };
  }
  const bus = ASCEND_BUSES[index] ?? (0x10 + index).toString(16).toUpperCase().padStart(2, '0');
  const base = { vendor: 'ascend' as const, index, chip: 0 };
  const info: DeviceInfo = {
    id: deviceKey(base),
    ...base,
    name: hw.name,
    driver: hw.driver,
    firmware: hw.firmware,
    pciBusId: `0000:${bus}:00.0`,
    memoryTotalBytes,
  };
  return { info, hw, vdieId: rng.hex(32).toUpperCase(), powerFactor, thermalOffsetC };
}

function buildEngines(
  rng: Rng,
  hwKey: string,
  deviceCount: number,
  flavours: readonly EngineFlavour[] | undefined,
  fleetEngines: { count: number },
): EngineSpec[] {
  if (deviceCount === 0) return [];
  const hw = HARDWARE[hwKey]!;
  const speed = HARDWARE_SPEED[hwKey] ?? 0.5;
  // One replica over every device, or two halves; odd counts leave the last device idle.
  const groups = deviceCount >= 2 && rng.chance(0.5) ? 2 : 1;
  const tp = Math.max(1, Math.floor(deviceCount / groups));
  const fits = SERVED_MODELS.filter((m) => m.tp.some((t) => t <= tp));
  const engines: EngineSpec[] = [];
  const counters: Record<Framework, number> = { vllm: 0, sglang: 0 };
  for (let g = 0; g < groups; g++) {
    const model = rng.pick(fits.length > 0 ? fits : SERVED_MODELS);
    // SGLang runs on NVIDIA here; Ascend serving is vllm-ascend. The draw is made even when the
    // flavour decides, so the rest of the fleet stays the same fleet.
    const drawn: Framework = hw.vendor === 'nvidia' && rng.chance(0.25) ? 'sglang' : 'vllm';
    const flavour = flavours?.length ? flavours[fleetEngines.count % flavours.length] : undefined;
    fleetEngines.count += 1;
    const framework = flavour ? FLAVOURS[flavour].framework : drawn;
    const minTp = model.tp[0] ?? 1;
    // More devices than the model needs make each step a little faster (less per-GPU work).
    const engineSpeed = speed * Math.max(1, tp / minTp) ** 0.3;
    engines.push({
      id: `${framework}-${counters[framework]++}`,
      framework,
      model,
      devices: Array.from({ length: tp }, (_, i) => g * tp + i),
      capacityRps: capacity(model, engineSpeed, rng.range(120, 200)),
      speed: engineSpeed,
      weight: rng.range(0.8, 1.15),
      memoryFraction: rng.pick([0.85, 0.9, 0.9, 0.92]),
      ...(flavour ? { flavour } : {}),
    });
  }
  return engines;
}

/**
 * Requests/s the replica sustains at load 1: what keeps `batch` requests in flight (Little's law
 * with the latency model's mean prefill + decode at full load), so a saturated engine runs a batch
 * of 120–200, under vLLM's default max_num_seqs of 256, and only spikes overflow into the queue.
 */
function capacity(model: ServedModel, speed: number, batch: number): number {
  const full = latencyModel({
    prefillS: model.prefillS / speed,
    interTokenS: model.interTokenS / speed,
    outputTokens: model.outputTokens,
    load: 1,
    slowdown: 1,
  });
  return batch / (mean(full.prefill) + mean(full.decode));
}

function hostFor(name: string, hw: HardwareModel): HostInfo {
  if (hw.vendor === 'ascend') {
    return {
      hostname: name,
      os: 'openEuler 22.03 (LTS-SP4)',
      arch: 'aarch64',
      kernel: '5.10.0-216.0.0.115.oe2203sp4.aarch64',
      cpuModel: 'Kunpeng-920',
      cpuCores: 192,
      memoryTotalBytes: 1536 * GIB,
    };
  }
  const h100 = hw.name.includes('H100');
  return {
    hostname: name,
    os: 'Ubuntu 22.04.5 LTS',
    arch: 'x86_64',
    kernel: '5.15.0-122-generic',
    cpuModel: h100 ? 'Intel(R) Xeon(R) Platinum 8480+' : 'AMD EPYC 7763 64-Core Processor',
    cpuCores: h100 ? 224 : 256,
    memoryTotalBytes: (h100 ? 2048 : 1024) * GIB,
  };
}

/** All devices of the fleet (what a heatmap shows). */
export function deviceCount(fleet: FleetSpec): number {
  return fleet.nodes.reduce((a, n) => a + n.devices.length, 0);
}
