/**
 * The engine flavours beyond vLLM's own and SGLang's names (engines.ts): vLLM behind Ray Serve,
 * NVIDIA NIM for LLMs and TGI, each written as that engine writes it, from one simulated engine.
 * Metric names the console reads come from the product's family table (core
 * prometheus/families.ts) — the simulator speaks what the console looks for, not a private copy —
 * and HELP texts, label sets and the series the console does not read from each engine's own
 * output:
 * - Ray Serve: vLLM's metrics re-exported by Ray under `ray_vllm:` (Ray's vLLM dashboards), with
 *   Ray's `WorkerId`, `ReplicaId`, `deployment`, `application` beside vLLM's labels.
 * - NIM: the names of NIM's observability table, prometheus_client's `_total` counters,
 *   `request_finish_total{finished_reason}` beside `request_success_total`, label `model_name`.
 * - TGI (contracts §1.8; router/src/server.rs): metrics-exporter-prometheus output — `# TYPE`
 *   only (TGI describes none), no labels, counters without `_total`; per-request token histograms
 *   with 100 linear buckets up to max_total_tokens. Duration histograms here use vLLM's bounds
 *   (TGI's are 35 geometric steps from 0.15 ms), since the simulation keeps one set per engine.
 * Every flavour also carries `engine` (the simulator's engine id) and the target labels, which a
 * real cluster gets from one scrape target per engine.
 */
import { ENGINE_FAMILIES, sourceAlternatives } from '../../core/prometheus/families.js';
import type { EngineFamilyId, EngineQuantity } from '../../core/prometheus/families.js';
import { BUCKETS } from '../buckets.js';
import type { EngineState } from '../engineSim.js';
import type { EngineSpec } from '../fleet.js';
import type { LatencyStage } from '../latency.js';
import { VLLM, VLLM_HIST, type Named } from './engineNames.js';
import { histogramLines, labelText, sample, type Families, type Labels } from './promText.js';

/** The name the console reads a quantity under (the family table's first alternative). */
export function familyName(family: EngineFamilyId, q: EngineQuantity, generation = 0): string {
  const source = ENGINE_FAMILIES[family].quantities[q];
  if (!source) throw new Error(`${family} has no ${q} in the family table`);
  const spec = sourceAlternatives(source)[0]!;
  return spec.names[Math.min(generation, spec.names.length - 1)]!;
}

const RAY_PREFIX = ENGINE_FAMILIES.ray_vllm.marker.prefixes![0]!;
const VLLM_PREFIX = ENGINE_FAMILIES.vllm.marker.prefixes![0]!;

/** vLLM's name under Ray Serve's prefix. */
export function rayName(vllmName: string): string {
  return vllmName.startsWith(VLLM_PREFIX)
    ? RAY_PREFIX + vllmName.slice(VLLM_PREFIX.length)
    : vllmName;
}

const labelCache = new WeakMap<EngineSpec, string>();

function labelsOnce(spec: EngineSpec, make: () => Labels): string {
  let text = labelCache.get(spec);
  if (text === undefined) {
    text = labelText(make());
    labelCache.set(spec, text);
  }
  return text;
}

type Row = readonly [Named, 'gauge' | 'counter', number];

function writeRows(f: Families, rows: readonly Row[], labels: string): void {
  for (const [[name, help], type, value] of rows) {
    f.family(name, help, type).push(sample(name, labels, value));
  }
}

function writeStages(
  f: Families,
  spec: EngineSpec,
  s: EngineState,
  table: Partial<Record<LatencyStage, Named>>,
  labels: string,
): void {
  const c = s.counters!;
  for (const [stage, [name, help]] of Object.entries(table) as [LatencyStage, Named][]) {
    const h = c.histograms[stage];
    const bounds = BUCKETS[spec.framework][stage];
    if (!h || !bounds) continue;
    histogramLines(
      f.family(name, help, 'histogram'),
      name,
      labels,
      bounds,
      h.cumulative(),
      h.sum,
      h.count,
    );
  }
}

/**
 * A per-request histogram (tokens per request) from its totals alone: every request at the mean,
 * so `_sum` and `_count` are exact and the buckets step from 0 to all at the mean.
 */
function meanHistogram(
  f: Families,
  [name, help]: Named,
  labels: string,
  bounds: readonly number[],
  sum: number,
  count: number,
): void {
  const mean = count > 0 ? sum / count : 0;
  const cumulative = [...bounds.map((b) => (count > 0 && mean <= b ? count : 0)), count];
  histogramLines(f.family(name, help, 'histogram'), name, labels, bounds, cumulative, sum, count);
}

/** vLLM's 1-2-5 buckets up to max_model_len (contracts §1.3); NIM writes them up to 100000. */
const ONE_TWO_FIVE = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000,
];

export function addRayVllm(f: Families, spec: EngineSpec, s: EngineState, target: Labels): void {
  const c = s.counters!;
  const labels = labelsOnce(spec, () => [
    ['model_name', spec.model.name],
    ['engine', '0'],
    ['WorkerId', `${spec.id}-worker`],
    ['ReplicaId', `${spec.id}-replica`],
    ['deployment', 'LLMServer'],
    ['application', 'llm'],
    ...target,
  ]);
  const ray = ([name, help]: Named): Named => [rayName(name), help];
  writeRows(
    f,
    [
      [ray(VLLM.running.new), 'gauge', s.running],
      [ray(VLLM.waiting), 'gauge', s.waiting],
      [ray(VLLM.kvUsage.new), 'gauge', Math.round(s.kvUsage * 10) / 1000],
      [ray(VLLM.preemptions), 'counter', c.preemptions],
      [ray(VLLM.promptTokens), 'counter', c.promptTokens],
      [ray(VLLM.generationTokens), 'counter', c.generationTokens],
      [ray(VLLM.prefixQueries.new), 'counter', c.prefixQueries],
      [ray(VLLM.prefixHits.new), 'counter', c.prefixHits],
    ],
    labels,
  );
  const [name, help] = ray(VLLM.success);
  const lines = f.family(name, help, 'counter');
  lines.push(sample(name, `finished_reason="stop",${labels}`, c.success.stop));
  lines.push(sample(name, `finished_reason="length",${labels}`, c.success.length));
  lines.push(sample(name, `finished_reason="abort",${labels}`, Math.floor(c.success.abort)));
  const table = Object.fromEntries(
    Object.entries(VLLM_HIST.new).map(([stage, named]) => [stage, ray(named)]),
  ) as Record<LatencyStage, Named>;
  writeStages(f, spec, s, table, labels);
}

export function addNim(f: Families, spec: EngineSpec, s: EngineState, target: Labels): void {
  const c = s.counters!;
  const labels = labelsOnce(spec, () => [
    ['model_name', spec.model.name],
    ['engine', spec.id],
    ...target,
  ]);
  const n = (q: EngineQuantity, generation = 0) => familyName('nim', q, generation);
  const finished = c.success.stop + c.success.length;
  writeRows(
    f,
    [
      [[n('running'), 'Number of requests currently running on GPU.'], 'gauge', s.running],
      [[n('waiting'), 'Number of requests waiting to be processed.'], 'gauge', s.waiting],
      [['num_request_max', 'Max number of concurrently running requests.'], 'gauge', 256],
      [
        [n('kvUsage'), 'GPU KV-cache usage. 1 means 100 percent usage.'],
        'gauge',
        Math.round(s.kvUsage * 10) / 1000,
      ],
      [
        [`${n('promptTokens')}_total`, 'Number of prefill tokens processed.'],
        'counter',
        c.promptTokens,
      ],
      [
        [`${n('generationTokens')}_total`, 'Number of generation tokens processed.'],
        'counter',
        c.generationTokens,
      ],
      [['request_success_total', 'Count of successful requests.'], 'counter', finished],
      [['request_failure_total', 'Count of failed requests.'], 'counter', 0],
    ],
    labels,
  );
  const finish = `${n('finished')}_total`;
  const lines = f.family(
    finish,
    'Count of finished requests, differentiated by finish reason as label.',
    'counter',
  );
  lines.push(sample(finish, `finished_reason="stop",${labels}`, c.success.stop));
  lines.push(sample(finish, `finished_reason="length",${labels}`, c.success.length));
  writeStages(
    f,
    spec,
    s,
    {
      ttft: [n('ttft'), 'Histogram of time to first token in seconds.'],
      // NIM's older generation: time_per_output_token_seconds.
      inter_token: [n('inter_token', 1), 'Histogram of time per output token in seconds.'],
      e2e: [n('e2e'), 'Histogram of end to end request latency in seconds.'],
    },
    labels,
  );
  meanHistogram(
    f,
    ['request_prompt_tokens', 'Number of prefill tokens processed.'],
    labels,
    ONE_TWO_FIVE,
    c.promptTokens,
    finished,
  );
  meanHistogram(
    f,
    ['request_generation_tokens', 'Number of generation tokens processed.'],
    labels,
    ONE_TWO_FIVE,
    c.generationTokens,
    finished,
  );
}

/** TGI's --max-total-tokens default; its token histograms split it into 100 buckets. */
const TGI_MAX_TOTAL_TOKENS = 4096;
const TGI_TOKEN_BOUNDS = Array.from(
  { length: 100 },
  (_, x) => (TGI_MAX_TOTAL_TOKENS / 100) * (x + 1),
);

export function addTgi(f: Families, spec: EngineSpec, s: EngineState, target: Labels): void {
  const c = s.counters!;
  const labels = labelsOnce(spec, () => [['engine', spec.id], ...target]);
  const n = (q: EngineQuantity) => familyName('tgi', q);
  const finished = c.success.stop + c.success.length;
  // TGI describes no metric: no HELP line, as metrics-exporter-prometheus writes it.
  writeRows(
    f,
    [
      [[n('running'), ''], 'gauge', s.running],
      [[n('waiting'), ''], 'gauge', s.waiting],
      [['tgi_request_count', ''], 'counter', finished],
      [[n('finished'), ''], 'counter', finished],
    ],
    labels,
  );
  writeStages(
    f,
    spec,
    s,
    { queue: [n('queue'), ''], inter_token: [n('inter_token'), ''], e2e: [n('e2e'), ''] },
    labels,
  );
  const base = (q: EngineQuantity) => n(q).replace(/_sum$/, '');
  meanHistogram(f, [base('promptTokens'), ''], labels, TGI_TOKEN_BOUNDS, c.promptTokens, finished);
  meanHistogram(
    f,
    [base('generationTokens'), ''],
    labels,
    TGI_TOKEN_BOUNDS,
    c.generationTokens,
    finished,
  );
}
