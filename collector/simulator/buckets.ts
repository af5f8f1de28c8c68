/**
 * Histogram bucket upper bounds of the real engines, so a Prometheus pointed at the simulator sees
 * the same `le` values it would on a real server. vLLM: vllm/v1/metrics/loggers.py (TTFT, ITL/TPOT
 * and request-latency lists). SGLang: the `le` values of its own /metrics example
 * (sgl-project/sglang docs/references/production_metrics.md @ 00b08c49).
 */
import type { LatencyStage } from './latency.js';
import type { Framework } from './fleet.js';

const VLLM_TTFT = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0,
  40.0, 80.0, 160.0, 640.0, 2560.0,
];
const VLLM_ITL = [
  0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 20.0,
  40.0, 80.0,
];
const VLLM_REQUEST = [
  0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0, 120.0, 240.0,
  480.0, 960.0, 1920.0, 7680.0,
];
const SGLANG_TTFT = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1.0, 2.5, 5.0, 7.5, 10.0, 15.0,
  20.0, 25.0, 30.0,
];
const SGLANG_ITL = [
  0.005, 0.01, 0.015, 0.02, 0.025, 0.03, 0.04, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75,
  1.0, 2.5,
];
const SGLANG_E2E = [
  0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0, 30.0, 40.0, 50.0, 60.0,
];

/** Bounds per stage the framework exports a histogram for (SGLang: TTFT, ITL, e2e only). */
export const BUCKETS: Readonly<
  Record<Framework, Partial<Record<LatencyStage, readonly number[]>>>
> = {
  vllm: {
    ttft: VLLM_TTFT,
    inter_token: VLLM_ITL,
    e2e: VLLM_REQUEST,
    queue: VLLM_REQUEST,
    prefill: VLLM_REQUEST,
    decode: VLLM_REQUEST,
  },
  sglang: { ttft: SGLANG_TTFT, inter_token: SGLANG_ITL, e2e: SGLANG_E2E },
};
