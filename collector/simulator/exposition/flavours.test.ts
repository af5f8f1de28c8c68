/**
 * The simulator's other expositions: every engine flavour at once (each found by the console's own
 * discovery), nvidia_gpu_exporter against its real output, DCGM label casings, MIG instances, one
 * node's exposition, and a node whose exposition does not parse.
 */
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { discover } from '../../core/prometheus/discovery.js';
import { ENGINE_FAMILY_IDS } from '../../core/prometheus/families.js';
import { parseProm } from '../promParse.js';
import { Simulator } from '../Simulator.js';
import { CONVERT_ERROR } from './dcgm.js';
import {
  migNodes,
  nodeExposition,
  simulatorExposition,
  type ExpositionOptions,
} from './exposition.js';
import { FLAVOUR_NAMES, parseFlavours } from './flavours.js';
import { exporterUuid } from './nvidiaGpuExporter.js';

const SMI = parseProm(
  readFileSync(
    new URL(
      '../../prometheusCheck/fixtures/metrics/linux-x86_64__nvidia-h100-80gb-hbm3__590.48.01__load.metrics',
      import.meta.url,
    ),
    'utf8',
  ),
);

function sim(flavours = true): Simulator {
  const s = new Simulator({
    clusters: 1,
    nodes: 12,
    devicesPerNode: 8,
    seed: 5,
    intervalMs: 500,
    histograms: true,
    ...(flavours ? { engineFlavours: [...FLAVOUR_NAMES] } : {}),
  });
  for (let k = 0; k < 10; k++) s.tick(k * 500);
  return s;
}

const names = (text: string): string[] => [
  ...new Set(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => /^[^{ ]+/.exec(l)![0]),
  ),
];

const text = (o: Partial<ExpositionOptions> = {}, s = sim()) =>
  simulatorExposition(s, { names: 'new', ...o });

describe('--engine-flavours', () => {
  it('parses names, aliases and refusals', () => {
    expect(parseFlavours('vllm, ray-vllm,NIM,tgi,vllm')).toEqual([
      'vllm',
      'ray_vllm',
      'nim',
      'tgi',
    ]);
    expect(() => parseFlavours('vllm,lmdeploy')).toThrow(
      '"lmdeploy" is not an engine flavour (vllm, vllm-old, ray_vllm, nim, sglang, tgi)',
    );
    expect(FLAVOUR_NAMES).toEqual(['vllm', 'vllm-old', 'ray_vllm', 'nim', 'sglang', 'tgi']);
  });

  it('spreads the engines over the flavours in fleet order', () => {
    const engines = sim().fleet.nodes.flatMap((n) => n.engines);
    expect(engines.length).toBeGreaterThanOrEqual(12);
    engines.forEach((e, k) => expect(e.flavour).toBe(FLAVOUR_NAMES[k % FLAVOUR_NAMES.length]));
    expect(
      engines.filter((e) => e.flavour === 'sglang').every((e) => e.framework === 'sglang'),
    ).toBe(true);
  });

  it('keeps the same fleet (devices, models) as without flavours', () => {
    const a = sim(true).fleet.nodes;
    const b = sim(false).fleet.nodes;
    expect(a.map((n) => n.devices.map((d) => d.info.id))).toEqual(
      b.map((n) => n.devices.map((d) => d.info.id)),
    );
    expect(a.map((n) => n.engines.map((e) => e.model.name))).toEqual(
      b.map((n) => n.engines.map((e) => e.model.name)),
    );
  });

  it('is discovered by the console as every engine family, vLLM in both generations', () => {
    const d = discover(names(text()));
    for (const id of ENGINE_FAMILY_IDS) expect(d.families).toContain(id);
    expect(d.engines.vllm!.generation).toBe('both');
    expect(d.engines.ray_vllm!.missing).toEqual([]);
    expect(d.engines.nim!.missing).toEqual([]);
    expect(d.engines.tgi!.missing).toEqual([]);
    expect(d.engines.sglang!.quantities.preemptions!.names).toEqual(['sglang:num_retractions_sum']);
    expect(d.engines.nim!.quantities.finished!.names).toEqual(['request_finish_total']);
  });

  it('writes each flavour with its own labels and TGI without HELP', () => {
    const t = text();
    const f = parseProm(t);
    const labels = (name: string) => Object.keys(f.get(name)!.samples[0]!.labels).sort();
    expect(labels('ray_vllm:num_requests_running')).toEqual(
      [
        'ReplicaId',
        'WorkerId',
        'application',
        'cluster',
        'deployment',
        'engine',
        'model_name',
        'node',
      ].sort(),
    );
    expect(labels('num_requests_running')).toEqual(['cluster', 'engine', 'model_name', 'node']);
    expect(labels('tgi_queue_size')).toEqual(['cluster', 'engine', 'node']);
    expect(t).toContain('# TYPE tgi_request_duration histogram');
    expect(t).not.toContain('# HELP tgi_');
    expect(f.get('request_finish_total')!.help).toBe(
      'Count of finished requests, differentiated by finish reason as label.',
    );
  });

  it("gives a token histogram's _sum the engine's token counter", () => {
    const s = sim();
    const f = parseProm(text({}, s));
    const tgi = s.fleet.nodes.flatMap((n, i) =>
      n.engines.flatMap((e, j) =>
        e.flavour === 'tgi' ? [[n, s.nodes[i]!.engines[j]!, e] as const] : [],
      ),
    );
    expect(tgi.length).toBeGreaterThan(0);
    for (const [node, state, e] of tgi) {
      const sum = f
        .get('tgi_request_generated_tokens')!
        .samples.find(
          (x) => x.name.endsWith('_sum') && x.labels.node === node.name && x.labels.engine === e.id,
        )!;
      expect(sum.value).toBe(state.counters!.generationTokens);
    }
  });
});

describe('--gpu-exporter nvidia_gpu_exporter', () => {
  const f = parseProm(text({ gpuExporter: 'nvidia_gpu_exporter' }));

  it("uses the real exporter's names, types and HELP texts, and no DCGM series", () => {
    let compared = 0;
    for (const [name, fam] of f) {
      if (!name.startsWith('nvidia_smi_')) continue;
      const real = SMI.get(name);
      expect(real, `${name} is not in nvidia_gpu_exporter's output`).toBeDefined();
      expect(fam.type, name).toBe(real!.type);
      expect(fam.help, name).toBe(real!.help);
      compared++;
    }
    expect(compared).toBeGreaterThan(15);
    expect([...f.keys()].some((n) => n.startsWith('DCGM_'))).toBe(false);
  });

  it('labels GPUs by lowercase uuid without GPU-, and gpu_info as the exporter does', () => {
    const s = sim();
    const gpu = s.fleet.nodes.flatMap((n) => n.devices).find((d) => d.info.vendor === 'nvidia')!;
    expect(exporterUuid(gpu.info.uuid!)).toBe(gpu.info.uuid!.slice(4).toLowerCase());
    const info = f.get('nvidia_smi_gpu_info')!.samples[0]!;
    const real = SMI.get('nvidia_smi_gpu_info')!.samples[0]!;
    expect(Object.keys(info.labels).filter((l) => l !== 'cluster' && l !== 'node')).toEqual(
      Object.keys(real.labels),
    );
    expect(info.labels.uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect(Object.keys(f.get('nvidia_smi_memory_used_bytes')!.samples[0]!.labels)).toEqual([
      'uuid',
      'cluster',
      'node',
    ]);
  });

  it('both: DCGM and nvidia_smi for the same GPUs', () => {
    const both = parseProm(text({ gpuExporter: 'both' }));
    const dcgm = both.get('DCGM_FI_DEV_FB_USED')!.samples.length;
    expect(both.get('nvidia_smi_memory_used_bytes')!.samples.length).toBe(dcgm);
    const byUuid = new Map(
      both.get('DCGM_FI_DEV_FB_USED')!.samples.map((x) => [exporterUuid(x.labels.UUID!), x.value]),
    );
    for (const x of both.get('nvidia_smi_memory_used_bytes')!.samples)
      expect(x.value).toBe(byUuid.get(x.labels.uuid!)! * 1048576);
  });
});

describe('DCGM label casings, MIG and broken expositions', () => {
  it('writes Hostname/hostname and UUID/uuid per variant, mixed across nodes', () => {
    const keys = (o: Partial<ExpositionOptions>) =>
      parseProm(text(o))
        .get('DCGM_FI_DEV_GPU_UTIL')!
        .samples.map((x) => Object.keys(x.labels));
    expect(keys({ dcgmLabels: 'main' })[0]).toEqual(expect.arrayContaining(['UUID', 'hostname']));
    expect(keys({ dcgmLabels: 'old-namespace' })[0]).toEqual(
      expect.arrayContaining(['uuid', 'Hostname']),
    );
    const mixed = new Set(
      keys({ dcgmLabels: 'mixed' }).map((k) =>
        k
          .filter((l) => /^(u|U|h|H)/.test(l))
          .sort()
          .join(),
      ),
    );
    expect(mixed).toEqual(new Set(['Hostname,UUID', 'UUID,hostname', 'Hostname,uuid']));
  });

  it('splits a MIG GPU into instances whose framebuffer adds up to the GPU', () => {
    const s = sim();
    const mig = migNodes(s, 2);
    expect(mig.size).toBe(2);
    const f = parseProm(text({ mig: 2 }, s));
    for (const name of mig) {
      const i = s.fleet.nodes.findIndex((n) => n.name === name);
      s.fleet.nodes[i]!.devices.forEach((d, k) => {
        const used = f
          .get('DCGM_FI_DEV_FB_USED')!
          .samples.filter((x) => x.labels.UUID === d.info.uuid);
        expect(used.map((x) => [x.labels.GPU_I_PROFILE, x.labels.GPU_I_ID])).toEqual([
          ['3g.40gb', '1'],
          ['3g.40gb', '2'],
        ]);
        expect(used.reduce((a, x) => a + x.value, 0)).toBe(s.nodes[i]!.devices[k]!.memUsedMiB);
        const free = f
          .get('DCGM_FI_DEV_FB_FREE')!
          .samples.filter((x) => x.labels.UUID === d.info.uuid);
        expect(free.map((x, j) => x.value + used[j]!.value)).toEqual([40192, 40192]);
      });
    }
    const others = f.get('DCGM_FI_DEV_FB_USED')!.samples.filter((x) => !mig.has(x.labels.node!));
    expect(others.every((x) => x.labels.GPU_I_ID === undefined)).toBe(true);
  });

  it("serves one node's exporters alone, and breaks only the broken node's", () => {
    const s = sim();
    const nvidia = s.fleet.nodes.filter((n) => n.devices[0]!.info.vendor === 'nvidia');
    const [bad, good] = [nvidia[0]!.name, nvidia[1]!.name];
    const o: ExpositionOptions = { names: 'new', broken: new Set([bad]) };
    const one = parseProm(nodeExposition(s, o, good)!);
    for (const fam of one.values()) for (const x of fam.samples) expect(x.labels.node).toBe(good);
    expect(one.get('DCGM_FI_DEV_GPU_UTIL')!.samples).toHaveLength(8);
    const broken = nodeExposition(s, o, bad)!;
    expect(broken.split('\n').filter((l) => l.endsWith(CONVERT_ERROR))).toHaveLength(1);
    expect(() => parseProm(broken)).toThrow(/not a sample line: DCGM_FI_DEV_COMPUTE_PIDS\{/);
    expect(nodeExposition(s, o, 'node-999')).toBeUndefined();
  });
});
