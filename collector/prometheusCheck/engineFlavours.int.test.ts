/**
 * Every engine flavour and device exporter through a real Prometheus (2.42), one scrape target per
 * node as in a real cluster (`/metrics/node/<name>` of an in-process simulator with
 * --engine-flavours vllm,vllm-old,ray_vllm,nim,sglang,tgi, --gpu-exporter both, --dcgm-labels
 * mixed, --mig 1, Ascend nodes on the NPU exporter, and one node's DCGM exposition broken):
 * (a) discovery on Prometheus's own `/api/v1/label/__name__/values` finds every family;
 * (b) for each engine flavour the Latency queries the console builds (latencyQueries.ts) give the
 *     same numbers as PromQL written here by hand, with names written out independently of
 *     families.ts, asked of the same Prometheus at the same instant;
 * (c) the broken node's target is down in `/api/v1/targets` with Prometheus's own parse error.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { discover, type Discovery } from '../core/prometheus/discovery.js';
import { ENGINE_FAMILY_IDS, type EngineFamilyId } from '../core/prometheus/families.js';
import { latencyPlan } from '../core/prometheus/latencyQueries.js';
import {
  parseStringListResponse,
  parseTargetsResponse,
  type ScrapeTarget,
} from '../core/prometheus/payloads.js';
import { prometheusUrl, type PrometheusRequest } from '../core/prometheus/request.js';
import { parseInstantResponse, type InstantSample } from '../core/prometheus/response.js';
import { FLAVOUR_NAMES } from '../simulator/exposition/flavours.js';
import { buildFleet, type FleetOptions } from '../simulator/fleet.js';
import { SimRunner } from '../simulator/SimRunner.js';
import { startPrometheus, type PrometheusServer } from '../testing/prometheusServer.js';

const FLEET: FleetOptions = {
  clusters: 1,
  nodes: 6,
  devicesPerNode: 4,
  // Two A100 nodes, an H100, an L40S and two Ascend 910B3 nodes; 10 engines over 6 flavours.
  seed: 25,
  engineFlavours: [...FLAVOUR_NAMES],
};

/** An NVIDIA node whose engines' flavours all run elsewhere too: it can break without a gap. */
function brokenNode(): string {
  const fleet = buildFleet(FLEET);
  const count = new Map<string, number>();
  for (const e of fleet.nodes.flatMap((n) => n.engines))
    count.set(e.flavour!, (count.get(e.flavour!) ?? 0) + 1);
  const node = fleet.nodes.find(
    (n) =>
      n.devices[0]!.info.vendor === 'nvidia' &&
      n.index > 0 &&
      n.engines.every((e) => count.get(e.flavour!)! > 1),
  );
  if (!node) throw new Error('the fleet has no NVIDIA node that can break alone');
  return node.name;
}

async function ask(base: string, request: PrometheusRequest) {
  const url = prometheusUrl(base, request);
  const r = await fetch(url);
  return {
    status: r.status,
    contentType: r.headers.get('content-type') ?? '',
    body: await r.text(),
    url,
  };
}

const W = '8s';
const hist = (q: number, series: string, reason?: string) =>
  `histogram_quantile(${q}, sum by (le${reason ? `, ${reason}` : ''}) (rate(${series}[${W}])))`;
const names = (...n: string[]) => `{__name__=~"${n.join('|')}"}`;

/**
 * By hand, per flavour: the panels' PromQL with the engines' own names (contracts §1.3–1.8, NIM's
 * observability table, Ray's dashboards). A server holding both vLLM generations is read with a
 * name regex, where the console `or`s two selectors.
 */
const HAND: Record<EngineFamilyId, Record<string, string>> = {
  vllm: {
    'ttft:p99': hist(0.99, 'vllm:time_to_first_token_seconds_bucket'),
    'inter_token:p99': hist(
      0.99,
      names('vllm:inter_token_latency_seconds_bucket', 'vllm:time_per_output_token_seconds_bucket'),
    ),
    'e2e:p50': hist(0.5, 'vllm:e2e_request_latency_seconds_bucket'),
    'queue:p90': hist(0.9, 'vllm:request_queue_time_seconds_bucket'),
    'decode:p99': hist(0.99, 'vllm:request_decode_time_seconds_bucket'),
    'requests:running': 'sum (vllm:num_requests_running)',
    'kvCache:max': `100 * max (${names('vllm:kv_cache_usage_perc', 'vllm:gpu_cache_usage_perc')})`,
    'tokens:generation': `sum (rate(vllm:generation_tokens_total[${W}]))`,
    preemptions: `sum (rate(vllm:num_preemptions_total[${W}]))`,
    finishReasons: `sum by (finished_reason) (rate(vllm:request_success_total[${W}]))`,
  },
  ray_vllm: {
    'ttft:p99': hist(0.99, 'ray_vllm:time_to_first_token_seconds_bucket'),
    'inter_token:p50': hist(0.5, 'ray_vllm:inter_token_latency_seconds_bucket'),
    'e2e:p90': hist(0.9, 'ray_vllm:e2e_request_latency_seconds_bucket'),
    'prefill:p99': hist(0.99, 'ray_vllm:request_prefill_time_seconds_bucket'),
    'requests:waiting': 'sum (ray_vllm:num_requests_waiting)',
    'kvCache:mean': '100 * avg (ray_vllm:kv_cache_usage_perc)',
    'tokens:prompt': `sum (rate(ray_vllm:prompt_tokens_total[${W}]))`,
    'prefixCache:hitRate': `100 * sum (rate(ray_vllm:prefix_cache_hits_total[${W}])) / sum (rate(ray_vllm:prefix_cache_queries_total[${W}]))`,
    finishReasons: `sum by (finished_reason) (rate(ray_vllm:request_success_total[${W}]))`,
  },
  nim: {
    'ttft:p90': hist(0.9, 'time_to_first_token_seconds_bucket'),
    'inter_token:p99': hist(0.99, 'time_per_output_token_seconds_bucket'),
    'e2e:p50': hist(0.5, 'e2e_request_latency_seconds_bucket'),
    'requests:running': 'sum (num_requests_running)',
    'kvCache:mean': '100 * avg (gpu_cache_usage_perc)',
    'tokens:generation': `sum (rate(generation_tokens_total[${W}]))`,
    finishReasons: `sum by (finished_reason) (rate(request_finish_total[${W}]))`,
  },
  sglang: {
    'ttft:p99': hist(0.99, 'sglang:time_to_first_token_seconds_bucket'),
    'inter_token:p90': hist(0.9, 'sglang:inter_token_latency_seconds_bucket'),
    'e2e:p50': hist(0.5, 'sglang:e2e_request_latency_seconds_bucket'),
    'requests:waiting': 'sum (sglang:num_queue_reqs)',
    'kvCache:max': '100 * max (sglang:token_usage)',
    'tokens:prompt': `sum (rate(sglang:prompt_tokens_total[${W}]))`,
    preemptions: `sum (rate(sglang:num_retractions_sum[${W}]))`,
    'prefixCache:hitRate': '100 * avg (sglang:cache_hit_rate)',
  },
  tgi: {
    'e2e:p99': hist(0.99, 'tgi_request_duration_bucket'),
    'inter_token:p50': hist(0.5, 'tgi_request_mean_time_per_token_duration_bucket'),
    'queue:p90': hist(0.9, 'tgi_request_queue_duration_bucket'),
    'requests:running': 'sum (tgi_batch_current_size)',
    'requests:waiting': 'sum (tgi_queue_size)',
    'tokens:prompt': `sum (rate(tgi_request_input_length_sum[${W}]))`,
    'tokens:generation': `sum (rate(tgi_request_generated_tokens_sum[${W}]))`,
    finishReasons: `sum (rate(tgi_request_success[${W}]))`,
  },
};

const relClose = (a: number, b: number): boolean =>
  (Number.isNaN(a) && Number.isNaN(b)) ||
  a === b ||
  Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));

const key = (s: InstantSample): string =>
  JSON.stringify(Object.entries(s.metric).sort(([a], [b]) => (a < b ? -1 : 1)));

describe('every engine flavour and device exporter through a real Prometheus', () => {
  let runner: SimRunner;
  let prom: PrometheusServer;
  const broken = brokenNode();
  let discovery: Discovery;
  let at: string;

  beforeAll(async () => {
    const log: string[] = [];
    runner = new SimRunner({
      simulator: { ...FLEET, intervalMs: 500 },
      metrics: {
        host: '127.0.0.1',
        port: 0,
        names: 'new',
        exposition: {
          gpuExporter: 'both',
          dcgmLabels: 'mixed',
          mig: 1,
          broken: new Set([broken]),
        },
      },
      statsEveryMs: 60_000,
      log: (l) => log.push(l),
    });
    const { metricsUrl } = await runner.start();
    const host = new URL(metricsUrl!).host;
    prom = await startPrometheus({
      scrapeInterval: '1s',
      targets: runner.simulator.fleet.nodes.map((n) => ({
        job_name: n.name,
        targets: [host],
        metrics_path: `/metrics/node/${n.name}`,
      })),
    });
    // 14 scrapes of every healthy node: an 8 s rate window with room on both sides.
    await prom.waitForData(
      `count(count_over_time(up{job!="${broken}"}[1m]) >= 14) == ${FLEET.nodes - 1}`,
      60_000,
    );
    at = String((Date.now() - 1500) / 1000);
    const req: PrometheusRequest = { endpoint: 'label_values', label: '__name__', params: [] };
    discovery = discover(parseStringListResponse(await ask(prom.url, req)).data);
  }, 90_000);

  afterAll(async () => {
    await prom?.stop();
    await runner?.stop();
  });

  const instant = async (query: string): Promise<InstantSample[]> => {
    const r = parseInstantResponse(
      await ask(prom.url, {
        endpoint: 'query',
        params: [
          ['query', query],
          ['time', at],
        ],
      }),
    );
    expect(r.warnings).toEqual([]);
    return r.data;
  };

  it('(a) discovers every engine flavour and device exporter from the server’s own names', () => {
    for (const f of [...ENGINE_FAMILY_IDS, 'dcgm', 'nvidia_gpu_exporter', 'npu'] as const)
      expect(discovery.families, f).toContain(f);
    expect(discovery.engines.vllm!.generation).toBe('both');
    expect(discovery.engines.nim!.quantities.finished!.names).toEqual(['request_finish_total']);
    expect(discovery.engines.sglang!.quantities.preemptions!.names).toEqual([
      'sglang:num_retractions_sum',
    ]);
    expect(discovery.engines.tgi!.quantities.ttft).toBeUndefined();
  });

  for (const family of ENGINE_FAMILY_IDS) {
    it(`(b) ${family}: the console's Latency queries equal hand-written PromQL`, async () => {
      const plan = latencyPlan(discovery, family, {}, { stepS: 2, scrapeIntervalS: 1 })!;
      expect(plan.window).toBe(W);
      let numbers = 0;
      for (const [k, hand] of Object.entries(HAND[family])) {
        const built = plan.queries.find((q) => q.key === k);
        expect(built, `${family} ${k}`).toBeDefined();
        const ours = await instant(built!.query);
        const theirs = await instant(hand);
        expect(ours.map(key).sort(), `${family} ${k}`).toEqual(theirs.map(key).sort());
        expect(theirs.length, `${family} ${k}: Prometheus answered nothing`).toBeGreaterThan(0);
        const byKey = new Map(theirs.map((s) => [key(s), s.value]));
        for (const s of ours) {
          const v = byKey.get(key(s))!;
          if (!relClose(s.value, v))
            throw new Error(`${family} ${k} ${key(s)}: console ${s.value}, by hand ${v}`);
          if (Number.isFinite(v)) numbers++;
        }
      }
      // About numbers, not two empty answers: most panels have a finite value.
      expect(numbers).toBeGreaterThanOrEqual(Object.keys(HAND[family]).length - 2);
    });
  }

  it('(b) TGI has no TTFT query, and says why', () => {
    const plan = latencyPlan(discovery, 'tgi', {}, { stepS: 2, scrapeIntervalS: 1 })!;
    expect(plan.queries.some((q) => q.stage === 'ttft')).toBe(false);
    expect(plan.unavailable).toContainEqual({
      panel: 'ttft',
      reason: 'no ttft histogram: TGI exposes no time-to-first-token histogram',
    });
  });

  it('holds the MIG node as one series per GPU instance, and DCGM in every label casing', async () => {
    const mig = await instant('count by (GPU_I_PROFILE) (DCGM_FI_DEV_FB_USED{GPU_I_ID!=""})');
    expect(mig.map((s) => [s.metric.GPU_I_PROFILE, s.value])).toEqual([['3g.40gb', 8]]);
    for (const label of ['Hostname', 'hostname', 'UUID', 'uuid']) {
      const n = await instant(`count(DCGM_FI_DEV_GPU_UTIL{${label}!=""})`);
      expect(n[0]?.value, label).toBeGreaterThan(0);
    }
    const smi = await instant('count(nvidia_smi_gpu_info)');
    const dcgm = await instant('count(count by (gpu, node) (DCGM_FI_DEV_GPU_TEMP))');
    expect(smi[0]!.value).toBe(dcgm[0]!.value);
    const npu = await instant('count(npu_chip_info_utilization)');
    expect(npu[0]!.value).toBe(8);
  });

  it('(c) shows the broken node’s target down with Prometheus’s own parse error', async () => {
    const targets: ScrapeTarget[] = parseTargetsResponse(
      await ask(prom.url, { endpoint: 'targets', params: [] }),
    ).data;
    expect(targets).toHaveLength(FLEET.nodes);
    const bad = targets.find((t) => t.labels.job === broken)!;
    expect(bad.health).toBe('down');
    // 2.42's words for the value "ERROR - FAILED TO CONVERT TO STRING"
    expect(bad.lastError).toBe('strconv.ParseFloat: parsing "ERROR": invalid syntax');
    for (const t of targets.filter((x) => x !== bad)) {
      expect(t.health, t.labels.job).toBe('up');
      expect(t.lastError).toBe('');
    }
    const up = await instant(`up{job="${broken}"}`);
    expect(up[0]!.value).toBe(0);
  });
});
